"""The second factor: password, then a TOTP code or a one-time recovery code; enrolment with a QR
code; what an unverified session may reach; Mijn account; the administrator's reset; the demo."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from regie.accounts import mfa
from regie.accounts.mfa_services import (
    DEMO_TOTP_SECRET,
    demo_code,
    demo_device_ensure,
    recovery_codes_renew,
    second_factor_verify,
)
from regie.audit.models import AccessLogEntry
from tests.auth_helpers import give_totp, totp_code
from tests.factories import UserFactory, open_case

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture
def anon():
    """A client that logs in the way a person does: no shortcut past the second factor."""
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def password_step(client, user, next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def user_audit_entries(user):
    return AccessLogEntry.objects.filter(record_type="user", record_id=str(user.pk))


def test_password_then_code_then_the_page_asked_for(anon, world):
    device = give_totp(world.pro_n)
    response = password_step(anon, world.pro_n, next_url="/casussen/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second_step") + "?next=%2Fcasussen%2F"
    page = anon.get(response["Location"])
    assert page.status_code == 200 and b'autocomplete="one-time-code"' in page.content
    assert page.context["nav"] == []  # no menu before the second factor
    assert anon.get(reverse("cases:caseload")).status_code == 302  # not yet
    response = anon.post(response["Location"], {"code": totp_code(device), "next": "/casussen/"})
    assert response.status_code == 302 and response["Location"] == "/casussen/"
    assert anon.get(reverse("accounts:account")).status_code == 200
    assert anon.session[mfa.SESSION_KEY] == "totp"


def test_next_may_not_leave_the_site(anon, world):
    device = give_totp(world.pro_n)
    password_step(anon, world.pro_n)
    response = anon.post(reverse("accounts:second_step"), {"code": totp_code(device), "next": "https://evil.example/x"})
    assert response["Location"] == reverse("home")


def test_wrong_code_and_replayed_code_are_refused(anon, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's growing delay would hide the replay check
    device = give_totp(world.pro_n)
    password_step(anon, world.pro_n)
    code = totp_code(device)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = anon.post(reverse("accounts:second_step"), {"code": wrong})
    assert response.status_code == 400 and "code" in response.context["form"].errors
    assert anon.get(reverse("cases:caseload"))["Location"].startswith(reverse("accounts:second_step"))
    assert anon.post(reverse("accounts:second_step"), {"code": code}).status_code == 302
    # The same code again (another session, same 30 s): django-otp's replay protection refuses it.
    other = Client()
    password_step(other, world.pro_n)
    assert other.post(reverse("accounts:second_step"), {"code": code}).status_code == 400


def test_a_recovery_code_works_once(anon, world, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # django-otp's delay after the refused code, not tested here
    give_totp(world.pro_n)
    codes = recovery_codes_renew(user=world.pro_n)
    assert len(codes) == 10 and len(set(codes)) == 10
    password_step(anon, world.pro_n)
    response = anon.post(reverse("accounts:second_step"), {"code": codes[0].upper()})
    assert response.status_code == 302 and anon.session[mfa.SESSION_KEY] == "recovery"
    assert StaticToken.objects.filter(device__user=world.pro_n).count() == 9
    assert user_audit_entries(world.pro_n).count() == 2  # made, then one used
    anon.post(reverse("logout"))
    password_step(anon, world.pro_n)
    assert anon.post(reverse("accounts:second_step"), {"code": codes[0]}).status_code == 400
    assert anon.post(reverse("accounts:second_step"), {"code": codes[1]}).status_code == 302


def test_enrolment_with_a_qr_code_gives_recovery_codes_once(anon, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's delay after the wrong code, not tested here
    user = world.pro_n
    response = password_step(anon, user, next_url="/casussen/")
    response = anon.get(response["Location"])  # the second step sends a user without an app on
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:enrol"))
    page = anon.get(response["Location"])
    assert page.status_code == 200
    assert page.context["qr"].startswith("data:image/svg+xml")
    assert b'<img src="data:image/svg+xml' in page.content
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = page.context["secret"].replace(" ", "")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == pending.bin_key
    assert anon.get(response["Location"]).context["secret"] == page.context["secret"]  # stable on reload
    assert anon.post(reverse("accounts:enrol"), {"code": "000000x"}).status_code == 400
    response = anon.post(reverse("accounts:enrol"), {"code": totp_code(pending), "next": "/casussen/"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and all(c in response.content.decode() for c in codes)
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    assert anon.session[mfa.SESSION_KEY] == "totp"
    assert anon.get("/account/").status_code == 200
    assert user_audit_entries(user).exists()


def test_a_password_alone_cannot_replace_a_linked_app(anon, world):
    give_totp(world.pro_n)
    password_step(anon, world.pro_n)
    response = anon.get(reverse("accounts:enrol"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:second_step"))
    assert anon.post(reverse("accounts:enrol"), {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=world.pro_n).count() == 1


def test_an_unverified_session_reaches_no_case_and_no_api(anon, world):
    give_totp(world.pro_n)
    case = open_case(household=world.hh_n, director=world.pro_n)
    password_step(anon, world.pro_n)
    response = anon.get(case.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second_step") + "?next=" + case.get_absolute_url().replace(
        "/", "%2F"
    )
    api = anon.get("/api/cases/")
    assert api.status_code == 403 and "detail" in api.json()
    htmx = anon.get(case.get_absolute_url(), headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(reverse("accounts:second_step"))
    # Logging out and the language switch still work.
    assert anon.post(reverse("set_language"), {"language": "nl", "next": "/"}).status_code == 302
    assert anon.post(reverse("logout")).status_code == 302
    assert anon.get(case.get_absolute_url())["Location"].startswith(reverse("login"))


def test_a_token_api_client_needs_no_second_factor(world):
    token = Token.objects.create(user=world.pro_n)
    client = Client(headers={"authorization": f"Token {token.key}"})
    assert client.get("/api/households/").status_code == 200


def test_a_verified_request_costs_no_extra_query(world, settings):
    """The middleware reads only the session, which the page loads anyway."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.auth_helpers import VerifiedClient

    def queries_for_a_page() -> int:
        client = VerifiedClient()  # a new client builds the middleware chain from settings anew
        client.force_login(world.pro_n)
        client.get(reverse("accounts:account"))  # warm caches (content types, rules)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("accounts:account")).status_code == 200
        return len(ctx.captured_queries)

    with_check = queries_for_a_page()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("SecondFactorMiddleware")]
    assert with_check == queries_for_a_page()


