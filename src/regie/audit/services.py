"""Writing the access log. Called inside the same transaction as the access it records."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from regie.audit import context
from regie.audit.models import AccessLogEntry, Action, Outcome, Sensitivity

# What each kind of record holds decides its sensitivity in the log.
# An action's text can name an addiction or a debt: special category, like the case it belongs to.
SENSITIVITY = {"case": Sensitivity.SPECIAL, "action": Sensitivity.SPECIAL, "household": Sensitivity.NORMAL}

PURPOSE_BY_ROLE = {
    "professional": "case_direction",
    "manager": "supervision",
    "department": "task",
    "admin": "configuration",
    "privacy": "privacy_audit",
}


def _values(*, user, action: str, record_type: str, purpose: str | None, outcome: str) -> dict:
    """Everything an entry holds but the record's id, which is all that differs within one access."""
    ctx = context.current()
    ops = connection.ops
    return {
        "at": ops.adapt_datetimefield_value(ctx.at or timezone.now()),
        "action": action,
        "record_type": record_type,
        "sensitivity": SENSITIVITY.get(record_type, Sensitivity.NORMAL),
        "user_id": getattr(user, "pk", None),
        "username": getattr(user, "username", "") or "anonymous",
        "user_role": getattr(user, "role", ""),
        "on_behalf_of": ctx.on_behalf_of,
        "purpose": ctx.purpose or purpose or PURPOSE_BY_ROLE.get(getattr(user, "role", ""), "other"),
        "ip_address": ops.adapt_ipaddressfield_value(ctx.ip_address),
        "channel": ctx.channel,
        "outcome": outcome,
        "emergency": ctx.emergency,
    }


_CHAIN = ("seq", "hash")
# Under an emergency grant (noodknop) a user may only read: every write logs itself through here, so
# refusing here keeps the grant read-only whatever view or API the write came through.
_EMERGENCY_ALLOWED = (Action.READ,)

# At most this many rows per INSERT statement (SQLite's limit on parameters is the tightest).
_CHUNK = 50


def _insert(common: dict, record_ids: list[str]) -> None:
    """One multi-row INSERT per chunk. Written by hand rather than with bulk_create: a page logs
    every row it shows, on every request, and building that many model instances cost ~1-2 ms."""
    # The chain columns stay NULL: the sealer fills them once the row has committed.
    fields = [f for f in AccessLogEntry._meta.concrete_fields if not f.primary_key and f.attname not in _CHAIN]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    names = [f.attname for f in fields]
    table = quote(AccessLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(record_ids), _CHUNK):
            chunk = record_ids[start : start + _CHUNK]
            params = [rid if name == "record_id" else common[name] for rid in chunk for name in names]
            values = ", ".join([row] * len(chunk))
            # Table and column names come from the model; every value is a bound parameter.
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)  # noqa: S608


def access_record(*, user, action: str, record_type: str, record_ids: Iterable, purpose: str | None = None) -> None:
    """Log one access to each record, in the caller's transaction."""
    ids = [str(rid) for rid in record_ids]
    if ids and context.current().emergency and action not in _EMERGENCY_ALLOWED:
        raise PermissionDenied
    if ids:
        _insert(
            _values(user=user, action=action, record_type=record_type, purpose=purpose, outcome=Outcome.SUCCESS), ids
        )


def access_denied(*, user, record_type: str, record_id, action: str = Action.READ) -> None:
    """Remember a refused access; the middleware writes it once the request's transaction is over."""
    context.current().denied.append((user, action, record_type, str(record_id)))


def flush_denied() -> None:
    ctx = context.current()
    if not ctx.denied:
        return
    with transaction.atomic():
        for user, action, record_type, record_id in ctx.denied:
            common = _values(user=user, action=action, record_type=record_type, purpose=None, outcome=Outcome.DENIED)
            _insert(common, [record_id])
    ctx.denied.clear()
