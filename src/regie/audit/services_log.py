"""Keeping the access log: verify and report a broken chain as a security incident, purge entries
past their retention, tell the privacy officers. Mails name positions, ids and counts, never
personal data: the details are on the desk (/toegangslog/signalen/)."""

import logging
from datetime import datetime
from types import SimpleNamespace

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import Role, User
from regie.audit import chain
from regie.audit.models import AccessLogEntry, Action, IncidentKind, LogPurge, SecurityIncident
from regie.audit.services import access_record

logger = logging.getLogger(__name__)
# Who the log names for what the system does by itself (the nightly purge).
SYSTEM = SimpleNamespace(pk=None, username="regie-system", role="")


def notify_privacy_officers(*, subject: str, body: str) -> int:
    """E-mail every active privacy officer; how many were sent."""
    to = User.objects.filter(role=Role.PRIVACY, is_active=True).exclude(email="").values_list("email", flat=True)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in to]
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def _desk_url() -> str:
    return settings.REGIE_BASE_URL + reverse("audit:signals")


def incident_report(*, kind: str, details: str) -> SecurityIncident:
    """Record an incident and mail the privacy officers, once: the same open incident found
    again (verify runs nightly) is not reported twice."""
    with transaction.atomic():
        open_same = SecurityIncident.objects.filter(kind=kind, details=details, resolved_at__isnull=True).first()
        if open_same:
            return open_same
        incident = SecurityIncident(kind=kind, details=details)
        incident.full_clean()
        incident.save()
    logger.warning("security incident %s: %s", incident.pk, kind)
    notify_privacy_officers(
        subject=_("Regie security incident: %(kind)s") % {"kind": incident.get_kind_display()},
        body=_("%(kind)s\n\n%(details)s\n\nDetected at %(at)s. See %(url)s")
        % {
            "kind": incident.get_kind_display(),
            "details": details,
            "at": timezone.localtime(incident.detected_at).strftime("%Y-%m-%d %H:%M"),
            "url": _desk_url(),
        },
    )
    return incident


def incident_resolve(*, incident: SecurityIncident, by) -> SecurityIncident:
    with transaction.atomic():
        incident = SecurityIncident.objects.select_for_update().get(pk=incident.pk)
        if incident.resolved_at is None:
            incident.resolved_at, incident.resolved_by = timezone.now(), by
            incident.save(update_fields=["resolved_at", "resolved_by"])
            access_record(user=by, action=Action.UPDATE, record_type="security_incident", record_ids=[incident.pk])
    return incident


def log_verify_and_report(*, now: datetime | None = None) -> chain.Verdict:
    """Verify the chain; each problem found becomes a security incident mailed to the privacy officers."""
    verdict = chain.log_verify(now=now)
    if verdict.first_break:
        incident_report(kind=IncidentKind.CHAIN_BREAK, details=verdict.first_break)
    if verdict.guard_missing:
        incident_report(kind=IncidentKind.CHAIN_BREAK, details="the database triggers guarding the log are missing")
    if verdict.stale_unsealed:
        incident_report(
            kind=IncidentKind.UNSEALED,
            details=f"{verdict.stale_unsealed} entries older than an hour were not sealed (is the worker running?)",
        )
    return verdict


def log_purge(*, now: datetime | None = None) -> LogPurge | None:
    """Remove the entries past their retention (REGIE_ACCESS_LOG_YEARS, at least 5) from the start
    of the chain, and move the chain's anchor past them so verify still passes."""
    # Taken before the transaction opens: the database's own clock, which the trigger checks,
    # then reads no earlier, so every row this cutoff selects is old enough for the trigger too.
    now = now or timezone.now()
    cutoff = chain.retention_cutoff(now)
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    chain.log_seal()
    with transaction.atomic():
        chain._lock()
        head = chain._head()
        upto = chain.purge_upto(cutoff, head.anchor_seq)
        if upto <= head.anchor_seq:
            return None
        anchor_hash = AccessLogEntry.objects.values_list("hash", flat=True).get(seq=upto)
        with connection.cursor() as cursor:
            # The trigger allows this only for rows past the retention; the table name is the model's.
            cursor.execute(f"DELETE FROM {table} WHERE seq <= %s", [upto])  # noqa: S608
            purged = cursor.rowcount
        head.anchor_seq, head.anchor_hash = upto, anchor_hash
        head.save(update_fields=["anchor_seq", "anchor_hash", "updated_at"])
        record = LogPurge(purged=purged, up_to=cutoff, anchor_seq=upto)
        record.full_clean()
        record.save()
        access_record(
            user=SYSTEM,
            action=Action.DELETE,
            record_type="access_log",
            record_ids=[f"purge-{record.pk}"],
            purpose="retention",
        )
    logger.info("access log purge: %s entries before %s", purged, cutoff.date())
    return record
