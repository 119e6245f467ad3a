"""What a locked-out client sees, and the counting of wrong second-factor codes.

Lockout is per user name *and* network address together (AXES_LOCKOUT_PARAMETERS): by user name
alone anyone could lock a colleague out by typing wrong passwords for him; by address alone one
office behind a shared address would be locked out together. Wrong passwords and wrong codes at
the second step count towards the same limit, so knowing the password buys no extra guesses.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _minutes() -> int:
    cool_off = settings.AXES_COOLOFF_TIME
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a Dutch page (or JSON for the API), status 429. Names no account."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/") or request.headers.get("x-requested-with") == "XMLHttpRequest":
        detail = _("Too many failed attempts. Try again in %(minutes)s minutes.") % {"minutes": _minutes()}
        return JsonResponse({"detail": detail}, status=status)
    return render(request, "accounts/lockout.html", {"minutes": _minutes()}, status=status)


def credentials_for(user) -> dict:
    return {"username": user.get_username()}


def is_locked_out(request, user) -> bool:
    return not AxesProxyHandler.is_allowed(request, credentials_for(user))


def count_failure(request, user) -> bool:
    """Count a wrong second-factor code as a failed login (axes logs it and may lock out); answer
    whether the client is now locked out."""
    user_login_failed.send(sender=__name__, credentials=credentials_for(user), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def reset_failures(request, user) -> None:
    """After both factors passed, the earlier slips of this user from this address are forgiven."""
    AxesProxyHandler.reset_attempts(ip_address=get_client_ip_address(request), username=user.get_username())
