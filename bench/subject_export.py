#!/usr/bin/env python
"""Subject-export bench (AVG art. 15): everything about one person, with a year of access logs for
100,000 households, in under 10 s (issue 7).

    .venv/bin/python bench/subject_export.py                       # PostgreSQL regie_bench_subject
    .venv/bin/python bench/subject_export.py --sqlite              # SQLite file in bench/out/
    .venv/bin/python bench/subject_export.py --households 20000    # smaller, quicker

1. Fills a database of its own (created and migrated) with 100,000 households (unit, tenancy, one
   person), a closed case for every fifth household with a few timeline entries, and a year of
   access-log rows: `--log-per-household` (40) per household spread over the household, its case
   and the person, by ~300 users — 4 million rows by default — plus a heavy history of 2,000 rows
   for the household measured. Written with COPY on PostgreSQL, executemany on SQLite. Skipped when
   the database holds that data set already (`--refill` starts over).
2. Times `subject_export()` + JSON, and the PDF, for the measured person (best of `--runs`), then
   measures the peak of Python allocations in one more traced run, and the process's peak RSS.
3. Prints the access-log query's plan, which must use the (record_type, record_id, -at) index.

Figures, never pass/fail: the exit status is non-zero only when the database can't be reached.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import secrets
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/regie_bench_subject"
TARGET_SECONDS = 10.0
SEED = 20261127
HEAVY_ROWS = 2_000


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="bench/subject_export.py", description=__doc__.splitlines()[0])
    p.add_argument("--url", default=os.environ.get("BENCH_SUBJECT_URL", DEFAULT_URL))
    p.add_argument("--sqlite", action="store_true", help="use a SQLite file in bench/out/ instead")
    p.add_argument("--households", type=int, default=100_000)
    p.add_argument("--log-per-household", type=int, default=40)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--refill", action="store_true")
    return p.parse_args(argv)


def configure(url: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "regie.settings",
            "DATABASE_URL": url,
            "REGIE_SECRET_KEY": os.environ.get("REGIE_SECRET_KEY") or secrets.token_urlsafe(50),
            "REGIE_DEBUG": "0",
            "REGIE_DEMO": "0",
            "REGIE_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def ensure_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def write(model, fields: list[str], rows) -> int:
    """COPY (PostgreSQL) or executemany (SQLite) rows of `fields` (model field names) into a table."""
    from django.db import connection

    meta = model._meta
    columns = [meta.get_field(f).column for f in fields]
    quoted = ", ".join(f'"{c}"' for c in columns)
    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{meta.db_table}" ({quoted}) FROM STDIN') as cp:
                for row in rows:
                    cp.write_row(row)
                    n += 1
        else:
            sql = f'INSERT INTO "{meta.db_table}" ({quoted}) VALUES ({", ".join(["%s"] * len(columns))})'  # noqa: S608
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 20_000:
                    cursor.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                n += len(batch)
    return n


def fill(args) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from regie.accounts.models import Area, Role, Team, User
    from regie.audit.models import AccessLogEntry
    from regie.cases.models import Case, TimelineEntry
    from regie.housing.models import Person, Tenancy, Unit

    call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(SEED)
    n = args.households
    area = Area.objects.create(code="bench", name="Bench")
    team = Team.objects.create(code="bench", name="Team Bench", area=area)
    users = [User(username=f"user{i:03d}", role=Role.PROFESSIONAL if i % 10 else Role.MANAGER) for i in range(300)]
    User.objects.bulk_create(users)
    users = list(User.objects.order_by("pk"))
    User.objects.create(username="privacy", role=Role.PRIVACY)
    director = users[1]
    director.teams.add(team)
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    started = time.perf_counter()
    with transaction.atomic():
        write(
            Unit,
            ["id", "unit_id", "street", "house_number", "house_number_suffix", "postcode", "city", "district", "area"],
            ((i, f"V{i:07d}", "Benchstraat", i % 300 + 1, "", "1234AB", "Bench", "", area.pk) for i in range(1, n + 1)),
        )
        write(
            Tenancy,
            ["id", "tenancy_id", "unit", "start_date", "end_date", "monthly_rent", "name"],
            ((i, f"HO{i:07d}", i, date(2015, 1, 1), None, "650.00", f"Huishouden {i}") for i in range(1, n + 1)),
        )
        write(
            Person,
            [
                "id",
                "person_id",
                "tenancy",
                "role",
                "first_name",
                "name_prefix",
                "last_name",
                "birth_date",
                "phone",
                "email",
            ],
            ((i, f"R{i:07d}", i, "HUU", "Test", "", f"Bewoner{i}", date(1970, 1, 1), "", "") for i in range(1, n + 1)),
        )
        case_of = {h: c for c, h in enumerate(range(1, n + 1, 5), start=1)}
        write(
            Case,
            [
                "id",
                "household",
                "status",
                "director",
                "team",
                "question",
                "opened_at",
                "closed_at",
                "outcome",
                "outcome_note",
                "next_step",
                "created_by",
            ],
            (
                (
                    c,
                    h,
                    "closed",
                    director.pk,
                    team.pk,
                    "Vraag",
                    now - timedelta(days=300),
                    now - timedelta(days=30),
                    "resolved",
                    "",
                    "",
                    director.pk,
                )
                for h, c in case_of.items()
            ),
        )
        write(
            TimelineEntry,
            ["case", "at", "kind", "actor", "data", "text"],
            ((c, now - timedelta(days=k), "status", director.pk, "{}", "") for c in case_of.values() for k in range(5)),
        )
    print(f"  households, cases: {time.perf_counter() - started:.1f} s", flush=True)

    started = time.perf_counter()

    def log_rows():
        year = 365 * 24 * 3600
        fields_common = ("normal", "case_direction", None, "web", "success", False, "")
        for h in range(1, n + 1):
            count = args.log_per_household + (HEAVY_ROWS if h == 1 else 0)
            case = case_of.get(h)
            for _ in range(count):
                u = users[rng.randrange(len(users))]
                roll = rng.random()
                if case and roll < 0.6:
                    kind, rid = "case", case
                elif roll < 0.95:
                    kind, rid = "household", h
                else:
                    kind, rid = "person", h
                at = now - timedelta(seconds=rng.randrange(year))
                yield (
                    at,
                    "read",
                    kind,
                    str(rid),
                    fields_common[0],
                    u.pk,
                    u.username,
                    u.role,
                    fields_common[6],
                    fields_common[1],
                    fields_common[2],
                    fields_common[3],
                    fields_common[4],
                    fields_common[5],
                )

    with transaction.atomic():
        rows = write(
            AccessLogEntry,
            [
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
            ],
            log_rows(),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{AccessLogEntry._meta.db_table}"')
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  access log: {rows:,} rows in {time.perf_counter() - started:.1f} s", flush=True)


def is_filled(args) -> bool:
    from regie.audit.models import AccessLogEntry
    from regie.housing.models import Tenancy

    want = args.households * args.log_per_household + HEAVY_ROWS
    return Tenancy.objects.count() == args.households and AccessLogEntry.objects.count() == want


def timed(fn, runs: int):
    """Best wall time of `runs` plain runs, then one more under tracemalloc for the allocation
    peak only: tracing every allocation slows WeasyPrint several times over."""
    best, result = None, None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak, result


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.sqlite:
        out = BENCH_DIR / "out"
        out.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{out / 'subject_export.sqlite3'}"
    else:
        url = args.url
        try:
            ensure_postgres(url)
        except Exception as exc:  # noqa: BLE001
            print(f"PostgreSQL is not reachable at {url}: {type(exc).__name__}")
            return 2
    configure(url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    if args.refill or not is_filled(args):
        print(f"Filling {connection.vendor} with {args.households:,} households …", flush=True)
        fill(args)

    from regie.accounts.models import User
    from regie.audit.models import AccessLogEntry
    from regie.housing.models import Person
    from regie.privacy.export import export_pdf_bytes, subject_export

    officer = User.objects.get(username="privacy")
    person = Person.objects.select_related("tenancy__unit").get(person_id="R0000001")

    def as_json():
        return json.dumps(subject_export(officer, person), ensure_ascii=False)

    json_s, json_peak, text = timed(as_json, args.runs)
    data = json.loads(text)

    def as_pdf():
        return export_pdf_bytes(subject_export(officer, person))

    pdf_s, pdf_peak, pdf = timed(as_pdf, max(1, args.runs - 1))
    case_ids = [str(c["id"]) for c in data["cases"]]
    plan = AccessLogEntry.objects.filter(record_type="case", record_id__in=case_ids).order_by("-at").explain()
    index_used = "record__8469dd" in plan  # audit 0001: Index(fields=["record_type", "record_id", "-at"])
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    total = AccessLogEntry.objects.count()
    print()
    print(f"Subject export on {connection.vendor}: {args.households:,} households, {total:,} access-log rows")
    print(f"  person's access entries: {len(data['access_log']):,}; cases: {len(data['cases'])}")
    target = f"target < {TARGET_SECONDS:.0f} s"
    print(f"  JSON: {json_s:6.2f} s  (peak Python allocations {json_peak / 2**20:6.1f} MB)  {target}")
    size = f"{len(pdf) / 1024:.0f} KB"
    print(f"  PDF:  {pdf_s:6.2f} s  (peak Python allocations {pdf_peak / 2**20:6.1f} MB, {size})  {target}")
    print(f"  process peak RSS: {rss_mb:.0f} MB")
    print("  access-log query plan:")
    for line in plan.splitlines():
        print(f"    {line}")
    print(f"  uses the (record_type, record_id, -at) index: {'yes' if index_used else 'CHECK THE PLAN'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
