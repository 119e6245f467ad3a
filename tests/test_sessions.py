"""Sessions: idle and absolute limits, ending them (by the administrator, by deactivation, by the
user himself, from the command line) and what a session cookie is worth after logout."""

import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from regie.accounts import sessions
from regie.accounts.models import LoginMethod, SessionEndReason, UserSession
from regie.audit.models import AccessLogEntry
from tests.auth_helpers import VerifiedClient

pytestmark = pytest.mark.django_db


def logged_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def shift(client, **seconds_ago) -> None:
    """Move the session's clock back instead of sleeping: login_at / seen_at seconds ago."""
    session = client.session
    now = int(time.time())
    if "login_at" in seconds_ago:
        session[sessions.LOGIN_AT] = now - seconds_ago["login_at"]
    if "seen_at" in seconds_ago:
        session[sessions.SEEN_AT] = now - seconds_ago["seen_at"]
    session.save()


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_records_a_session_with_its_clock_and_device(world):
    client = VerifiedClient(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko Firefox/128.0")
    client.post(reverse("login"), {"username": "pro-n", "password": "correct-horse-battery"})
    row = UserSession.objects.get(user=world.pro_n)
    session = client.session
    assert row.session_key == session.session_key and row.login_method == LoginMethod.PASSWORD
    assert row.device == "Firefox · Windows"
    assert session[sessions.SID] == row.pk and session[sessions.LOGIN_AT] == session[sessions.SEEN_AT]


def test_device_label_keeps_only_browser_and_system():
    assert sessions.device_label("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Version/17.5 Safari/605.1.15") == (
        "Safari · macOS"
    )
    edge = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0"
    assert sessions.device_label(edge) == "Edge · Windows"
    assert sessions.device_label("") == ""


def test_a_session_idle_too_long_ends_and_goes_to_login(world):
    client = logged_in(world.pro_n)
    shift(client, seen_at=settings.REGIE_SESSION_IDLE_MINUTES * 60 + 5)
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert not is_logged_in(client)
    row = UserSession.objects.get(user=world.pro_n)
    assert row.end_reason == SessionEndReason.IDLE and row.session_key is None
    page = client.get(response["Location"])
    assert any(m.level_tag == "warning" for m in page.context["messages"])


def test_an_active_session_still_ends_after_the_absolute_limit(world):
    client = logged_in(world.pro_n)
    shift(client, login_at=settings.REGIE_SESSION_MAX_HOURS * 3600 + 5, seen_at=10)
    assert client.get(reverse("cases:caseload")).status_code == 302
    assert not is_logged_in(client)
    assert UserSession.objects.get(user=world.pro_n).end_reason == SessionEndReason.MAX_AGE


def test_limits_come_from_settings(world, settings):
    settings.REGIE_SESSION_IDLE_MINUTES = 5
    client = logged_in(world.pro_n)
    shift(client, seen_at=4 * 60)
    assert client.get(reverse("cases:caseload")).status_code == 200
    shift(client, seen_at=6 * 60)
    assert client.get(reverse("cases:caseload")).status_code == 302


def test_expired_session_on_the_api_answers_401_json(world):
    client = logged_in(world.pro_n)
    shift(client, seen_at=settings.REGIE_SESSION_IDLE_MINUTES * 60 + 5)
    response = client.get("/api/households/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_expired_session_under_htmx_gets_a_client_redirect(world):
    client = logged_in(world.pro_n)
    shift(client, seen_at=settings.REGIE_SESSION_IDLE_MINUTES * 60 + 5)
    response = client.get(reverse("cases:caseload"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("login")


def test_a_normal_request_writes_nothing_and_a_busy_one_once_a_minute(world):
    client = logged_in(world.pro_n)
    client.get(reverse("cases:caseload"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cases:caseload")).status_code == 200
    touching = [q["sql"] for q in queries if "accounts_usersession" in q["sql"] or "django_session" in q["sql"]]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("SELECT")  # loading the session

    shift(client, seen_at=90)
    before = UserSession.objects.get(user=world.pro_n).last_seen_at
    assert client.get(reverse("cases:caseload")).status_code == 200
    assert UserSession.objects.get(user=world.pro_n).last_seen_at > before
    assert int(time.time()) - client.session[sessions.SEEN_AT] < 5


def test_a_session_from_before_the_policy_is_adopted(world):
    client = logged_in(world.pro_n)
    UserSession.objects.all().delete()
    session = client.session
    for key in (sessions.SID, sessions.LOGIN_AT, sessions.SEEN_AT, sessions.KEY):
        del session[key]
    session.save()
    assert client.get(reverse("cases:caseload")).status_code == 200
    row = UserSession.objects.get(user=world.pro_n)
    assert client.session[sessions.SID] == row.pk


def test_deactivating_an_account_ends_its_sessions_and_deletes_its_tokens(world):
    laptop, phone = logged_in(world.pro_n), logged_in(world.pro_n)
    Token.objects.create(user=world.pro_n)
    admin = logged_in(world.admin)
    response = admin.post(
        reverse("accounts:user_edit", args=[world.pro_n.pk]),
        {
            "first_name": "Test",
            "last_name": world.pro_n.last_name,
            "role": "professional",
            "department": "social",
            "teams": [world.team_n.pk],
            # is_active left out: the checkbox is off
        },
    )
    assert response.status_code == 302
    world.pro_n.refresh_from_db()
    assert not world.pro_n.is_active
    assert not Token.objects.filter(user=world.pro_n).exists()
    for client in (laptop, phone):
        assert client.get(reverse("cases:caseload")).status_code == 302
        assert not is_logged_in(client)
    rows = UserSession.objects.filter(user=world.pro_n)
    assert {r.end_reason for r in rows} == {SessionEndReason.DEACTIVATED}
    assert AccessLogEntry.objects.filter(record_type="session", username="fb", action="delete").count() == 2
    assert AccessLogEntry.objects.filter(record_type="user", record_id=str(world.pro_n.pk)).exists()


def test_administrator_sees_and_ends_a_users_sessions(world):
    victim = VerifiedClient(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36")
    victim.post(reverse("login"), {"username": "pro-n", "password": "correct-horse-battery"})
    assert is_logged_in(victim)
    admin = logged_in(world.admin)
    page = admin.get(reverse("accounts:user_edit", args=[world.pro_n.pk]))
    assert b"Chrome \xc2\xb7 Linux" in page.content
    assert reverse("accounts:user_sessions_end", args=[world.pro_n.pk]).encode() in page.content

    response = admin.post(reverse("accounts:user_sessions_end", args=[world.pro_n.pk]))
    assert response["Location"] == reverse("accounts:user_edit", args=[world.pro_n.pk])
    victim.get(reverse("cases:caseload"))
    assert not is_logged_in(victim)
    assert UserSession.objects.get(user=world.pro_n).end_reason == SessionEndReason.BY_ADMIN
    assert is_logged_in(admin)


def test_only_an_administrator_ends_sessions_and_only_by_post(world):
    victim = logged_in(world.pro_n)
    other = logged_in(world.mgr_n)
    assert other.post(reverse("accounts:user_sessions_end", args=[world.pro_n.pk])).status_code == 404
    admin = logged_in(world.admin)
    assert admin.get(reverse("accounts:user_sessions_end", args=[world.pro_n.pk])).status_code == 405
    assert victim.get(reverse("cases:caseload")).status_code == 200


def test_ending_sessions_also_catches_a_rotated_session_key(world):
    client = logged_in(world.pro_n)
    session = client.session
    session.cycle_key()  # what a password change does to the session that changed it
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.get(reverse("cases:caseload")).status_code == 200
    assert UserSession.objects.get(user=world.pro_n).session_key == session.session_key
    sessions.sessions_end_for(user=world.pro_n, by=world.admin, reason=SessionEndReason.BY_ADMIN)
    assert client.get(reverse("cases:caseload")).status_code == 302


def test_a_session_cookie_used_after_logout_is_refused(world):
    client = logged_in(world.pro_n)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    assert UserSession.objects.get(user=world.pro_n).end_reason == SessionEndReason.LOGOUT
    replay = VerifiedClient()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get(reverse("cases:caseload"))["Location"].startswith(reverse("login"))
    assert replay.get("/api/households/").status_code in (401, 403)


def test_user_sees_his_sessions_and_ends_another_one(world):
    here = logged_in(world.pro_n)
    there = logged_in(world.pro_n)
    logged_in(world.pro_s)  # someone else's session never shows
    page = here.get(reverse("accounts:account"))
    assert page.status_code == 200
    mine = {s.pk for s in page.context["user"].sessions.active()}
    assert mine == set(UserSession.objects.filter(user=world.pro_n).values_list("pk", flat=True))
    other_pk = there.session[sessions.SID]
    assert reverse("accounts:my_session_end", args=[other_pk]).encode() in page.content
    assert reverse("accounts:my_session_end", args=[here.session[sessions.SID]]).encode() not in page.content

    response = here.post(reverse("accounts:my_session_end", args=[other_pk]), {"next": reverse("accounts:account")})
    assert response["Location"] == reverse("accounts:account")
    assert there.get(reverse("cases:caseload")).status_code == 302
    assert UserSession.objects.get(pk=other_pk).end_reason == SessionEndReason.BY_USER


def test_user_cannot_end_someone_elses_or_his_current_session(world):
    mine, theirs = logged_in(world.pro_n), logged_in(world.pro_s)
    assert mine.post(reverse("accounts:my_session_end", args=[theirs.session[sessions.SID]])).status_code == 404
    assert mine.post(reverse("accounts:my_session_end", args=[mine.session[sessions.SID]])).status_code == 404
    assert theirs.get(reverse("cases:caseload")).status_code == 200


def test_end_sessions_command(world):
    client = logged_in(world.pro_n)
    call_command("end_sessions", "pro-n", by="fb")
    assert client.get(reverse("cases:caseload")).status_code == 302
    assert AccessLogEntry.objects.filter(record_type="session", username="fb").exists()


def test_logging_in_again_in_the_same_session_leaves_one_live_row(world):
    client = logged_in(world.pro_n)
    client.force_login(world.pro_n)
    assert UserSession.objects.active().filter(user=world.pro_n).count() == 1


def test_changing_ones_password_ends_the_other_sessions_and_keeps_this_one(world):
    """Django invalidates the other sessions' data; they must leave the list of where one is
    logged in too, and this session must stay."""
    world.pro_n.set_password("Oud-wachtwoord-2026!")
    world.pro_n.save()
    here = logged_in(world.pro_n)
    there = logged_in(world.pro_n)
    here_pk, there_pk = here.session[sessions.SID], there.session[sessions.SID]
    response = here.post(
        reverse("accounts:account"),
        {
            "old_password": "Oud-wachtwoord-2026!",
            "new_password1": "Nieuw-lang-wachtwoord-77",
            "new_password2": "Nieuw-lang-wachtwoord-77",
        },
    )
    assert response.status_code == 302
    assert UserSession.objects.get(pk=there_pk).end_reason == SessionEndReason.BY_USER
    assert UserSession.objects.get(pk=here_pk).ended_at is None
    assert here.get(reverse("cases:caseload")).status_code == 200
    assert there.get(reverse("cases:caseload")).status_code == 302
