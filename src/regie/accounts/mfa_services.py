"""Writes for signing in: enrolling an authenticator app, recovery codes, the administrator's
reset of a second factor, the demo accounts' published device, and changing one's password.
Each writes its audit record in the same transaction. Devices are django-otp's own (TOTPDevice,
StaticDevice), so its replay protection (a code works once) and throttling (growing delays after
wrong codes) apply."""

import base64

from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.accounts.models import User
from regie.audit.models import Action
from regie.audit.services import access_record

RECOVERY_CODE_COUNT = 10
# Published in the README on purpose: the demo accounts' authenticator secret, valid only for
# accounts marked is_demo, which log in only while the instance runs in demo mode.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 - published on purpose, demo mode only
DEMO_TOTP_KEY = base64.b32decode(DEMO_TOTP_SECRET).hex()


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def normalise_code(code: str) -> str:
    """Codes are typed with spaces or dashes ("123 456", "abcd-efgh"); compare without them."""
    return "".join(ch for ch in code if ch.isalnum()).lower()


def format_recovery_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def secret_base32(device: TOTPDevice) -> str:
    """The device's secret as an authenticator app asks for it, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _audit(*, by: User, user: User) -> None:
    access_record(user=by, action=Action.UPDATE, record_type="user", record_ids=[user.pk])


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same secret on every visit until it is confirmed.
    An unconfirmed device never counts for logging in (django-otp ignores it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code it shows; this replaces any earlier app and gives new recovery
    codes (returned once, to show once). None when the code is wrong."""
    if device.user_id != user.pk or device.confirmed:
        raise ValueError("not this user's pending device")
    if not device.verify_token(normalise_code(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    _audit(by=user, user=user)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Herstelcodes", confirmed=True)
    tokens: set[str] = set()
    while len(tokens) < RECOVERY_CODE_COUNT:
        tokens.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in sorted(tokens)])
    return [format_recovery_code(t) for t in sorted(tokens)]


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working. Returned once, to show once."""
    codes = _new_recovery_codes(user)
    _audit(by=user, user=user)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_verify(*, user: User, code: str) -> str | None:
    """Check a code from the authenticator app or a recovery code; answer the method that passed
    ("totp" or "recovery") or None. Six digits are tried as an app code, anything else as a
    recovery code, so a wrong guess counts against one device's throttle only."""
    code = normalise_code(code)
    if not code:
        return None
    if code.isdigit() and len(code) == 6:
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return "totp"
        return None
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):  # deletes the token: each recovery code works once
            _audit(by=user, user=user)
            return "recovery"
    return None


@transaction.atomic
def second_factor_reset(*, user: User, by: User) -> None:
    """The administrator's answer to a lost phone: remove the user's app and recovery codes, so
    the user enrols again at the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit(by=by, user=user)


@transaction.atomic
def demo_device_ensure(*, user: User) -> TOTPDevice:
    """The demo account's published authenticator (secret DEMO_TOTP_SECRET). Only for is_demo
    accounts: a real account never gets a secret that is printed in the README."""
    if not user.is_demo:
        raise ValueError("only demo accounts get the published secret")
    device = TOTPDevice.objects.filter(user=user, confirmed=True, key=DEMO_TOTP_KEY).first()
    if device is None:
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="Demo", key=DEMO_TOTP_KEY, confirmed=True)
    return device


def demo_code(*, at: float | None = None) -> str:
    """The code an authenticator app shows now for the demo secret."""
    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


@transaction.atomic
def account_password_change(*, user: User, password: str) -> User:
    """Set a new password (the caller's form has run the validators: length, common, breached)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    _audit(by=user, user=user)
    return user
