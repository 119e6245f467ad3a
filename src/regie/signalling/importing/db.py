"""The import's database work through Django's connection, so it is inside `transaction.atomic()`.

PostgreSQL (production, large files): staging tables filled with COPY, then set-based SQL.
SQLite (small and demo databases): the same SQL, staging tables filled with batched executemany.
"""

# Every statement here is built from identifiers quoted by connection.ops.quote_name and from
# the import's own names; values always go as parameters or through COPY.
# ruff: noqa: S608

import io
import logging
import time
from collections.abc import Callable

import polars as pl

logger = logging.getLogger(__name__)

BATCH = 250_000  # rows per COPY write or executemany batch, and per progress report
SQLITE_BATCH = 5_000
# From this many new rows in one table, PostgreSQL checks its foreign keys once for the whole table
# instead of once per row (see _drop_foreign_keys).
BULK_NEW_ROWS = 200_000
# pg_advisory_xact_lock key: imports run one at a time, so "not in the table yet" stays true
# between the check and the INSERT (see upsert).
LOCK_KEY = 0x52454749  # "REGI"

# Staging column types: (PostgreSQL, SQLite). SQLite's NUMERIC is the affinity Django's
# DecimalField columns have, so staged and stored amounts convert alike.
TYPES = {
    "text": ("text", "TEXT"),
    "int": ("bigint", "INTEGER"),
    "date": ("date", "TEXT"),
    "money": ("numeric", "NUMERIC"),
}


