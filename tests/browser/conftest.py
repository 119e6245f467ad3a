"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is downloaded: we launch /usr/bin/chromium; without it every browser test is skipped.
"""

import os
import re
from pathlib import Path

import pytest

from tests.factories import AreaFactory, PersonFactory, TeamFactory, TenancyFactory, UnitFactory, UserFactory

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls from
# "async" code without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery"  # UserFactory's password
AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the dev environment has it
    sync_playwright = None

SKIP_REASON = (
    "Chromium not found at /usr/bin/chromium (apt-get install chromium)"
    if not CHROMIUM.exists()
    else "the playwright package is not installed"
)
needs_browser = pytest.mark.skipif(
    not CHROMIUM.exists() or sync_playwright is None,
    reason=f"browser tests skipped: {SKIP_REASON}",
)
# Every module in this folder: pytestmark = BROWSER
BROWSER = [pytest.mark.browser, needs_browser]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """What a page did behind the scenes: console errors, script errors, every request URL."""

    def __init__(self, page):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("request", lambda req: self.requests.append(req.url))

    @property
    def csp_violations(self) -> list[str]:
        return [m for m in self.console_errors if "Content Security Policy" in m]


@pytest.fixture
def language():
    """The UI language the context asks for (cookie `django_language`); None leaves the default."""
    return "en"


@pytest.fixture
def context(browser, live_server, language):
    # A Dutch browser, as the users have; CSP stays enforced (no bypass_csp).
    ctx = browser.new_context(base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam")
    ctx.set_default_timeout(10_000)
    if language:
        ctx.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    # axe-core is served under the app's own origin, so `script-src 'self'` lets it run.
    ctx.route(
        re.compile(r".*/__test__/axe\.min\.js$"),
        lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"),
    )
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.watch = PageWatch(page)
    yield page
    page.close()


@pytest.fixture
def login(page):
    """Log a user in through the login form, as a person would; returns the page."""

    def _login(user, password=PASSWORD):
        from tests.auth_helpers import give_totp, totp_code

        device = give_totp(user)  # the user's authenticator app
        device.last_t = -1  # a second login within the same 30 s would otherwise be a replay
        device.save(update_fields=["last_t"])
        page.goto("/inloggen/")
        page.get_by_label(re.compile("Username|Gebruikersnaam")).fill(user.username)
        page.get_by_label(re.compile("Password|Wachtwoord")).fill(password)
        page.get_by_role("button", name=re.compile("^(Log in|Inloggen)$")).click()
        page.wait_for_url(re.compile(r"/inloggen/tweede-stap/"))
        page.get_by_label(re.compile("^(Code)")).fill(totp_code(device))
        page.get_by_role("button", name=re.compile("^(Confirm|Bevestigen)$")).click()
        page.wait_for_url(lambda url: "/inloggen/" not in url)
        return page

    return _login


@pytest.fixture
def force_login(context, live_server):
    """Log a user in by handing the browser a session cookie: quicker where login isn't tested."""
    from django.conf import settings

    from tests.auth_helpers import VerifiedClient

    def _force_login(user):
        client = VerifiedClient()  # the session has passed the second factor too
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])

    return _force_login


@pytest.fixture
def town(transactional_db):
    """A small world like `world`: an area with a team of two professionals and a manager, a
    household with two members, a neighbouring household, and a privacy officer."""
    from regie.accounts.models import Role

    area = AreaFactory(code="noord", name="Noord")
    team = TeamFactory(area=area, name="Team Noord")

    class Town:
        pass

    t = Town()
    t.area, t.team = area, team
    t.pro = UserFactory(username="pro", first_name="Petra", last_name="Prins", role=Role.PROFESSIONAL, teams=[team])
    t.pro2 = UserFactory(username="pro2", first_name="Karim", last_name="Kok", role=Role.PROFESSIONAL, teams=[team])
    t.mgr = UserFactory(username="mgr", first_name="Mila", last_name="Meijer", role=Role.MANAGER, teams=[team])
    t.privacy = UserFactory(username="fg", first_name="Femke", last_name="Groen", role=Role.PRIVACY)
    t.hh = TenancyFactory(unit=UnitFactory(area=area, street="Lindelaan", house_number=12), name="Jansen")
    t.anna = PersonFactory(tenancy=t.hh, first_name="Anna", last_name="Jansen", role="HUU")
    t.bram = PersonFactory(tenancy=t.hh, first_name="Bram", last_name="Jansen", role="KIN")
    t.other = TenancyFactory(unit=UnitFactory(area=area, street="Eikenlaan", house_number=3), name="Pietersen")
    return t
