"""Logging in for tests: the test client's force_login/login also pass the second factor (most
tests are about something else), and a user can be given an authenticator app whose codes the
test computes."""

import time

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.accounts import mfa


class VerifiedClient(Client):
    """Django's test client whose force_login and login also mark the session's second factor as
    passed, as a real login through /inloggen/tweede-stap/ would."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        self._mark_verified()

    def login(self, **credentials):
        logged_in = super().login(**credentials)
        if logged_in:
            self._mark_verified()
        return logged_in

    def _mark_verified(self):
        session = self.session
        session[mfa.SESSION_KEY] = "test"
        session.save()


def give_totp(user) -> TOTPDevice:
    """A confirmed authenticator app for the user (the existing one if there is one)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test", confirmed=True)


def totp_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code the user's app shows now (or `offset_steps` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