class Db:
    def __init__(self, connection):
        self.connection = connection
        self.pg = connection.vendor == "postgresql"
        self.cursor = connection.cursor()
        self.qn = connection.ops.quote_name

    def begin(self) -> None:
        """Once per import, inside its transaction."""
        if self.pg:
            self.cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            # Hash joins of staging against million-row tables stay in memory.
            self.cursor.execute("SET LOCAL work_mem = '128MB'")

    def close(self) -> None:
        self.cursor.close()

    def execute(self, sql: str, params=None) -> int:
        started = time.perf_counter()
        self.cursor.execute(sql, params)
        # The statement only (never its parameters): how long each step takes, for the bench.
        logger.debug("%.2f s %d rows: %s", time.perf_counter() - started, self.cursor.rowcount, sql[:90])
        return self.cursor.rowcount

    def distinct(self, a: str, b: str) -> str:
        """Null-safe "differs"."""
        return f"{a} IS DISTINCT FROM {b}" if self.pg else f"{a} IS NOT {b}"

    def frame(self, sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
        """A query's rows as a frame; dates must be selected as text (CAST(... AS TEXT))."""
        strings = {k: (pl.String if v == pl.Date else v) for k, v in schema.items()}
        if self.pg:
            buf = io.BytesIO()
            with self.cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
                for chunk in copy:
                    buf.write(chunk)
            data = buf.getvalue()
            frame = (
                pl.read_csv(data, has_header=False, new_columns=list(schema), schema=strings)
                if data
                else pl.DataFrame(schema=strings)
            )
        else:
            self.cursor.execute(sql)
            frame = pl.DataFrame(self.cursor.fetchall(), schema=strings, orient="row")
        return frame.with_columns(pl.col(k).str.to_date("%Y-%m-%d") for k, v in schema.items() if v == pl.Date)

    def stage(
        self,
        table: str,
        columns: dict[str, str],
        frame: pl.DataFrame,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """A temporary table `table` with `columns` ({name: type of TYPES}) holding the frame's rows."""
        qn = self.qn
        i = 0 if self.pg else 1
        self.cursor.execute(f"DROP TABLE IF EXISTS {qn(table)}")
        cols = ", ".join(f"{qn(c)} {TYPES[t][i]}" for c, t in columns.items())
        self.cursor.execute(f"CREATE TEMPORARY TABLE {qn(table)} ({cols})")
        started = time.perf_counter()
        frame = frame.select(list(columns))
        names = ", ".join(qn(c) for c in columns)
        if self.pg:
            with self.cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN (FORMAT csv)") as copy:
                for chunk in frame.iter_slices(BATCH):
                    # Polars writes null as an empty field and "" quoted: COPY reads them back alike.
                    copy.write(chunk.write_csv(include_header=False))
                    if progress:
                        progress(chunk.height)
        else:
            # Dates go in as ISO text, as Django stores them in SQLite.
            frame = frame.with_columns(pl.col(pl.Date).cast(pl.String))
            marks = ", ".join(["%s"] * len(columns))
            for chunk in frame.iter_slices(SQLITE_BATCH):
                self.cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})", chunk.rows())
                if progress:
                    progress(chunk.height)
        if self.pg:
            self.cursor.execute(f"ANALYZE {qn(table)}")
        logger.debug("%.2f s %d rows: staged %s", time.perf_counter() - started, frame.height, table)

    def drop(self, *tables: str) -> None:
        for table in tables:
            self.cursor.execute(f"DROP TABLE IF EXISTS {self.qn(table)}")

    def upsert(
        self,
        *,
        table: str,
        staging: str,
        key: list[str],
        values: list[str],
        on_insert: dict[str, str] | None = None,
    ) -> tuple[int, int]:
        """Write the staged rows into `table`, keyed on `key`; returns (new, changed) as counted by SQL.

        Only rows that differ are updated, and new rows are counted before they are inserted, so a
        second import of the same file writes nothing.
        The INSERT takes the rows not in the table yet, rather than INSERT ... ON CONFLICT DO
        UPDATE: PostgreSQL's speculative insertion made ON CONFLICT twice as slow on the 2.4 million
        arrears rows of bench/importing.py (12.7 s against 7.2 s), and the advisory lock of
        `begin` keeps another import from inserting the same key in between.
        """
        qn = self.qn
        t, s = qn(table), qn(staging)
        match = " AND ".join(f"{t}.{qn(k)} = s.{qn(k)}" for k in key)
        differs = " OR ".join(self.distinct(f"{t}.{qn(c)}", f"s.{qn(c)}") for c in values)
        assign = ", ".join(f"{qn(c)} = s.{qn(c)}" for c in values)
        changed = self.execute(f"UPDATE {t} SET {assign} FROM {s} AS s WHERE {match} AND ({differs})")
        extra = on_insert or {}  # column -> SQL expression over s
        cols = ", ".join(qn(c) for c in [*key, *values, *extra])
        picks = ", ".join([*(f"s.{qn(c)}" for c in [*key, *values]), *extra.values()])
        absent = f"NOT EXISTS (SELECT 1 FROM {t} AS x WHERE {' AND '.join(f'x.{qn(k)} = s.{qn(k)}' for k in key)})"
        self.cursor.execute(f"SELECT count(*) FROM {s} AS s WHERE {absent}")
        new = self.cursor.fetchone()[0]
        if not new:
            return 0, changed  # a second import of the same file ends here
        swapped = self._drop_foreign_keys(table) if new >= BULK_NEW_ROWS else []
        inserted = self.execute(f"INSERT INTO {t} ({cols}) SELECT {picks} FROM {s} AS s WHERE {absent}")
        for name, definition in swapped:
            self.execute(f"ALTER TABLE {t} ADD CONSTRAINT {qn(name)} {definition}")
        assert inserted == new, (inserted, new)  # the advisory lock keeps other imports out
        return new, changed

    def _drop_foreign_keys(self, table: str) -> list[tuple[str, str]]:
        """Drop `table`'s foreign keys before a bulk INSERT; the caller adds them back right after.

        Why: Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so PostgreSQL queues a check
        per inserted row and runs them at COMMIT, about 3 µs each: 7 s of a 30 s budget for the
        2.4 million arrears rows of bench/importing.py. Adding a constraint back validates all rows
        in one join (0.3 s). The cost: ALTER TABLE holds an ACCESS EXCLUSIVE lock on the table and
        on the tables it refers to until the import commits, so pages wait for a large import to
        finish; hence only for BULK_NEW_ROWS and more (a first load), never for a monthly file.
        Skipped (per-row checks, as usual) unless this role owns the tables, and on SQLite.
        """
        if not self.pg:
            return []
        self.cursor.execute(
            "SELECT c.conname, pg_get_constraintdef(c.oid), "
            "pg_has_role(current_user, t.relowner, 'USAGE') AND pg_has_role(current_user, r.relowner, 'USAGE') "
            "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid "
            "WHERE c.contype = 'f' AND c.conrelid = %s::regclass",
            [self.qn(table)],
        )
        keys = self.cursor.fetchall()
        if not keys or not all(owned for _name, _definition, owned in keys):
            return []
        # ALTER TABLE refuses while checks of earlier inserts are queued: run them now, then defer
        # again (Django's constraints are all INITIALLY DEFERRED).
        self.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, _definition, _owned in keys:
            self.execute(f"ALTER TABLE {self.qn(table)} DROP CONSTRAINT {self.qn(name)}")
        return [(name, definition) for name, definition, _owned in keys]
