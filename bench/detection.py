#!/usr/bin/env python
"""Detection bench: Regie's `detect()` against pandas and DuckDB on the same synthetic corporation.

    .venv/bin/python bench/detection.py                      # 100,000 tenancies (target < 2 s)
    .venv/bin/python bench/detection.py --tenancies 2300000  # national scale (< 30 s, < 4 GB)

1. Fills the PostgreSQL database `regie_bench_detect` (created, migrated with `call_command`) with a
   seeded synthetic data set straight through `COPY`: units, tenancies (some ended, some not yet
   started), 24 monthly arrears snapshots each, ~3 events per tenancy in a realistic mix of domain
   codes, legal steps, reminders and codes of no domain; problem households draw most events. The
   rows are generated with numpy and written as CSV by Polars, never row by row in Python. A fill
   is skipped when the database already holds that data set (a marker table says which).
2. Times, each in its own process so each gets its own peak RSS, best of `--runs` (3):
   - Regie: `regie.signalling.detection.detect()` reading the Django tables in PostgreSQL;
   - pandas: the tables read with `COPY` into `pandas.read_csv`, then the rules as groupby code;
   - DuckDB: the rules as SQL over Parquet copies of the tables (exported once, not timed).
3. Checks the three give the same (tenancy_id, domains, score) rows in the same order, and prints
   a table with the ratios and the targets. Figures, never pass/fail: the exit status is 0 when a
   target is missed, non-zero only when the results differ or the database is unreachable.

The pandas and DuckDB versions read the rule numbers and code lists from the same configuration
(`rules.defaults()`), and compare amounts in whole cents as Regie does; with floats they would
disagree at exact band boundaries (3 x 733.33 is 2199.9900000000002).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT = BENCH_DIR / "out" / "detection"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/regie_bench_detect"
AS_OF = date(2026, 11, 27)
SEED = 20261127
GENERATOR_VERSION = 1
EVENTS_PER_TENANCY = 3
MONTHS = 24
TARGETS = {100_000: (2.0, None), 2_300_000: (30.0, 4096.0)}  # tenancies: (seconds, MB)

Z, S = "ZAAKTYPEDETAILSOORT.", "SIGNALERINGDETAILSOORT."
# (type, weight): the mix of events; roughly a fifth finances, a quarter behaviour, a quarter
# liveability, a twentieth care, the rest collection steps and codes of no domain.
EVENT_MIX = [
    (Z + "HUA", 4), (Z + "BET", 3), (S + "BET", 3), (S + "DEU", 2),
    ("REGIE.DAG", 1.2), ("REGIE.VON", 0.4), ("REGIE.ONT", 0.2),
    (Z + "GEL", 5), (Z + "RUZ", 3), (Z + "AGR", 1), (Z + "STA", 1), (Z + "VAN", 1), (Z + "DIE", 1),
    (Z + "DRU", 0.6), (Z + "HEN", 0.4), (S + "AGS", 1), (S + "FYS", 0.5), (S + "VEB", 0.6),
    (S + "SCH", 0.4), (S + "BRA", 0.2), (S + "GEL", 1.5), (S + "DRU", 0.5), (S + "HEN", 0.3),
    (Z + "VUI", 3), (Z + "VUIL", 1), (Z + "ONG", 2.5), (Z + "ONV", 1), (Z + "KLI", 3),
    (S + "VER", 1), (S + "MUT", 1), ("REGIE.GTO", 6), ("REGIE.VWL", 1),
    (Z + "PSY", 2), (Z + "VER", 1), ("REGIE.ZRG", 2),
    ("REGIE.AAN", 6), ("REGIE.CTP", 4), ("REGIE.BZW", 0.5),
    (Z + "HUR", 6), (Z + "KME", 2), (Z + "OVE", 5), (Z + "HAN", 2), (S + "BEW", 1), (S + "AMB", 1),
]  # fmt: skip
SOURCES = ["INC", "OHD", "WIJ", "KCC", "PAR", "POL", "HUU"]


# Queries here are composed from the bench's own table names, dates and configuration numbers: no
# outside input reaches them.
# ruff: noqa: S608

# --- database and Django ---------------------------------------------------------------------------


def setup_django(url: str) -> None:
    """Point Regie's settings at the bench database; must run before anything imports Django models."""
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "regie.settings",
            "DATABASE_URL": url,
            "REGIE_DEBUG": "0",
            "REGIE_DEMO": "0",
            "REGIE_LOG_LEVEL": "WARNING",
            "REGIE_SECRET_KEY": os.environ.get("REGIE_SECRET_KEY", "bench-detection-not-secret-" + "x" * 40),
            "REGIE_DATA_DIR": os.environ.get("REGIE_DATA_DIR", str(ROOT / "var")),
        }
    )
    os.environ.pop("REGIE_TESTING", None)
    import django

    django.setup()


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def marker(n: int) -> str:
    return json.dumps({"tenancies": n, "seed": SEED, "version": GENERATOR_VERSION, "as_of": AS_OF.isoformat()})


