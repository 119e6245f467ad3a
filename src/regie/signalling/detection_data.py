"""Detection's reads: the set-based reductions of Regie's own tables into Polars frames.

The database does the heavy part (the latest snapshot per tenancy out of tens of millions, the
events of the longest window), so what crosses into Python is one row per running tenancy and one
per relevant event. On PostgreSQL the rows come through `COPY ... TO STDOUT` as CSV, which Polars
parses natively; a cursor's tuples would cost more than the query. SQLite (tests, the demo) reads
through the cursor.

Queries are composed from table and column names only; every value is a bound parameter.
Amounts cross as whole cents and dates as days since 1970-01-01, so the rules compare exact
integers: a balance of 1466.66 is 146666, never a float.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import polars as pl
from django.db import connection

from regie.housing.models import ArrearsSnapshot, Event, Tenancy

EPOCH = date(1970, 1, 1)

# On SQLite, beyond this many tenancies a restriction is applied in Polars, not in an IN list.
_IN_LIST_MAX = 1000

TENANCY_SCHEMA = {
    "pk": pl.Int64,
    "tenancy_id": pl.String,
    "rent_c": pl.Int64,
    "snap_day": pl.Int32,
    "bal_c": pl.Int64,
}
EVENT_SCHEMA = {"event_pk": pl.Int64, "pk": pl.Int64, "day": pl.Int32, "type": pl.String, "severity": pl.Int8}


def day_number(day: date) -> int:
    return (day - EPOCH).days


def day_date(number: int) -> date:
    return EPOCH + timedelta(days=number)


def _tables() -> dict[str, str]:
    return {
        "t": Tenancy._meta.db_table,
        "a": ArrearsSnapshot._meta.db_table,
        "e": Event._meta.db_table,
    }


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _day(column: str) -> str:
    """SQL for a date column as days since 1970-01-01."""
    if _postgres():
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _cents(column: str) -> str:
    """SQL for a decimal column as whole cents (SQLite keeps decimals as REAL: rounding makes them exact)."""
    if _postgres():
        return f"CAST({column} * 100 AS BIGINT)"
    return f"CAST(ROUND({column} * 100) AS INTEGER)"


def _running(as_of: date) -> tuple[str, list]:
    return "t.start_date <= %s AND (t.end_date IS NULL OR t.end_date >= %s)", [as_of, as_of]


def _restrict(column: str, pks: Sequence[int] | None) -> tuple[str, list]:
    """SQL restricting `column` to `pks`; SQLite gets no long IN list (its variables are capped)."""
    if pks is None:
        return "", []
    if not pks:
        return " AND 1 = 0", []
    if _postgres():
        return f" AND {column} = ANY(%s::bigint[])", [list(pks)]
    if len(pks) > _IN_LIST_MAX:
        return "", []
    return f" AND {column} IN ({', '.join(['%s'] * len(pks))})", list(pks)


def frame(sql: str, params: list, schema: dict) -> pl.DataFrame:
    """Run a query and return its rows as a Polars frame with `schema` (columns in query order)."""
    connection.ensure_connection()
    if _postgres():
        import psycopg

        raw = connection.connection
        # COPY takes no bound parameters: the values are quoted client-side by psycopg itself.
        query = psycopg.ClientCursor(raw).mogrify(sql, params)
        buffer = io.BytesIO()
        with raw.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                buffer.write(block)
        if not buffer.getbuffer().nbytes:
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        return pl.read_csv(buffer, has_header=False, schema=schema)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def _restricted(df: pl.DataFrame, column: str, pks: Sequence[int] | None) -> pl.DataFrame:
    if pks is not None and len(pks) > _IN_LIST_MAX and not _postgres():
        return df.filter(pl.col(column).is_in(pl.Series(pks, dtype=pl.Int64).implode()))
    return df


def running_tenancies(as_of: date, pks: Sequence[int] | None = None) -> pl.DataFrame:
    """One row per tenancy running on `as_of`, with its latest snapshot on or before that day.

    Columns: pk, tenancy_id, rent_c, snap_day (null: no snapshot), bal_c (null: no snapshot).
    """
    n = _tables()
    running, params = _running(as_of)
    only, only_params = _restrict("t.id", pks)
    if _postgres():
        # One backward index probe per tenancy on (tenancy_id, date): cheaper than sorting or
        # grouping every snapshot when a tenancy has years of them.
        sql = (
            f"SELECT t.id, t.tenancy_id, {_cents('t.monthly_rent')}, s.day, s.bal "  # noqa: S608 (names, not values)
            f"FROM {n['t']} t LEFT JOIN LATERAL ("
            f"SELECT {_day('a.date')} AS day, {_cents('a.balance')} AS bal FROM {n['a']} a "
            "WHERE a.tenancy_id = t.id AND a.date <= %s ORDER BY a.date DESC LIMIT 1"
            f") s ON TRUE WHERE {running}{only}"
        )
        params = [as_of, *params, *only_params]
    else:
        # SQLite takes the bare columns of a MAX() aggregate from the row holding the maximum.
        sql = (
            f"SELECT t.id, t.tenancy_id, {_cents('t.monthly_rent')}, {_day('s.date')}, s.bal "  # noqa: S608
            f"FROM {n['t']} t LEFT JOIN ("
            f"SELECT a.tenancy_id, MAX(a.date) AS date, {_cents('a.balance')} AS bal FROM {n['a']} a "
            "WHERE a.date <= %s GROUP BY a.tenancy_id"
            f") s ON s.tenancy_id = t.id WHERE {running}{only}"
        )
        params = [as_of, *params, *only_params]
    return _restricted(frame(sql, params, TENANCY_SCHEMA), "pk", pks)


def events(as_of: date, days: int | None, types: Iterable[str], pks: Sequence[int] | None = None) -> pl.DataFrame:
    """The events of running tenancies with one of `types`, dated in (as_of - days, as_of].

    `days=None`: every such event up to `as_of`. Events on no tenancy (only on a unit) never reach a
    household. Columns: event_pk, pk (the tenancy), day, type, severity.
    """
    types = sorted(set(types))
    if not types:
        return pl.DataFrame(schema=EVENT_SCHEMA)
    n = _tables()
    running, params = _running(as_of)
    only, only_params = _restrict("e.tenancy_id", pks)
    sql = (
        f"SELECT e.id, e.tenancy_id, {_day('e.date')}, e.type, e.severity "  # noqa: S608
        f"FROM {n['e']} e JOIN {n['t']} t ON t.id = e.tenancy_id "
        f"WHERE e.date <= %s{'' if days is None else ' AND e.date > %s'} "
        f"AND e.type IN ({', '.join(['%s'] * len(types))}) AND {running}{only}"
    )
    start = [] if days is None else [as_of - timedelta(days=days)]
    params = [as_of, *start, *types, *params, *only_params]
    return _restricted(frame(sql, params, EVENT_SCHEMA), "pk", pks)


def arrears_since(as_of: date, pks: Sequence[int]) -> pl.DataFrame:
    """When the current run of arrears of each tenancy in `pks` began (DETECTION.md, the signal).

    The run is the unbroken series of snapshots with B > 0 that holds the latest snapshot on or
    before `as_of`; it began at the first snapshot after the last one with B <= 0 (or at the very
    first). A tenancy whose latest snapshot is not in arrears gets no row. Columns: pk, since_day.

    Two index probes per tenancy on (tenancy_id, date): at national scale (half a million
    households in arrears) a third of the time of grouping every snapshot of theirs.
    """
    schema = {"pk": pl.Int64, "since_day": pl.Int32}
    if not pks:
        return pl.DataFrame(schema=schema)
    n = _tables()
    if _postgres():
        tenancies, params = "unnest(%s::bigint[]) AS c(id)", [list(pks)]
    else:
        only, params = _restrict("c.id", pks)
        tenancies = f"{n['t']} c WHERE 1 = 1{only}"
    sql = (
        f"SELECT id, {_day('since')} FROM (SELECT c.id, ("  # noqa: S608
        f"SELECT MIN(s.date) FROM {n['a']} s WHERE s.tenancy_id = c.id AND s.date <= %s AND s.date > COALESCE(("
        f"SELECT MAX(z.date) FROM {n['a']} z WHERE z.tenancy_id = c.id AND z.date <= %s AND z.balance <= 0"
        f"), %s)) AS since FROM {tenancies}) x WHERE since IS NOT NULL"
    )
    return _restricted(frame(sql, [as_of, as_of, date(1, 1, 1), *params], schema), "pk", pks)
