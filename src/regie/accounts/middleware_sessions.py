"""Session limits: a session ends after REGIE_SESSION_IDLE_MINUTES without a request and after
REGIE_SESSION_MAX_HOURS in all, whatever the activity (ASVS 5.0 V7.3).

The clock lives in the session (accounts/sessions.py), which the request loads anyway, so a
normal request costs no query and no write; the session and its UserSession row are written at
most once a minute. Must come after the session, auth, messages and htmx middleware, and before
the second-factor check (an expired session should go to the login page, not to the TOTP step).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY as AUTH_USER_KEY
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from regie.accounts import sessions
from regie.accounts.models import SessionEndReason

# How often a busy session writes its last activity (seconds).
WRITE_EVERY = 60


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # A request without a session cookie loads nothing here; one with a cookie loads the
        # session, which authentication does in the same request anyway.
        if session.session_key is not None and session.get(AUTH_USER_KEY) is not None:
            reason = self._check(request)
            if reason:
                return self._expire(request, reason)
        return self.get_response(request)

    def _check(self, request) -> str:
        session = request.session
        login_at, seen_at = session.get(sessions.LOGIN_AT), session.get(sessions.SEEN_AT)
        if login_at is None:
            # Logged in before this policy existed (or by a path that skipped the login signal):
            # adopt it once, starting its clock now.
            sessions.session_track(request, user=request.user)
            return ""
        now = int(time.time())
        if now - login_at > settings.REGIE_SESSION_MAX_HOURS * 3600:
            return SessionEndReason.MAX_AGE
        if now - seen_at > settings.REGIE_SESSION_IDLE_MINUTES * 60:
            return SessionEndReason.IDLE
        if (now - seen_at >= WRITE_EVERY or session.get(sessions.KEY) != session.session_key) and not (
            sessions.session_seen(request=request)
        ):
            # Its row was ended elsewhere (an administrator, another device) while the session
            # data survived, e.g. because Django rotated the key in between.
            return SessionEndReason.BY_ADMIN
        return ""

    def _expire(self, request, reason: str):
        sessions.session_closed(session_id=request.session.get(sessions.SID), reason=reason)
        logout(request)
        message = _("Your session has expired; please log in again.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=401, headers={"WWW-Authenticate": 'Session realm="regie"'})
        messages.warning(request, message)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(resolve_url(settings.LOGIN_URL))
        next_url = request.get_full_path() if request.method == "GET" else request.path
        return redirect_to_login(next_url)
