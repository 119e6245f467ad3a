"""The database's own guard on the access log: append-only below the application.

The model and its queryset already refuse update and delete; these triggers refuse them for any
SQL that reaches the table, on PostgreSQL and SQLite alike. Two changes stay possible:

- Sealing: setting `seq` and `hash` on a row whose chain columns are still NULL, with every other
  column unchanged. Forged chain values are harmless: verify recomputes every hash.
- Purge: deleting a row whose `at` lies more than RETENTION_YEARS in the past. A time rule rather
  than a session flag or a magic setting: anything the purge service could set, SQL injected into
  the application could set too, while a row's age can't be faked after the fact (`at` is part
  of the sealed row). The worst such SQL can do is remove entries that were due to go anyway,
  and removing anything but the oldest part of the chain shows as a break in verify.

An INSERT may not bring its own chain values: only the sealer places rows in the chain.

These triggers stop the application's SQL, not the database owner, who can drop them; the hash
chain and `regie audit-verify` are what show such tampering. Run the application as a database
role that does not own the tables where you can (docs/privacy.md).

A migration that adds a column to the log must call `install()` again: the SQLite trigger lists
the columns that sealing must leave unchanged.
"""

TABLE = "audit_accesslogentry"
# NEN 7513 asks five years; REGIE_ACCESS_LOG_YEARS may keep entries longer, never shorter.
RETENTION_YEARS = 5
# Every column but the chain's own: sealing must leave these exactly as they were.
COLUMNS = [
    "id",
    "at",
    "action",
    "record_type",
    "record_id",
    "sensitivity",
    "user_id",
    "username",
    "user_role",
    "on_behalf_of",
    "purpose",
    "ip_address",
    "channel",
    "outcome",
    "emergency",
]
MESSAGE = "the access log is append-only"

# Built from the constants above only: no outside value ever reaches this DDL.
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_accesslog_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.seq IS NOT NULL OR NEW.hash IS NOT NULL THEN
            RAISE EXCEPTION '{MESSAGE}: rows are sealed by the sealer' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        IF OLD.seq IS NULL AND OLD.hash IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL
           AND (to_jsonb(NEW) - 'seq' - 'hash') = (to_jsonb(OLD) - 'seq' - 'hash') THEN
            RETURN NEW;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.at < now() - interval '{RETENTION_YEARS} years' THEN
            RETURN OLD;
        END IF;
    ELSIF TG_OP = 'TRUNCATE' THEN
        -- Emptying a table that holds nothing still within its retention loses nothing.
        IF NOT EXISTS (SELECT 1 FROM {TABLE} WHERE at >= now() - interval '{RETENTION_YEARS} years') THEN
            RETURN NULL;
        END IF;
    END IF;
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""  # noqa: S608

_PG_INSTALL = [
    _PG_FUNCTION,
    f"DROP TRIGGER IF EXISTS audit_accesslog_guard_row ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_accesslog_guard_insert ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_accesslog_guard_truncate ON {TABLE}",
    # Every page inserts log rows: the WHEN clause, evaluated without calling the function, lets a
    # normal (unsealed) row through at no cost and sends only a forged sealed one to the guard.
    f"""CREATE TRIGGER audit_accesslog_guard_insert BEFORE INSERT ON {TABLE}
        FOR EACH ROW WHEN (NEW.seq IS NOT NULL OR NEW.hash IS NOT NULL) EXECUTE FUNCTION audit_accesslog_guard()""",
    f"""CREATE TRIGGER audit_accesslog_guard_row BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_accesslog_guard()""",
    f"""CREATE TRIGGER audit_accesslog_guard_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_accesslog_guard()""",
]
_PG_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_accesslog_guard_row ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_accesslog_guard_insert ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_accesslog_guard_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_accesslog_guard()",
]

_SQLITE_UNCHANGED = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in COLUMNS)
_SQLITE_NAMES = ["audit_accesslog_no_insert_sealed", "audit_accesslog_no_update", "audit_accesslog_no_delete"]
_SQLITE_INSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_NAMES),
    f"""CREATE TRIGGER audit_accesslog_no_insert_sealed BEFORE INSERT ON {TABLE}
        WHEN NEW.seq IS NOT NULL OR NEW.hash IS NOT NULL
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: rows are sealed by the sealer'); END""",
    f"""CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON {TABLE}
        WHEN NOT (OLD.seq IS NULL AND OLD.hash IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL
                  AND {_SQLITE_UNCHANGED})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    # Django stores datetimes in SQLite as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]', which sorts
    # like SQLite's own datetime('now', ...).
    f"""CREATE TRIGGER audit_accesslog_no_delete BEFORE DELETE ON {TABLE}
        WHEN NOT (OLD.at < datetime('now', '-{RETENTION_YEARS} years'))
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
_SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_NAMES]


def _statements(connection, *, install: bool) -> list[str]:
    if connection.vendor == "postgresql":
        return _PG_INSTALL if install else _PG_REMOVE
    if connection.vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_REMOVE
    raise NotImplementedError(f"no access log guard for {connection.vendor}")


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=True):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=False):
            cursor.execute(sql)


def empty_throwaway_log(connection) -> None:
    """Empty the log, its chain, purges, incidents and emergency grants, with the guard lifted for
    that moment only.

    For throwaway databases alone: the demo's reset (`regie demo --reset`, demo mode only) and
    tests that commit, whose database is flushed after each test. Never for a real log."""
    from django.db import transaction

    from regie.audit.models import ChainHead, EmergencyAccess, LogPurge, SecurityIncident

    with transaction.atomic(using=connection.alias):
        remove(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - a constant table name
        install(connection)
        # What describes the old log goes with it (grants name case ids that a new demo reuses).
        for model in (ChainHead, EmergencyAccess, LogPurge, SecurityIncident):
            model.objects.using(connection.alias).all().delete()
