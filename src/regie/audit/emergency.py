"""The emergency override (noodknop): read access to one case outside one's scope, for a few hours,
with a stated reason; every read under it is flagged in the access log, and the privacy officers
are told at once.

The request never reveals whether a case exists: asking for a case number that does not exist
answers exactly like one that does (the caller redirects to the case page, which then 404s), and
is logged as a refused emergency access for the privacy officer to see.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.audit import context
from regie.audit.models import Action, EmergencyAccess, Outcome
from regie.audit.services import _insert, _values

MIN_REASON = 20
PURPOSE = "emergency"


def emergency_hours() -> int:
    return getattr(settings, "REGIE_EMERGENCY_HOURS", 8)


def may_use_emergency(user) -> bool:
    # Only those who direct cases; the privacy officer, admins and departments never read case content.
    return user.is_authenticated and user.reads_case_content


def _log(*, user, case_id: int, outcome: str) -> None:
    common = _values(user=user, action=Action.READ, record_type="case", purpose=PURPOSE, outcome=outcome)
    common.update(emergency=True, purpose=PURPOSE)
    _insert(common, [str(case_id)])


def emergency_request(*, user, case_id: int, reason: str) -> EmergencyAccess | None:
    """Grant `user` read access to case `case_id` for REGIE_EMERGENCY_HOURS; None when no such case
    exists (or he may see it anyway). The caller must answer the same either way."""
    from regie.cases.models import Case

    if not may_use_emergency(user):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": _("Explain the emergency in at least %(n)d characters.") % {"n": MIN_REASON}})
    from regie.cases.selectors import cases_visible_to

    # The demo replays past overrides at their own moment (AccessContext.at); nobody is mailed then.
    replayed_at = context.current().at
    now = replayed_at or timezone.now()
    with transaction.atomic():
        if cases_visible_to(user).filter(pk=case_id).exists():
            return None  # his own case: no override needed, nothing to report
        if not Case.objects.filter(pk=case_id).exists():
            _log(user=user, case_id=case_id, outcome=Outcome.DENIED)
            return None
        grant = EmergencyAccess(
            user=user,
            case_id=case_id,
            reason=reason,
            granted_at=now,
            expires_at=now + timedelta(hours=emergency_hours()),
        )
        grant.full_clean()
        grant.save()
        _log(user=user, case_id=case_id, outcome=Outcome.SUCCESS)
        if replayed_at is None:
            transaction.on_commit(lambda: _notify(grant))
    return grant


def _notify(grant: EmergencyAccess) -> None:
    from regie.audit.services_log import notify_privacy_officers

    # The reason may name the tenant: it stays on the desk, out of the mail.
    notify_privacy_officers(
        subject=_("Regie: emergency access used"),
        body=_(
            "User %(user)s used the emergency override for case %(case)s at %(at)s; the access expires at "
            "%(until)s. The reason is on the access log desk: %(url)s"
        )
        % {
            "user": grant.user.username,
            "case": grant.case_id,
            "at": timezone.localtime(grant.granted_at).strftime("%Y-%m-%d %H:%M"),
            "until": timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M"),
            "url": settings.REGIE_BASE_URL + reverse("audit:signals"),
        },
    )


def active_grant(user, case_id: int) -> EmergencyAccess | None:
    if not may_use_emergency(user):
        return None
    return EmergencyAccess.objects.active().filter(user=user, case_id=case_id).order_by("-expires_at").first()


def enter_emergency(grant: EmergencyAccess) -> None:
    """From here to the end of the request every access is logged as an emergency, and writes are
    refused (regie.audit.services.access_record)."""
    ctx = context.current()
    ctx.emergency, ctx.purpose = True, PURPOSE
