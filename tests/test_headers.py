"""Security headers on every response, anonymous and logged in (ASVS V3.4), CSRF on every form
post, and templates that the strict Content-Security-Policy can serve: no inline script, no event
handler attribute, no style attribute."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from regie.core.middleware import CSP
from tests.factories import open_case

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SRC = Path(settings.BASE_DIR)

ANONYMOUS = ["/inloggen/", "/", "/casussen/", "/bestaat-niet/", "/api/schema/"]


def login(client, user):
    """Logged in, second factor passed (the session key of accounts/mfa.py)."""
    client.force_login(user)
    session = client.session
    session["regie_2fa"] = "totp"
    session.save()
    return client


def pages_for(world) -> list[tuple[object, list[str]]]:
    case = open_case(household=world.hh_n, director=world.pro_n, question="Hulp bij schulden.")
    return [
        (world.pro_n, ["/", "/casussen/", case.get_absolute_url(), world.hh_n.get_absolute_url(), "/netwerk/"]),
        (world.mgr_n, ["/casussen/", "/signalen/", "/resultaten/", f"/casussen/{case.pk + 999}/"]),
        (world.admin, ["/beheer/import/", "/beheer/gebruikers/", "/beheer/detectie/"]),
        (world.privacy, ["/toegangslog/"]),
    ]


def assert_security_headers(response, *, path: str) -> None:
    h = response.headers
    assert h["Content-Security-Policy"] == CSP, path
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP and "*" not in CSP
    for directive in ("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in CSP
    assert h["X-Frame-Options"] == "DENY", path
    assert h["X-Content-Type-Options"] == "nosniff", path
    assert h["Referrer-Policy"] == "same-origin", path
    assert h["Cross-Origin-Opener-Policy"] == "same-origin", path
    assert h["Cross-Origin-Resource-Policy"] == "same-origin", path
    assert "camera=()" in h["Permissions-Policy"], path
    # Django sends HSTS on HTTPS responses only; every request here is HTTPS.
    assert h["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", path
    assert "no-store" in h["Cache-Control"], path
    assert "Server" not in h and "X-Powered-By" not in h


@pytest.mark.django_db
def test_every_anonymous_page_carries_the_security_headers(client):
    for path in ANONYMOUS:
        response = client.get(path, secure=True)
        assert response.status_code in (200, 302, 401, 403, 404), path
        assert_security_headers(response, path=path)


def test_static_files_may_be_cached_and_are_never_sniffed(client):
    """WhiteNoise answers static files before the page middleware: they carry no personal data and
    may be cached, but Django's SecurityMiddleware (first in line) still adds its headers."""
    response = client.get("/static/regie/regie.css", secure=True)
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_every_logged_in_page_carries_the_security_headers(world):
    for user, paths in pages_for(world):
        client = login(Client(), user)
        for path in paths:
            response = client.get(path, secure=True)
            assert response.status_code in (200, 302, 404), (user.username, path, response.status_code)
            assert_security_headers(response, path=path)


def test_api_answers_carry_the_security_headers(world):
    client = login(Client(), world.pro_n)
    for path in ("/api/households/", "/api/cases/", "/api/cases/999999/"):
        response = client.get(path, secure=True)
        assert response.status_code in (200, 404), path
        assert_security_headers(response, path=path)


def test_a_post_without_csrf_token_is_refused(world):
    """The test client skips CSRF checks unless told; a real browser post without the token fails."""
    client = login(Client(enforce_csrf_checks=True), world.pro_n)
    response = client.post(reverse("housing:search"), {"q": "Jansen"}, secure=True)
    assert response.status_code == 403
    assert_security_headers(response, path="csrf")
    api = login(Client(enforce_csrf_checks=True), world.pro_n)
    # The API with a session cookie needs the token too (DRF's SessionAuthentication).
    assert api.post("/api/cases/", {}, secure=True).status_code == 403


def test_no_view_is_exempt_from_csrf():
    offenders = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if "csrf_exempt" in p.read_text(encoding="utf-8") and "migrations" not in p.parts
    ]
    assert offenders == []


def test_cookies_are_http_only_and_secure_outside_debug():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")


# -- templates the CSP can serve ------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def template_files():
    files = sorted(TEMPLATES.rglob("*.html"))
    assert len(files) > 50
    return files


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (INLINE_SCRIPT, "an inline <script> (no src)"),
        (EVENT_HANDLER, "an on*= event handler attribute"),
        (STYLE_ATTRIBUTE, "a style= attribute"),
        (JS_URL, "a javascript: URL"),
    ],
)
def test_no_template_needs_what_the_csp_forbids(pattern, what):
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{text[: m.start()].count(chr(10)) + 1}"
        for path in template_files()
        for text in [path.read_text(encoding="utf-8")]
        for m in pattern.finditer(text)
    ]
    assert offenders == [], f"{what} in {offenders}"


def test_style_elements_only_in_pdf_templates():
    """WeasyPrint's PDFs carry their own <style>; they are rendered on the server, never served."""
    offenders = [
        str(p.relative_to(TEMPLATES))
        for p in template_files()
        if STYLE_ELEMENT.search(p.read_text(encoding="utf-8")) and not p.name.endswith("_pdf.html")
    ]
    assert offenders == []


def test_the_scan_would_catch_an_offender():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert EVENT_HANDLER.search('<button type="button" onclick="go()">')
    assert not EVENT_HANDLER.search('<button data-confirm="sure?">')
    assert STYLE_ATTRIBUTE.search('<p class="x" style="color:red">')
    assert JS_URL.search('<a href="javascript:void(0)">')
