"""Writing the access log. Called inside the same transaction as the access it records."""

from collections.abc import Iterable

from django.db import transaction

from regie.audit import context
from regie.audit.models import AccessLogEntry, Action, Outcome, Sensitivity

# What each kind of record holds decides its sensitivity in the log.
SENSITIVITY = {"case": Sensitivity.SPECIAL, "household": Sensitivity.NORMAL}

PURPOSE_BY_ROLE = {
    "professional": "case_direction",
    "manager": "supervision",
    "department": "task",
    "admin": "configuration",
    "privacy": "privacy_audit",
}


def _entry(*, user, action: str, record_type: str, record_id, purpose: str | None, outcome: str) -> AccessLogEntry:
    ctx = context.current()
    return AccessLogEntry(
        action=action,
        record_type=record_type,
        record_id=str(record_id),
        sensitivity=SENSITIVITY.get(record_type, Sensitivity.NORMAL),
        user_id=getattr(user, "pk", None),
        username=getattr(user, "username", "") or "anonymous",
        user_role=getattr(user, "role", ""),
        on_behalf_of=ctx.on_behalf_of,
        purpose=purpose or PURPOSE_BY_ROLE.get(getattr(user, "role", ""), "other"),
        ip_address=ctx.ip_address,
        channel=ctx.channel,
        outcome=outcome,
        emergency=ctx.emergency,
    )


def access_record(*, user, action: str, record_type: str, record_ids: Iterable, purpose: str | None = None) -> None:
    """Log one access to each record; one INSERT however many records a list shows."""
    entries = [
        _entry(
            user=user,
            action=action,
            record_type=record_type,
            record_id=rid,
            purpose=purpose,
            outcome=Outcome.SUCCESS,
        )
        for rid in record_ids
    ]
    if entries:
        AccessLogEntry.objects.bulk_create(entries)


def access_denied(*, user, record_type: str, record_id, action: str = Action.READ) -> None:
    """Remember a refused access; the middleware writes it once the request's transaction is over."""
    context.current().denied.append((user, action, record_type, str(record_id)))


def flush_denied() -> None:
    ctx = context.current()
    if not ctx.denied:
        return
    with transaction.atomic():
        AccessLogEntry.objects.bulk_create(
            _entry(
                user=u,
                action=a,
                record_type=t,
                record_id=i,
                purpose=None,
                outcome=Outcome.DENIED,
            )
            for u, a, t, i in ctx.denied
        )
    ctx.denied.clear()
