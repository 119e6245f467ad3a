"""The access log below the application: database triggers that keep it append-only, the hash
chain that shows tampering, `regie audit-verify`, and the purge past the five-year retention."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from regie.audit import chain, triggers
from regie.audit.models import AccessLogEntry, ChainHead, IncidentKind, LogPurge, SecurityIncident
from regie.audit.services import _insert, _values, access_record
from regie.audit.services_log import log_purge, log_verify_and_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(world):
    world.privacy.email = "fg@example.org"
    world.privacy.save(update_fields=["email"])
    return world.privacy


def write(world, n=3, *, at=None, record_type="household"):
    """`n` entries as a page writes them; with `at`, entries from that moment."""
    common = _values(user=world.pro_n, action="read", record_type=record_type, purpose=None, outcome="success")
    if at is not None:
        common["at"] = connection.ops.adapt_datetimefield_value(at)
    _insert(common, [str(i) for i in range(1, n + 1)])


def refused(sql, params=()):
    """True when the database refuses the statement (inside a savepoint, so PostgreSQL's
    transaction survives the error)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def tamper(sql, params=()):
    """What someone who owns the database can do: lift the guard, change the table, put it back."""
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    triggers.install(connection)


def test_the_database_refuses_update_and_delete(world):
    write(world)
    entry_id = AccessLogEntry.objects.order_by("pk").values_list("pk", flat=True).first()
    assert refused("UPDATE audit_accesslogentry SET username = 'someone-else' WHERE id = %s", [entry_id])
    assert refused("DELETE FROM audit_accesslogentry WHERE id = %s", [entry_id])
    assert refused("DELETE FROM audit_accesslogentry")
    # A row may not arrive already sealed: only the sealer places rows in the chain.
    assert refused(
        "INSERT INTO audit_accesslogentry (at, action, record_type, record_id, sensitivity, username, user_role,"
        " on_behalf_of, purpose, channel, outcome, emergency, seq, hash)"
        " VALUES (%s, 'read', 'case', '1', 'special', 'x', '', '', 'x', 'web', 'success', %s, 999, 'f00')",
        [connection.ops.adapt_datetimefield_value(timezone.now()), False],
    )
    if connection.vendor == "postgresql":
        assert refused("TRUNCATE audit_accesslogentry")
    assert AccessLogEntry.objects.filter(username="pro-n").count() == 3


def test_sealing_is_the_only_update_allowed(world):
    write(world, 1)
    entry_id = AccessLogEntry.objects.get().pk
    # Sealing may set the chain columns, but not change anything else on the way.
    assert refused("UPDATE audit_accesslogentry SET seq = 1, hash = 'abc', username = 'x' WHERE id = %s", [entry_id])
    assert chain.log_seal() == 1
    entry = AccessLogEntry.objects.get()
    assert entry.seq == 1 and len(entry.hash) == 64
    # Once sealed, not even the chain columns may change.
    assert refused("UPDATE audit_accesslogentry SET seq = 2 WHERE id = %s", [entry_id])
    assert refused("UPDATE audit_accesslogentry SET seq = NULL, hash = NULL WHERE id = %s", [entry_id])


def test_rows_are_chained_in_order_and_verify(world):
    write(world, 120)
    assert chain.log_seal() == 120
    write(world, 5)
    assert chain.log_seal() == 5
    assert chain.log_seal() == 0
    rows = list(AccessLogEntry.objects.order_by("seq").values_list("seq", "hash"))
    assert [seq for seq, _ in rows] == list(range(1, 126))
    head = ChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == rows[-1]
    verdict = chain.log_verify()
    assert verdict.ok and verdict.checked == 125


def test_verify_command_says_ok(world, capsys):
    write(world, 10)
    call_command("audit-verify")
    assert "OK: 10 entries verified" in capsys.readouterr().out
    assert not SecurityIncident.objects.exists()


def test_a_changed_row_breaks_the_chain_and_is_reported(world, officer, capsys):
    write(world, 10)
    chain.log_seal()
    victim = AccessLogEntry.objects.get(seq=4)
    tamper("UPDATE audit_accesslogentry SET username = 'someone-else' WHERE id = %s", [victim.pk])
    with pytest.raises(SystemExit) as exit_:
        call_command("audit-verify")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert f"entry id {victim.pk} at position 4 does not match its hash" in err
    incident = SecurityIncident.objects.get()
    assert incident.kind == IncidentKind.CHAIN_BREAK and "position 4" in incident.details
    assert incident.resolved_at is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["fg@example.org"]
    # The mail names positions and ids, never who or what was read.
    assert "pro-n" not in mail.outbox[0].body and "someone-else" not in mail.outbox[0].body
    # Found again the next night: still one open incident, no second mail.
    log_verify_and_report()
    assert SecurityIncident.objects.count() == 1 and len(mail.outbox) == 1


