"""Whether this session has passed the second factor. Kept in the session, so checking it costs
no query on each request; the login flow (password, then TOTP or a recovery code) and single
sign-on both mark it through `mark_verified`."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

SESSION_KEY = "regie_2fa"


def mark_verified(request, *, method: str) -> None:
    """Record that the user has passed a second factor (method: "totp", "recovery", "oidc")."""
    request.session[SESSION_KEY] = method


def is_verified(request) -> bool:
    session = getattr(request, "session", None)
    return session is not None and bool(session.get(SESSION_KEY))


def clear_verified(request) -> None:
    """A fresh password login starts unverified, whatever the session carried before."""
    request.session.pop(SESSION_KEY, None)


def safe_next(request, default: str | None = None) -> str:
    """The `next` page to return to, only when it is on this site; otherwise the default (home)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
