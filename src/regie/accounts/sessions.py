"""Sessions: what a login leaves behind (a UserSession row), and ending sessions on request.

The policy (idle and absolute limits) is enforced per request by middleware_sessions.py; it keeps
its clock in the Django session itself under the keys below, so a normal request costs no query.
"""

import re
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import transaction
from django.utils import timezone

from regie.accounts.models import LoginMethod, SessionEndReason, User, UserSession
from regie.audit.models import Action
from regie.audit.services import access_record

# Keys in the Django session (epoch seconds; ints keep the session JSON small and exact).
SID = "regie_sid"  # the UserSession's id
LOGIN_AT = "regie_login_at"
SEEN_AT = "regie_seen_at"
KEY = "regie_key"  # the session key the UserSession row knows, to notice when Django rotates it


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
_SYSTEMS = [
    (r"iPhone|iPad", "iOS"),
    (r"Android", "Android"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
]


def device_label(user_agent: str) -> str:
    """Browser and operating system only; versions and the rest of the header are dropped."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), "")
    return " · ".join(p for p in (browser, system) if p)


def session_track(request, *, user: User) -> UserSession:
    """Remember a fresh login: a UserSession row, and the policy's clock in the session."""
    session = request.session
    if session.session_key is None:
        session.save()
    # Logging in again within a live session (same user: Django keeps the data) starts afresh.
    session_closed(session_id=session.get(SID), reason=SessionEndReason.LOGOUT)
    backend = session.get(BACKEND_SESSION_KEY, "") or getattr(user, "backend", "")
    method = LoginMethod.OIDC if backend.endswith("oidc.RegieOIDCBackend") else LoginMethod.PASSWORD
    now = timezone.now()
    row = UserSession.objects.create(
        user=user,
        session_key=session.session_key,
        created_at=now,
        last_seen_at=now,
        device=device_label(request.META.get("HTTP_USER_AGENT", ""))[:60],
        login_method=method,
    )
    epoch = int(now.timestamp())
    session.update({SID: row.pk, LOGIN_AT: epoch, SEEN_AT: epoch, KEY: session.session_key})
    return row


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_track(request, user=user)


def on_user_logged_out(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_closed(session_id=request.session.get(SID), reason=SessionEndReason.LOGOUT)


def session_closed(*, session_id: int | None, reason: str) -> None:
    """Mark a session ended that its own request is ending (logout, expiry): nothing to delete."""
    if session_id is not None:
        UserSession.objects.filter(pk=session_id, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason, session_key=None
        )


def session_seen(*, request) -> bool:
    """Mirror the session's activity into its row (the middleware calls this at most once a
    minute, or when Django rotated the key). False when the row was ended meanwhile."""
    session = request.session
    session[SEEN_AT] = int(time.time())
    session[KEY] = session.session_key
    return bool(
        UserSession.objects.filter(pk=session.get(SID), ended_at__isnull=True).update(
            last_seen_at=timezone.now(), session_key=session.session_key
        )
    )


def _end(rows: list[UserSession], *, reason: str) -> None:
    store = _session_store()
    for row in rows:
        if row.session_key:
            store().delete(row.session_key)
    UserSession.objects.filter(pk__in=[r.pk for r in rows]).update(
        ended_at=timezone.now(), end_reason=reason, session_key=None
    )


@transaction.atomic
def sessions_end_for(*, user: User, by: User | None, reason: str, keep: int | None = None) -> int:
    """End every live session of `user` (but `keep`, a UserSession id: the one asking): the
    session data is deleted, so the next request with its cookie is anonymous. Returns how many
    were ended."""
    rows = list(UserSession.objects.select_for_update().filter(user=user, ended_at__isnull=True).exclude(pk=keep))
    _end(rows, reason=reason)
    if rows:
        access_record(user=by, action=Action.DELETE, record_type="session", record_ids=[r.pk for r in rows])
    return len(rows)


@transaction.atomic
def session_end(*, session: UserSession, by: User, reason: str) -> None:
    """End one session (a user ending his own session on another device)."""
    _end([session], reason=reason)
    access_record(user=by, action=Action.DELETE, record_type="session", record_ids=[session.pk])


def sessions_of(user: User, *, pk: int | None = None):
    """A user's own live sessions; with pk, that one session or nothing (never someone else's)."""
    qs = UserSession.objects.active().filter(user=user)
    return qs.filter(pk=pk).first() if pk is not None else qs