def test_a_removed_row_breaks_the_chain(world):
    write(world, 10)
    chain.log_seal()
    tamper("DELETE FROM audit_accesslogentry WHERE seq = 7")
    verdict = chain.log_verify()
    assert not verdict.ok and "position 7 is missing" in verdict.first_break
    assert verdict.checked == 6


def test_a_removed_tail_breaks_the_chain(world):
    write(world, 10)
    chain.log_seal()
    tamper("DELETE FROM audit_accesslogentry WHERE seq > 8")
    verdict = chain.log_verify()
    assert "ends at position 8" in verdict.first_break


def test_a_missing_guard_is_reported(world, officer):
    write(world, 2)
    triggers.remove(connection)
    verdict = log_verify_and_report()
    assert verdict.guard_missing and not verdict.ok
    assert SecurityIncident.objects.filter(details__contains="triggers").exists()


def test_unsealed_entries_older_than_an_hour_are_reported(world, officer):
    write(world, 2, at=timezone.now() - timedelta(hours=2))
    verdict = log_verify_and_report()
    assert verdict.stale_unsealed == 2 and not verdict.first_break
    assert SecurityIncident.objects.get().kind == IncidentKind.UNSEALED
    # Verify sealed them: the next run is clean.
    assert chain.log_verify().ok


def test_purge_removes_only_what_is_past_retention_and_verify_stays_green(world):
    now = timezone.now()
    write(world, 4, at=now - timedelta(days=6 * 366))
    write(world, 3, at=now - timedelta(days=4 * 365))
    chain.log_seal()
    write(world, 2)
    purge = log_purge()
    assert purge.purged == 4 and purge.anchor_seq == 4
    assert LogPurge.objects.get() == purge
    assert not AccessLogEntry.objects.filter(at__lt=now - timedelta(days=5 * 366)).exists()
    # The purge is itself on the log, by the system.
    assert AccessLogEntry.objects.filter(record_type="access_log", action="delete", username="regie-system").exists()
    head = ChainHead.objects.get()
    assert head.anchor_seq == 4
    verdict = chain.log_verify()
    assert verdict.ok, verdict.first_break
    assert verdict.checked == AccessLogEntry.objects.count() == 3 + 2 + 1
    # Nothing more to purge: no second record.
    assert log_purge() is None
    # Entries within the five years stay, even for raw SQL.
    assert refused("DELETE FROM audit_accesslogentry WHERE seq = 5")


def test_removing_old_entries_outside_the_purge_shows(world):
    """The trigger lets anyone delete entries past retention; doing it without the purge (which
    moves the anchor) shows as a break."""
    write(world, 3, at=timezone.now() - timedelta(days=6 * 366))
    chain.log_seal()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE seq = 2")
    assert "position 2 is missing" in chain.log_verify().first_break


def test_retention_years_never_below_five(settings):
    settings.REGIE_ACCESS_LOG_YEARS = 2
    now = timezone.now()
    assert chain.retention_cutoff(now).year == now.year - 5
    settings.REGIE_ACCESS_LOG_YEARS = 7
    assert chain.retention_cutoff(now).year == now.year - 7


def test_late_rows_get_later_positions(world):
    """A row that commits after a later id was sealed is placed at the chain's end."""
    write(world, 2)
    chain.log_seal()
    access_record(user=world.pro_n, action="read", record_type="case", record_ids=[42])
    assert chain.log_seal() == 1
    assert AccessLogEntry.objects.get(record_id="42", record_type="case").seq == 3
    assert chain.log_verify().ok


def test_canonical_form_is_stable():
    at = timezone.now().replace(microsecond=0)
    row = (
        1,
        at,
        "read",
        "case",
        "7",
        "special",
        3,
        "pro-n",
        "professional",
        "",
        "case_direction",
        None,
        "web",
        "success",
        0,
    )
    text = chain.canonical(5, row).decode()
    assert text.startswith('[5,1,"') and ".000000+00:00" in text and text.endswith(",false]")
    assert chain.link(chain.GENESIS, 5, row) == chain.link(chain.GENESIS, 5, (*row[:-1], False))


def test_the_worker_keeps_sealer_and_nightly_run_scheduled(world):
    from regie.audit import tasks

    assert tasks.schedule() == ["sealer", "nightly verify"]
    assert tasks.schedule() == []
    write(world, 2)
    assert tasks.seal_log.call() == 2
    assert tasks.audit_nightly.call() == {"ok": True, "checked": 2, "purged": 0}


@pytest.mark.django_db(transaction=True)
def test_a_committing_test_still_ends_with_a_clean_flush(world):
    """conftest empties the log before pytest-django flushes the tables, which the triggers refuse."""
    write(world, 3)
    chain.log_seal()
    assert refused("DELETE FROM audit_accesslogentry")
    assert AccessLogEntry.objects.count() == 3
