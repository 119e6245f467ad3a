"""The access log's hash chain: seal new entries, verify the whole chain, purge past retention.

Pages write their entries unsealed (`seq` and `hash` NULL) inside their own transaction, so no
request waits on a chain-wide lock. The sealer, run every minute by the worker and at the start
of every verify, takes the committed unsealed rows in id order under a lock and links each to
the one before: `hash = sha256(previous hash, newline, canonical row)`, the canonical row being a
compact JSON array of the position and every field. A row that commits late (a lower id after a
higher one was sealed) simply gets a later position; `seq`, not `id`, is the chain's order.

`ChainHead` holds where the chain ends (last position and hash) and where it starts: after a
purge the chain starts after the last purged row, whose position and hash stay as the anchor.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from regie.audit import triggers
from regie.audit.models import AccessLogEntry, ChainHead

GENESIS = "0" * 64
# The fields a hash covers, in this order; `seq` goes first in the serialisation.
FIELDS = tuple(triggers.COLUMNS)
# Any fixed number: the key of PostgreSQL's advisory lock that serialises sealers and purges.
_LOCK_KEY = 7513_0001
_BATCH = 5000
# Unsealed rows older than this mean the sealer is not running (the worker is down).
STALE_AFTER = timedelta(hours=1)


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_AT, _IP, _EMERGENCY = FIELDS.index("at"), FIELDS.index("ip_address"), FIELDS.index("emergency")


def _utc_text(value) -> str:
    """A moment as 'YYYY-MM-DDTHH:MM:SS.ffffff+00:00' from either database's raw value: Django
    keeps datetimes in UTC, and SQLite hands them back naive (or as text, without its converters)."""
    if isinstance(value, str):
        text = value.replace(" ", "T", 1)
        return (text if "." in text else text + ".000000") + "+00:00"
    if value.tzinfo is None:
        return value.isoformat(timespec="microseconds") + "+00:00"
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(seq: int, row) -> bytes:
    """One row (the raw values of FIELDS, in order) as bytes, the same on every database."""
    values = [seq, *row]
    values[1 + _AT] = _utc_text(row[_AT])
    values[1 + _EMERGENCY] = bool(row[_EMERGENCY])
    if row[_IP] is not None:
        values[1 + _IP] = str(row[_IP])
    return _encode(values).encode()


def link(prev_hash: str, seq: int, row) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(seq, row)).hexdigest()


def _raw_rows(where: str, order: str, params=(), *, columns=FIELDS, limit: int | None = None):
    """Raw rows of the log, streamed (a server-side cursor on PostgreSQL): Django's per-value
    converters cost more than hashing. `where` and `order` are constants of this module."""
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(triggers.TABLE)}"  # noqa: S608
        f" WHERE {where} ORDER BY {order}" + (f" LIMIT {int(limit)}" if limit else "")
    )
    cursor = connection.chunked_cursor() if limit is None else connection.cursor()
    try:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(10_000):
            yield from batch
    finally:
        cursor.close()


def _lock() -> None:
    """Serialise sealers (and the purge) until the transaction ends. On SQLite the transaction
    itself does it: settings open every transaction IMMEDIATE, which takes the write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    return head or ChainHead.objects.create(pk=1)


def log_seal() -> int:
    """Give every committed unsealed entry its place in the chain; how many were sealed."""
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    sealed = 0
    with transaction.atomic():
        _lock()
        head = _head()
        seq, prev = head.last_seq, head.last_hash
        while True:
            rows = list(_raw_rows("seq IS NULL", "id", limit=_BATCH))
            if not rows:
                break
            updates = []
            for row in rows:
                seq += 1
                prev = link(prev, seq, row)
                updates.append((seq, prev, row[0]))
            with connection.cursor() as cursor:
                # The table name comes from the model; every value is a bound parameter.
                cursor.executemany(
                    f"UPDATE {table} SET seq = %s, hash = %s WHERE id = %s AND seq IS NULL",  # noqa: S608
                    updates,
                )
            sealed += len(rows)
        if sealed:
            head.last_seq, head.last_hash = seq, prev
            head.save(update_fields=["last_seq", "last_hash", "updated_at"])
    return sealed


@dataclass
class Verdict:
    checked: int = 0
    first_break: str = ""  # what broke and where: positions and ids only, never personal data
    stale_unsealed: int = 0
    guard_missing: bool = False

    @property
    def ok(self) -> bool:
        return not (self.first_break or self.stale_unsealed or self.guard_missing)


def guard_installed() -> bool:
    """Whether the database still has the triggers that keep the log append-only."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger"
                " WHERE tgrelid = %s::regclass AND NOT tgisinternal AND tgenabled <> 'D'",
                [triggers.TABLE],
            )
            return cursor.fetchone()[0] >= 3
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [triggers.TABLE])
        return cursor.fetchone()[0] >= 3


def log_verify(*, now: datetime | None = None) -> Verdict:
    """Seal, then recompute the whole chain from its anchor, streaming; stop at the first break."""
    now = now or timezone.now()
    verdict = Verdict()
    # Counted before sealing: afterwards nothing committed is unsealed.
    verdict.stale_unsealed = AccessLogEntry.objects.filter(seq__isnull=True, at__lt=now - STALE_AFTER).count()
    log_seal()
    verdict.guard_missing = not guard_installed()
    head = ChainHead.objects.filter(pk=1).first() or ChainHead()
    expected, prev = head.anchor_seq + 1, head.anchor_hash
    rows = _raw_rows("seq IS NOT NULL", "seq", columns=("seq", "hash", *FIELDS))
    for seq, stored, *row in rows:
        if seq != expected:
            verdict.first_break = (
                f"position {expected} is missing (next entry found: position {seq}, id {row[0]})"
                if seq > expected
                else f"entry id {row[0]} at position {seq} lies before the chain's start ({head.anchor_seq})"
            )
            return verdict
        if link(prev, seq, row) != stored:
            verdict.first_break = f"entry id {row[0]} at position {seq} does not match its hash"
            return verdict
        prev, expected = stored, expected + 1
        verdict.checked += 1
    if (expected - 1, prev) != (head.last_seq, head.last_hash):
        verdict.first_break = f"the chain ends at position {expected - 1}, its head records {head.last_seq}"
    return verdict


def retention_cutoff(now: datetime) -> datetime:
    years = max(triggers.RETENTION_YEARS, getattr(settings, "REGIE_ACCESS_LOG_YEARS", triggers.RETENTION_YEARS))
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def purge_upto(cutoff: datetime, anchor_seq: int) -> int:
    """The last position of the chain's oldest stretch in which every entry lies before the cutoff.
    Walks from the anchor along the `seq` index and stops at the first younger entry, so it reads
    only what goes."""
    upto = anchor_seq
    while True:
        batch = list(AccessLogEntry.objects.filter(seq__gt=upto).order_by("seq").values_list("seq", "at")[:_BATCH])
        for seq, at in batch:
            if at >= cutoff:
                return upto
            upto = seq
        if len(batch) < _BATCH:
            return upto
