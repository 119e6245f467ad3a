"""Refuse passwords that are known from data breaches (Have I Been Pwned's Pwned Passwords).

Only the first five characters of the password's SHA-1 hash leave the server (k-anonymity), and
the answer is padded (`Add-Padding: true`) so its size doesn't hint at the hash either. When the
service can't be reached the check is skipped with a warning (fail open): a down third party must
not stop people from setting a password, and the other validators (length, common passwords)
still apply. Nothing of the password is ever logged.
"""

import hashlib
import logging
from urllib.error import URLError
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RANGE_URL = "https://api.pwnedpasswords.com/range/"


def breach_count(password: str, *, timeout: float) -> int | None:
    """How often the password occurs in known breaches; None when the service didn't answer."""
    # SHA-1 is the range API's own scheme (k-anonymity lookup), not a password hash we store.
    digest = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest().upper()
    prefix, suffix = digest[:5], digest[5:]
    request = Request(  # noqa: S310 - a fixed https URL
        RANGE_URL + prefix, headers={"Add-Padding": "true", "User-Agent": "Regie password check"}
    )
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 - a fixed https URL
            body = response.read().decode("ascii", errors="replace")
    except (URLError, TimeoutError, OSError, ValueError) as exc:
        logger.warning("Breached-password check unavailable (%s); password accepted without it", type(exc).__name__)
        return None
    for line in body.splitlines():
        candidate, _sep, count = line.strip().partition(":")
        if candidate == suffix:
            # Padding lines carry a count of 0: they are not breached passwords.
            return int(count) if count.strip().isdigit() else 0
    return 0


class PwnedPasswordValidator:
    """AUTH_PASSWORD_VALIDATORS entry; on or off with REGIE_PWNED_PASSWORDS (read when validating)."""

    def __init__(self, timeout: float = 3.0):
        self.timeout = timeout

    def validate(self, password: str, user=None) -> None:
        if not getattr(settings, "REGIE_PWNED_PASSWORDS", False):
            return
        if breach_count(password, timeout=self.timeout):
            raise ValidationError(
                _("This password appears in known data breaches, so attackers try it first. Choose another one."),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be one that appears in known data breaches.")