def filled_with(url: str) -> str | None:
    import psycopg

    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('bench_detect_meta')").fetchone()[0] is None:
            return None
        row = conn.execute("SELECT value FROM bench_detect_meta WHERE key = 'dataset'").fetchone()
        return row[0] if row else None


# --- generation --------------------------------------------------------------------------------------


def _money(cents):
    """Polars expression: whole cents as a decimal text (`-12.50`), exact."""
    import polars as pl

    a = cents.abs()
    return pl.format(
        "{}{}.{}",
        pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        a // 100,
        (a % 100).cast(pl.String).str.zfill(2),
    )


def _copy(conn, table: str, df, *, not_null: tuple[str, ...] = ()) -> None:
    buffer = io.BytesIO()
    df.write_csv(buffer, include_header=False, null_value="", date_format="%Y-%m-%d")
    options = "FORMAT csv" + (f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else "")
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(df.columns)}) FROM STDIN ({options})") as copy:
        view = buffer.getbuffer()
        for start in range(0, len(view), 1 << 24):
            copy.write(view[start : start + (1 << 24)])


def _secondary_indexes(conn, table: str) -> list[tuple[str, str, str | None]]:
    """(name, CREATE INDEX statement, constraint definition or None) of every index but the primary key."""
    rows = conn.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid), pg_get_constraintdef(c.oid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.conrelid = x.indrelid
        WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
        """,
        [table],
    ).fetchall()
    return [(name, definition, constraint) for name, definition, constraint in rows]


def generate(url: str, n: int) -> dict[str, int]:
    """Fill the bench database with `n` tenancies and their snapshots and events (seeded)."""
    import numpy as np
    import polars as pl
    import psycopg
    from django.core.management import call_command

    from regie.housing.models import ArrearsSnapshot, Event, Tenancy, Unit

    call_command("migrate", interactive=False, verbosity=0)
    t_unit, t_ten, t_snap, t_event = (m._meta.db_table for m in (Unit, Tenancy, ArrearsSnapshot, Event))
    rng = np.random.default_rng(SEED)
    epoch = date(1970, 1, 1)
    d = (AS_OF - epoch).days
    counts = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_detect_meta")
        conn.execute(f"TRUNCATE {t_event}, {t_snap}, {t_ten}, {t_unit} RESTART IDENTITY CASCADE")
        conn.execute("SET session_replication_role = replica")  # no FK triggers: the ids are ours
        conn.execute("SET maintenance_work_mem = '1GB'")
        dropped = {}
        for table in (t_snap, t_event):
            dropped[table] = _secondary_indexes(conn, table)
            for name, _definition, constraint in dropped[table]:
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"' if constraint else f'DROP INDEX "{name}"')

        ids = np.arange(1, n + 1, dtype=np.int64)
        _copy(
            conn,
            t_unit,
            pl.DataFrame({"id": ids}).select(
                "id",
                unit_id=pl.format("BV{}", pl.col("id")),
                street=pl.lit("Benchstraat"),
                house_number=(pl.col("id") % 999) + 1,
                house_number_suffix=pl.lit(""),
                postcode=pl.lit("1234 AB"),
                city=pl.lit("Benchstad"),
                district=pl.lit(""),
            ),
            not_null=("house_number_suffix", "district"),
        )
        counts["units"] = n

        # 96 % running, 3 % ended before D, 1 % starting after D. Tenancy numbers are plain numbers,
        # so their order as text ("10" before "9") differs from their order as numbers.
        kind = rng.choice(3, size=n, p=[0.96, 0.03, 0.01])
        start = d - rng.integers(30, 9000, size=n)
        end = np.where(kind == 1, d - rng.integers(1, 700, size=n), -1)
        start = np.where(kind == 1, np.minimum(start, end - 1), start)
        start = np.where(kind == 2, d + rng.integers(1, 90, size=n), start)
        rent = rng.integers(45_000, 95_001, size=n)
        tenancies = pl.DataFrame({"id": ids, "start": start, "end": end, "rent": rent}).select(
            "id",
            tenancy_id=pl.col("id").cast(pl.String),
            unit_id="id",
            start_date=pl.col("start").cast(pl.Int32).cast(pl.Date),
            end_date=pl.when(pl.col("end") >= 0).then(pl.col("end")).cast(pl.Int32).cast(pl.Date),
            monthly_rent=_money(pl.col("rent")),
            name=pl.lit(""),
        )
        _copy(conn, t_ten, tenancies, not_null=("name",))
        counts["tenancies"] = n

        # Snapshots on the first of each of the 24 months up to D. Seven in ten pay; the others
        # walk: a month missed adds the rent (and a bit), a catch-up takes one to two rents off.
        firsts = []
        y, m = AS_OF.year, AS_OF.month
        for _ in range(MONTHS):
            firsts.append((date(y, m, 1) - epoch).days)
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        firsts.reverse()
        chunk = 250_000
        snap_id = 0
        for lo in range(0, n, chunk):
            hi = min(n, lo + chunk)
            crng = np.random.default_rng([SEED, lo])
            size = hi - lo
            r = rent[lo:hi]
            struggling = crng.random(size) < 0.30
            balance = np.zeros(size, dtype=np.int64)
            months = np.empty((size, MONTHS), dtype=np.int64)
            for k in range(MONTHS):
                roll = crng.random(size)
                miss = struggling & (roll < 0.22)
                catch_up = struggling & (roll > 0.85)
                balance = balance + np.where(miss, r + crng.integers(0, 5_000, size=size), 0)
                balance = np.where(
                    catch_up, balance - (r * crng.uniform(0.5, 2.0, size=size)).astype(np.int64), balance
                )
                balance = np.maximum(balance, 0)
                credit = crng.random(size) < 0.03  # a month in credit now and then
                months[:, k] = np.where(credit, -crng.integers(100, 20_000, size=size), balance)
            # Some land exactly on a band boundary, where only exact arithmetic is right.
            exact = struggling & (crng.random(size) < 0.02)
            months[:, -1] = np.where(exact, r * crng.integers(1, 4, size=size), months[:, -1])
            frame = pl.DataFrame(
                {
                    "tenancy_id": np.repeat(ids[lo:hi], MONTHS),
                    "day": np.tile(np.array(firsts, dtype=np.int32), size),
                    "cents": months.reshape(-1),
                }
            )
            frame = frame.select(
                id=pl.int_range(snap_id + 1, snap_id + 1 + frame.height, dtype=pl.Int64),
                tenancy_id="tenancy_id",
                date=pl.col("day").cast(pl.Date),
                balance=_money(pl.col("cents")),
            )
            snap_id += frame.height
            _copy(conn, t_snap, frame)
        counts["snapshots"] = snap_id

        # Events: over the two years up to D and a few days after it; six in ten on the 15 % of
        # households with problems; one in a hundred on a unit with no tenancy.
        n_events = EVENTS_PER_TENANCY * n
        problem = rng.choice(n, size=max(1, int(0.15 * n)), replace=False)
        owner = np.where(
            rng.random(n_events) < 0.6, problem[rng.integers(0, len(problem), n_events)], rng.integers(0, n, n_events)
        )
        weights = np.array([w for _t, w in EVENT_MIX], dtype=float)
        types = np.array([t for t, _w in EVENT_MIX])
        on_unit_only = rng.random(n_events) < 0.01
        events = pl.DataFrame(
            {
                "id": np.arange(1, n_events + 1, dtype=np.int64),
                "source": np.array(SOURCES)[rng.integers(0, len(SOURCES), n_events)],
                "day": (d - rng.integers(-10, 730, n_events)).astype(np.int32),
                "owner": ids[owner],
                "unit_only": on_unit_only,
                "type": types[rng.choice(len(types), size=n_events, p=weights / weights.sum())],
                "severity": rng.choice(np.array([1, 2, 3], dtype=np.int16), size=n_events, p=[0.6, 0.3, 0.1]),
            }
        ).select(
            "id",
            "source",
            event_id=pl.format("E{}", pl.col("id")),
            date=pl.col("day").cast(pl.Date),
            tenancy_id=pl.when(~pl.col("unit_only")).then(pl.col("owner")),
            unit_id="owner",
            type="type",
            severity="severity",
            description=pl.lit(""),
        )
        _copy(conn, t_event, events, not_null=("description",))
        counts["events"] = n_events

        conn.execute("SET max_parallel_maintenance_workers = 2")
        for table, indexes in dropped.items():
            for name, definition, constraint in indexes:
                if constraint:
                    conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {constraint}')
                else:
                    conn.execute(definition)
        for table in (t_unit, t_ten, t_snap, t_event):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        conn.execute("SET session_replication_role = DEFAULT")
        conn.execute("VACUUM ANALYZE")
        conn.execute("CREATE TABLE bench_detect_meta (key text PRIMARY KEY, value text)")
        conn.execute("INSERT INTO bench_detect_meta VALUES ('dataset', %s)", [marker(n)])
    return counts


def export_parquet(url: str, n: int) -> Path:
    """Parquet copies of the three tables for DuckDB (once per data set; not timed)."""
    import polars as pl
    import psycopg

    folder = OUT / f"parquet-{n}"
    done = folder / "marker.json"
    if done.exists() and done.read_text() == marker(n):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    setup_names = _table_names()
    with psycopg.connect(url) as conn:

        def read(sql: str, schema: dict) -> pl.DataFrame:
            buffer = io.BytesIO()
            with conn.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
            buffer.seek(0)
            return pl.read_csv(buffer, has_header=False, schema=schema)

        read(
            f"SELECT id, tenancy_id, start_date, end_date, (monthly_rent * 100)::bigint FROM {setup_names['tenancy']}",
            {"id": pl.Int64, "tenancy_id": pl.String, "start_date": pl.Date, "end_date": pl.Date, "rent_c": pl.Int64},
        ).write_parquet(folder / "tenancy.parquet")
        read(
            f"SELECT id, tenancy_id, date, type, severity FROM {setup_names['event']}",
            {"id": pl.Int64, "tenancy_id": pl.Int64, "date": pl.Date, "type": pl.String, "severity": pl.Int16},
        ).write_parquet(folder / "event.parquet")
        step = 250_000
        for i, lo in enumerate(range(0, n, step)):
            read(
                f"SELECT tenancy_id, date, (balance * 100)::bigint FROM {setup_names['snapshot']} "
                f"WHERE tenancy_id > {lo} AND tenancy_id <= {lo + step}",
                {"tenancy_id": pl.Int64, "date": pl.Date, "bal_c": pl.Int64},
            ).write_parquet(folder / f"snapshot-{i:04d}.parquet")
    done.write_text(marker(n))
    return folder


def _table_names() -> dict[str, str]:
    from regie.housing.models import ArrearsSnapshot, Event, Tenancy

    return {
        "tenancy": Tenancy._meta.db_table,
        "snapshot": ArrearsSnapshot._meta.db_table,
        "event": Event._meta.db_table,
    }


# --- the rules, shared by the pandas and DuckDB versions ----------------------------------------------


def rule_table(cfg: dict) -> list[tuple[str, str, int]]:
    """(type, rule, window) from the configuration, as Regie's Plan reads it."""
    dom = cfg["domains"]
    f2 = set(cfg["f2"]["codes"])
    l1 = cfg["l1"]["code"]
    bonus = cfg["eviction_bonus"]
    rules = {
        "F2": (f2, cfg["f2"]["window_days"]),
        "F3": (set(dom["FINANCES"]) - f2, cfg["f3"]["window_days"]),
        "B1": (set(dom["BEHAVIOUR"]), cfg["b1"]["window_days"]),
        "L1": ({l1}, cfg["l1"]["window_days"]),
        "L2": (set(dom["LIVEABILITY"]) - {l1}, cfg["l2"]["window_days"]),
        "C1": (set(dom["CARE"]), cfg["c1"]["window_days"]),
        "ONT": ({bonus["code"]}, bonus["window_days"]),
    }
    return [(t, rule, window) for rule, (types, window) in rules.items() for t in sorted(types)]


RULE_DOMAIN = {
    "F2": "FINANCES",
    "F3": "FINANCES",
    "B1": "BEHAVIOUR",
    "L1": "LIVEABILITY",
    "L2": "LIVEABILITY",
    "C1": "CARE",
}
DOMAINS = ("FINANCES", "BEHAVIOUR", "LIVEABILITY", "CARE")


def bands(cfg: dict) -> list[Fraction]:
    from decimal import Decimal

    return [Fraction(Decimal(str(cfg["f1"][f"band_{i}"]))) for i in (1, 2, 3)]


# --- the three implementations (each run in a worker process) -----------------------------------------


def run_regie(url: str, as_of: date):
    """Regie's engine; returns its findings (turned into rows after the clock stops)."""
    from regie.signalling.detection import detect
    from regie.signalling.rules import defaults

    return detect(as_of=as_of, config=defaults())


def regie_rows(findings) -> list[tuple[str, str, int]]:
    return [(f.tenancy_id, f.domains_text, f.score) for f in findings]


def run_pandas(url: str, as_of: date) -> list[tuple[str, str, int]]:
    """What an analyst would write: read the tables, latest snapshot by sort + drop_duplicates, groupby."""
    import numpy as np
    import pandas as pd
    import psycopg

    from regie.signalling.rules import defaults

    cfg = defaults()
    names = _table_names()
    table = rule_table(cfg)
    max_window = max(w for _t, _r, w in table)

    with psycopg.connect(url) as conn:

        def read(sql: str, columns: list[str], **kw) -> pd.DataFrame:
            buffer = io.BytesIO()
            with conn.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
            buffer.seek(0)
            return pd.read_csv(buffer, header=None, names=columns, **kw)

        d = pd.Timestamp(as_of)
        ten = read(
            f"SELECT id, tenancy_id, start_date, end_date, (monthly_rent * 100)::bigint FROM {names['tenancy']}",
            ["pk", "tenancy_id", "start_date", "end_date", "rent_c"],
            dtype={"tenancy_id": str},
            parse_dates=["start_date", "end_date"],
        )
        snaps = read(
            f"SELECT tenancy_id, date, (balance * 100)::bigint FROM {names['snapshot']} WHERE date <= '{as_of}'",
            ["pk", "date", "bal_c"],
            parse_dates=["date"],
        )
        events = read(
            f"SELECT tenancy_id, date, type, severity FROM {names['event']} WHERE tenancy_id IS NOT NULL "
            f"AND date <= '{as_of}' AND date > '{as_of - timedelta(days=max_window)}'",
            ["pk", "date", "type", "severity"],
            parse_dates=["date"],
        )

    ten = ten[(ten.start_date <= d) & (ten.end_date.isna() | (ten.end_date >= d))]
    latest = snaps.sort_values(["pk", "date"]).drop_duplicates("pk", keep="last")[["pk", "bal_c"]]
    ten = ten.merge(latest, on="pk", how="left")
    ten["bal_c"] = ten["bal_c"].fillna(0).astype("int64")
    b1, b2, b3 = bands(cfg)
    at = [ten.bal_c * b.denominator >= ten.rent_c * b.numerator for b in (b1, b2, b3)]
    ten["band"] = np.where(at[0], 1 + at[1].astype(int) + at[2].astype(int), 0)

    rules = pd.DataFrame(table, columns=["type", "rule", "window"])
    ev = events.merge(rules, on="type")
    ev = ev[ev.date > d - pd.to_timedelta(ev.window, unit="D")]
    g = ev.groupby(["pk", "rule"]).agg(n=("severity", "size"), ms=("severity", "max"), md=("date", "max")).reset_index()
    fires = np.where(
        g.rule == "B1",
        (g.n >= cfg["b1"]["min_events"]) | (g.ms >= cfg["b1"]["severe_severity"]),
        np.where(g.rule == "L1", g.n >= cfg["l1"]["min_events"], g.n >= 1),
    )
    g = g[fires].copy()
    fixed = {"F2": cfg["f2"]["severity"], "L1": cfg["l1"]["severity"], "ONT": cfg["eviction_bonus"]["points"]}
    g["sev"] = [fixed.get(r, s) for r, s in zip(g.rule, g.ms, strict=True)]
    dom = g[g.rule != "ONT"].copy()
    dom["domain"] = dom.rule.map(RULE_DOMAIN)
    sev = dom.pivot_table(index="pk", columns="domain", values="sev", aggfunc="max")
    latest_event = dom.groupby("pk").md.max().rename("latest")
    bonus = g[g.rule == "ONT"].set_index("pk").sev.rename("bonus")

    x = ten.set_index("pk").join(sev).join(latest_event).join(bonus)
    for domain in DOMAINS:
        x[domain] = x[domain].fillna(0).astype(int) if domain in x else 0
    x["FINANCES"] = np.maximum(x["FINANCES"], x["band"])
    x["active"] = sum((x[dm] > 0).astype(int) for dm in DOMAINS)
    x = x[x.active > 0].copy()
    x["score"] = sum(x[dm] for dm in DOMAINS) + x["bonus"].fillna(0).astype(int)
    x["domains"] = [
        "|".join(dm for dm, s in zip(DOMAINS, row, strict=True) if s) for row in x[list(DOMAINS)].to_numpy()
    ]
    x = x.sort_values(["score", "latest", "tenancy_id"], ascending=[False, False, True], na_position="last")
    return list(zip(x.tenancy_id, x.domains, x.score.astype(int), strict=True))


def duckdb_sql(folder: Path, as_of: date, cfg: dict) -> str:
    table = rule_table(cfg)
    values = ", ".join(f"('{t}', '{r}', {w})" for t, r, w in table)
    b = bands(cfg)
    band = [f"s.bal_c::HUGEINT * {x.denominator} >= t.rent_c::HUGEINT * {x.numerator}" for x in b]
    d = f"DATE '{as_of}'"
    fixed = {"F2": cfg["f2"]["severity"], "L1": cfg["l1"]["severity"], "ONT": cfg["eviction_bonus"]["points"]}
    return f"""
    WITH t AS (
        SELECT id AS pk, tenancy_id, rent_c FROM read_parquet('{folder}/tenancy.parquet')
        WHERE start_date <= {d} AND (end_date IS NULL OR end_date >= {d})
    ), s AS (
        SELECT tenancy_id AS pk, arg_max(bal_c, date) AS bal_c FROM read_parquet('{folder}/snapshot-*.parquet')
        WHERE date <= {d} GROUP BY tenancy_id
    ), m(type, rule, win) AS (VALUES {values}
    ), g AS (
        SELECT e.tenancy_id AS pk, m.rule, count(*) AS n, max(e.severity) AS ms, max(e.date) AS md
        FROM read_parquet('{folder}/event.parquet') e JOIN m ON e.type = m.type
        WHERE e.tenancy_id IS NOT NULL AND e.date <= {d} AND e.date > {d} - m.win
        GROUP BY ALL
    ), r AS (
        SELECT pk, rule, md, CASE rule WHEN 'F2' THEN {fixed["F2"]} WHEN 'L1' THEN {fixed["L1"]}
            WHEN 'ONT' THEN {fixed["ONT"]} ELSE ms END AS sev
        FROM g WHERE CASE rule
            WHEN 'B1' THEN n >= {cfg["b1"]["min_events"]} OR ms >= {cfg["b1"]["severe_severity"]}
            WHEN 'L1' THEN n >= {cfg["l1"]["min_events"]} ELSE n >= 1 END
    ), p AS (
        SELECT pk,
            coalesce(max(sev) FILTER (WHERE rule IN ('F2', 'F3')), 0) AS ef,
            coalesce(max(sev) FILTER (WHERE rule = 'B1'), 0) AS sb,
            coalesce(max(sev) FILTER (WHERE rule IN ('L1', 'L2')), 0) AS sl,
            coalesce(max(sev) FILTER (WHERE rule = 'C1'), 0) AS sc,
            coalesce(max(sev) FILTER (WHERE rule = 'ONT'), 0) AS bonus,
            max(md) FILTER (WHERE rule <> 'ONT') AS latest
        FROM r GROUP BY pk
    ), x AS (
        SELECT t.tenancy_id, p.latest, coalesce(p.bonus, 0) AS bonus,
            greatest(coalesce(p.ef, 0), CASE WHEN {band[0]} THEN 1 + ({band[1]})::INT + ({band[2]})::INT ELSE 0 END)
                AS sf,
            coalesce(p.sb, 0) AS sb, coalesce(p.sl, 0) AS sl, coalesce(p.sc, 0) AS sc
        FROM t LEFT JOIN s ON s.pk = t.pk LEFT JOIN p ON p.pk = t.pk
    )
    SELECT tenancy_id,
        concat_ws('|', CASE WHEN sf > 0 THEN 'FINANCES' END, CASE WHEN sb > 0 THEN 'BEHAVIOUR' END,
                  CASE WHEN sl > 0 THEN 'LIVEABILITY' END, CASE WHEN sc > 0 THEN 'CARE' END) AS domains,
        (sf + sb + sl + sc + bonus)::INT AS score
    FROM x WHERE sf + sb + sl + sc > 0
    ORDER BY score DESC, latest DESC NULLS LAST, tenancy_id
    """


def run_duckdb(url: str, as_of: date, folder: Path) -> list[tuple[str, str, int]]:
    import duckdb

    from regie.signalling.rules import defaults

    with duckdb.connect() as con:
        return [tuple(row) for row in con.execute(duckdb_sql(folder, as_of, defaults())).fetchall()]


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM). Not `ru_maxrss`: Linux carries that over `exec`
    from the parent, so every worker would report at least the driver's own peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(kind: str, url: str, as_of: date, runs: int, out: Path, folder: Path | None) -> None:
    """One implementation, timed best of `runs`, in this process; writes its result and figures."""
    setup_django(url)
    fn = {"regie": run_regie, "pandas": run_pandas, "duckdb": run_duckdb}[kind]
    times, result = [], None
    for _ in range(runs):
        result = None  # the previous run's result is not kept alive through the next one
        started = time.perf_counter()
        result = fn(url, as_of, folder) if kind == "duckdb" else fn(url, as_of)
        times.append(time.perf_counter() - started)
    if kind == "regie":
        result = regie_rows(result)
    with (out / f"result-{kind}.csv").open("w", encoding="utf-8") as f:
        f.writelines(f"{t},{d},{s}\n" for t, d, s in result)
    figures = {
        "best": min(times),
        "times": times,
        "peak_rss_mb": peak_rss_mb(),
        "rows": len(result),
        "multi": sum(1 for _t, d, _s in result if d.count("|") >= 1),
    }
    (out / f"figures-{kind}.json").write_text(json.dumps(figures))


