"""Lockout after 5 failed logins (django-axes): wrong passwords and wrong second-factor codes
count together, per user name and network address; failures are logged and the privacy officer
can read them."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core import checks
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regie.accounts import mfa
from tests.auth_helpers import give_totp, totp_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def browser(address="10.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies["django_language"] = "en"
    return client


def try_password(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_user_out_from_that_address(world):
    client = browser()
    for _ in range(4):
        assert try_password(client, "pro-n", "wrong-password-x").status_code == 200
    locked = try_password(client, "pro-n", "wrong-password-x")
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    # Now even the right password is refused, and the lockout page names no account.
    response = try_password(client, "pro-n", PASSWORD)
    assert response.status_code == 429 and b"pro-n" not in response.content
    assert "_auth_user_id" not in client.session
    # Logged, without the password.
    assert AccessFailureLog.objects.filter(username="pro-n").count() == 6
    assert AccessFailureLog.objects.filter(username="pro-n", locked_out=True).exists()
    assert not any("wrong-password-x" in a.post_data for a in AccessAttempt.objects.all())
    # The same user from another address, and another user from this one, are not locked out.
    assert try_password(browser("10.0.0.2"), "pro-n", PASSWORD).status_code == 302
    assert try_password(client, "pro-s", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(world, settings):
    client = browser()
    for _ in range(5):
        try_password(client, "pro-n", "wrong-password-x")
    assert try_password(client, "pro-n", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert try_password(client, "pro-n", PASSWORD).status_code == 302


def test_five_wrong_codes_lock_out_and_end_the_half_session(world):
    device = give_totp(world.pro_n)
    client = browser()
    assert try_password(client, "pro-n", PASSWORD).status_code == 302
    for _ in range(4):
        assert client.post(reverse("accounts:second_step"), {"code": "000000"}).status_code == 400
    response = client.post(reverse("accounts:second_step"), {"code": "000000"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session  # logged out: start again with the password
    assert try_password(client, "pro-n", PASSWORD).status_code == 429
    failures = AccessFailureLog.objects.filter(username="pro-n")
    assert failures.count() == 6 and all(f.path_info.startswith("/inloggen/") for f in failures)
    assert not any(totp_code(device) in a.post_data for a in AccessAttempt.objects.all())


def test_wrong_passwords_and_codes_count_together(world):
    give_totp(world.pro_n)
    client = browser()
    for _ in range(3):
        try_password(client, "pro-n", "wrong-password-x")
    try_password(client, "pro-n", PASSWORD)
    assert client.post(reverse("accounts:second_step"), {"code": "000000"}).status_code == 400
    assert client.post(reverse("accounts:second_step"), {"code": "000000"}).status_code == 429


def test_a_full_login_forgives_earlier_slips(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = give_totp(world.pro_n)
    client = browser()
    for _ in range(3):
        try_password(client, "pro-n", "wrong-password-x")
    try_password(client, "pro-n", PASSWORD)
    assert AccessAttempt.objects.filter(username="pro-n").exists()  # the password alone forgives nothing
    client.post(reverse("accounts:second_step"), {"code": totp_code(device)})
    assert client.session[mfa.SESSION_KEY] == "totp"
    assert not AccessAttempt.objects.filter(username="pro-n").exists()


def test_the_privacy_officer_sees_failed_logins(world, client, django_assert_max_num_queries):
    attacker = browser("192.0.2.7")
    for _ in range(5):
        try_password(attacker, "pro-n", "wrong-password-x")
    client.force_login(world.privacy)
    log = client.get(reverse("audit:log"))
    assert reverse("accounts:login_failures").encode() in log.content
    with django_assert_max_num_queries(8):  # no query per row
        page = client.get(reverse("accounts:login_failures"))
    assert page.status_code == 200
    assert len(page.context["page_obj"]) == 5 and [a.username for a in page.context["locked"]] == ["pro-n"]
    assert b"192.0.2.7" in page.content
    filtered = client.get(reverse("accounts:login_failures"), {"username": "pro-s"})
    assert len(filtered.context["page_obj"]) == 0


@pytest.mark.parametrize("who", ["pro_n", "admin", "mgr_n"])
def test_only_the_privacy_officer_sees_failed_logins(world, client, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("accounts:login_failures")).status_code == 404


def test_axes_is_configured_without_warnings():
    assert [m.id for m in checks.run_checks() if m.id.startswith("axes.")] == []


def test_a_user_name_longer_than_any_account_is_a_form_error_not_a_failure_record(client, world):
    """On PostgreSQL a 300-character name used to reach the lockout's failure record (255) and
    answer 500 (found by the fuzzer)."""

    response = client.post(reverse("login"), {"username": "x" * 300, "password": "whatever-it-is"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not AccessAttempt.objects.exists()