def test_my_account_page_password_and_new_recovery_codes(client, world, django_assert_max_num_queries, settings):
    settings.LANGUAGE_CODE = "en"
    user = world.pro_n
    give_totp(user)
    recovery_codes_renew(user=user)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("accounts:account"))
    assert page.status_code == 200 and page.context["codes_left"] == 10
    assert b'href="/account/"' in page.content  # the user menu links here
    assert b"autofocus" not in page.content  # the page doesn't jump into the password form
    response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    old_tokens = set(StaticToken.objects.values_list("token", flat=True))
    assert not {c.replace("-", "") for c in response.context["codes"]} - old_tokens
    bad = client.post(
        reverse("accounts:account"),
        {"old_password": PASSWORD, "new_password1": "password1234", "new_password2": "password1234"},
    )
    assert bad.status_code == 400 and "new_password2" in bad.context["form"].errors
    response = client.post(
        reverse("accounts:account"),
        {
            "old_password": PASSWORD,
            "new_password1": "een-nieuw-lang-wachtwoord",
            "new_password2": "een-nieuw-lang-wachtwoord",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("een-nieuw-lang-wachtwoord")
    assert client.get(reverse("accounts:account")).status_code == 200  # this session stays, verified


def test_the_administrator_resets_a_lost_second_factor(client, anon, world):
    user = world.pro_n
    give_totp(user)
    recovery_codes_renew(user=user)
    client.force_login(world.admin)
    page = client.get(reverse("accounts:user_edit", args=[user.pk]))
    reset_url = reverse("accounts:user_second_factor_reset", args=[user.pk])
    assert reset_url.encode() in page.content
    assert client.get(reset_url).status_code == 405
    response = client.post(reset_url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    entry = user_audit_entries(user).get(user_id=world.admin.pk)
    assert entry.action == "update"
    # The user links a new app at the next login.
    response = password_step(anon, user)
    assert anon.get(response["Location"])["Location"].startswith(reverse("accounts:enrol"))


@pytest.mark.parametrize("who", ["pro_n", "privacy", "mgr_n"])
def test_only_the_administrator_resets(client, world, who):
    give_totp(world.pro_s)
    client.force_login(getattr(world, who))
    assert client.post(reverse("accounts:user_second_factor_reset", args=[world.pro_s.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=world.pro_s).exists()


def rfc6238(secret_b32: str, at: float) -> str:
    """RFC 6238 written out independently of django-otp, to check the demo code."""
    key = base64.b32decode(secret_b32)
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def test_demo_accounts_have_the_published_secret(anon, settings, capsys):
    from regie.core.demo.users import build_organisation

    _areas, _teams, users = build_organisation()
    for user in users.values():
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed and base64.b32encode(device.bin_key).decode() == DEMO_TOTP_SECRET
    now = time.time()
    assert demo_code(at=now) == rfc6238(DEMO_TOTP_SECRET, now)
    settings.DEMO_MODE = True
    before = time.time()
    call_command("totp_demo")
    printed = capsys.readouterr().out.split()[0]
    assert printed in {rfc6238(DEMO_TOTP_SECRET, before), rfc6238(DEMO_TOTP_SECRET, time.time())}
    user = users["demo-regisseur"]
    anon.post(reverse("login"), {"username": user.username, "password": "regie-demo"})
    assert anon.post(reverse("accounts:second_step"), {"code": demo_code()}).status_code == 302
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("totp_demo")


def test_only_demo_accounts_get_the_published_secret(world):
    with pytest.raises(ValueError):
        demo_device_ensure(user=world.pro_n)
    demo = UserFactory(is_demo=True)
    assert demo_device_ensure(user=demo).pk == demo_device_ensure(user=demo).pk


def test_verify_tries_six_digits_as_app_code_and_the_rest_as_recovery_code(world):
    device = give_totp(world.pro_n)
    codes = recovery_codes_renew(user=world.pro_n)
    assert second_factor_verify(user=world.pro_n, code="") is None
    assert second_factor_verify(user=world.pro_n, code=" " + codes[3].replace("-", " ") + " ") == "recovery"
    assert second_factor_verify(user=world.pro_n, code=totp_code(device)[:3] + " " + totp_code(device)[3:]) == "totp"