# --- the driver ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenancies", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--refill", action="store_true", help="generate the data set even when it is there")
    parser.add_argument("--only", choices=("regie", "pandas", "duckdb"), action="append", help="run only these")
    parser.add_argument("--url", default=os.environ.get("BENCH_DETECT_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--worker", choices=("regie", "pandas", "duckdb"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    n, url = args.tenancies, args.url
    out = OUT / f"run-{n}"
    out.mkdir(parents=True, exist_ok=True)
    folder = OUT / f"parquet-{n}"

    if args.worker:
        worker(args.worker, url, AS_OF, args.runs, out, folder)
        return 0

    try:
        ensure_database(url)
    except Exception as exc:  # noqa: BLE001 - any connection failure ends the bench with its message
        print(f"PostgreSQL is not reachable at {url}: {exc}", file=sys.stderr)
        return 2
    setup_django(url)
    if args.refill or filled_with(url) != marker(n):
        print(f"Generating {n:,} tenancies into {url.rsplit('/', 1)[1]} ...", flush=True)
        started = time.perf_counter()
        counts = generate(url, n)
        print(f"  {', '.join(f'{v:,} {k}' for k, v in counts.items())} in {time.perf_counter() - started:.1f} s")
    else:
        print(f"The database already holds the data set of {n:,} tenancies; not regenerating.")
    kinds = args.only or ["regie", "pandas", "duckdb"]
    if "duckdb" in kinds:
        started = time.perf_counter()
        export_parquet(url, n)
        print(f"Parquet copies ready ({time.perf_counter() - started:.1f} s, not timed).")

    figures = {}
    for kind in kinds:
        print(f"Timing {kind} (best of {args.runs}) ...", flush=True)
        subprocess.run(  # noqa: S603 - this very script, with our own arguments
            [sys.executable, __file__, "--worker", kind, "--tenancies", str(n), "--runs", str(args.runs), "--url", url],
            check=True,
        )
        figures[kind] = json.loads((out / f"figures-{kind}.json").read_text())

    results = {kind: (out / f"result-{kind}.csv").read_text(encoding="utf-8") for kind in kinds}
    same = len(set(results.values())) == 1
    seconds, megabytes = TARGETS.get(n, (None, None))
    label = {
        "regie": "Regie detect() on PostgreSQL",
        "pandas": "pandas (COPY + groupby)",
        "duckdb": "DuckDB on Parquet",
    }
    base = figures.get("regie", {}).get("best")
    print()
    print(f"Detection on {AS_OF}, {n:,} tenancies, {figures[kinds[0]]['rows']:,} households with a signal, "
          f"{figures[kinds[0]]['multi']:,} multi-problem")  # fmt: skip
    print(f"{'implementation':<30} {'best':>9} {'runs':>24} {'peak RSS':>10} {'x Regie':>8}")
    for kind in kinds:
        f = figures[kind]
        ratio = f"{f['best'] / base:.2f}" if base else "-"
        runs = " ".join(f"{t:.2f}" for t in f["times"])
        print(f"{label[kind]:<30} {f['best']:>7.2f} s {runs:>24} {f['peak_rss_mb']:>7.0f} MB {ratio:>8}")
    if base is not None:
        target = []
        if seconds:
            target.append(f"< {seconds:g} s: {'met' if base < seconds else 'MISSED'}")
        if megabytes:
            rss = figures["regie"]["peak_rss_mb"]
            target.append(f"< {megabytes / 1024:g} GB: {'met' if rss < megabytes else 'MISSED'}")
        print(f"Target for Regie at {n:,}: {'; '.join(target) or 'none set for this size'}")
    print(
        "Results: "
        + (
            f"identical (tenancy_id, domains, score) in the same order across {', '.join(kinds)}."
            if same
            else "DIFFERENT - see " + ", ".join(str(out / f"result-{k}.csv") for k in kinds)
        )
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
