"""Detection of multi-problem households (DETECTION.md): who has which active domains on a day.

`detect` reduces Regie's tables set-based (detection_data), evaluates the rules on whole columns
(detection_rules) and only then makes Python objects, one per household with an active domain.
`explain` (detection_explain) tells for one household which rules fired on what, and why the
others did not. Nothing here writes: storing runs and flags is the caller's job.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import polars as pl

from regie.signalling import detection_data as data
from regie.signalling.detection_rules import (
    BONUS,
    DOMAIN_COLUMN,
    EVENT_RULES,
    Plan,
    evaluate,
    fired_event_rules,
    money_text,
)

__all__ = ["Finding", "detect", "explain", "months_in_arrears"]

# From this many findings the result is frozen out of the garbage collector's sight.
FREEZE_FROM = 100_000


@dataclass(frozen=True, slots=True)
class Finding:
    """One household with at least one active domain on the reference date."""

    tenancy_pk: int
    tenancy_id: str
    # Active domains in the fixed order FINANCES, BEHAVIOUR, LIVEABILITY, CARE.
    domains: tuple[str, ...]
    severities: dict[str, int]
    score: int
    multi_problem: bool
    latest_event_date: date | None
    # The F1 severity band, 0 when F1 doesn't fire.
    arrears_band: int
    balance: Decimal
    months: Decimal
    snapshot: date | None
    # Rule code -> {"severity", "event_pks", ...}, only rules that fired; JSON-ready (dates ISO,
    # amounts as strings). F1 adds balance, rent, months, snapshot; the others "latest" (the date
    # of their latest event); "ONT" (the score bonus) has severity None and "points".
    rules: dict[str, dict] = field(default_factory=dict)

    @property
    def domains_text(self) -> str:
        return "|".join(self.domains)


def months_in_arrears(balance_cents: int, rent_cents: int) -> Decimal:
    """B / rent in hundredths, cut towards zero: 2.999 months shows 2.99, never a band not reached."""
    hundredths = abs(balance_cents) * 100 // rent_cents
    return Decimal(-hundredths if balance_cents < 0 else hundredths).scaleb(-2)


def detect(*, as_of: date, config: dict, tenancy_pks: Iterable[int] | None = None) -> list[Finding]:
    """Every household running on `as_of` with an active domain, in inbox order.

    Inbox order: score (high first), latest event date (recent first, none last), tenancy number
    compared as text. `tenancy_pks` restricts detection to those tenancies (same results for them).
    """
    plan = Plan.from_config(config)
    pks = None if tenancy_pks is None else sorted({int(pk) for pk in tenancy_pks})
    tenancies = data.running_tenancies(as_of, pks)
    events = data.events(as_of, plan.max_window, plan.types, pks)
    today = data.day_number(as_of)
    fired = fired_event_rules(plan, events, today)
    result = evaluate(plan, tenancies, fired)
    if result.is_empty():
        return []

    return _findings(result, fired)


@contextmanager
def collector_paused(*, freeze: bool):
    """Pause Python's cyclic garbage collector while many long-lived, acyclic objects are made.

    Up to a million findings of a dozen small objects each, none in a reference cycle: with the
    collector running, it rescans the growing heap again and again while they are made (half the
    time at national scale), and after that the first collections anywhere in the process rescan
    them all once more. With `freeze`, what exists at the end is moved to the permanent generation
    (`gc.freeze`), after a full collection first so that no garbage is frozen with it; refcounting
    still frees the objects when they are dropped.
    """
    if freeze:
        gc.collect()
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if collecting:
            gc.enable()


def _findings(result: pl.DataFrame, fired: pl.DataFrame) -> list[Finding]:
    with collector_paused(freeze=result.height >= FREEZE_FROM):
        return _make_findings(result, fired)


def _make_findings(result: pl.DataFrame, fired: pl.DataFrame) -> list[Finding]:
    """Assemble the findings. Texts are made column-wise by Polars; equal values (dates, date
    texts, amounts) are one shared immutable object, which keeps a million findings in bounds."""
    bal = pl.col("bal_c").fill_null(0)
    df = result.with_row_index("i").with_columns(
        balance_text=money_text(bal),
        months_text=money_text((bal.abs() * 100 // pl.col("rent_c")) * bal.sign()),
    )
    # The fired event rules of the findings, with the finding's row number.
    fired = fired.join(df.select("pk", "i"), on="pk", how="inner")
    days = pl.concat([df["snap_day"], df["latest_day"], fired["max_day"]]).drop_nulls().unique().to_list()
    day_date = data.day_date
    dates: dict = {None: None, **{d: day_date(d) for d in days}}
    iso = {d: dates[d].isoformat() for d in days}
    texts = pl.concat([df["balance_text"], df["months_text"]]).unique().to_list()
    decimals = {t: Decimal(t) for t in texts}

    rules: list[dict] = [{} for _ in range(df.height)]
    f1 = df.filter(pl.col("band") > 0).select(
        "i", "band", "balance_text", money_text(pl.col("rent_c")).alias("rent"), "months_text", "snap_day"
    )
    for i, band, balance, rent, months, snap_day in f1.iter_rows():
        rules[i]["F1"] = {
            "severity": band,
            "event_pks": [],
            "balance": balance,
            "rent": rent,
            "months": months,
            "snapshot": iso.get(snap_day),
        }
    for rule in EVENT_RULES:
        part = fired.filter(pl.col("rule") == rule)
        columns = [part[c].to_list() for c in ("i", "severity", "event_pks", "max_day")]
        if rule == BONUS:
            # The bonus is no rule of a domain: points on the score, no severity of its own.
            for i, points, pks, day in zip(*columns, strict=True):
                rules[i][rule] = {"severity": None, "event_pks": pks, "latest": iso[day], "points": points}
        else:
            for i, severity, pks, day in zip(*columns, strict=True):
                rules[i][rule] = {"severity": severity, "event_pks": pks, "latest": iso[day]}

    names = ("pk", "tenancy_id", *DOMAIN_COLUMN.values(), "score", "multi", "latest_day", "band")
    columns = [df[c].to_list() for c in (*names, "balance_text", "months_text", "snap_day")]
    findings = []
    append = findings.append
    for (pk, tenancy_id, sf, sb, sl, sc, score, multi, latest, band, balance, months, snapshot), entries in zip(
        zip(*columns, strict=True), rules, strict=True
    ):
        severities = {}
        if sf:
            severities["FINANCES"] = sf
        if sb:
            severities["BEHAVIOUR"] = sb
        if sl:
            severities["LIVEABILITY"] = sl
        if sc:
            severities["CARE"] = sc
        append(
            Finding(
                tenancy_pk=pk,
                tenancy_id=tenancy_id,
                domains=tuple(severities),
                severities=severities,
                score=score,
                multi_problem=multi,
                latest_event_date=dates[latest],
                arrears_band=band,
                balance=decimals[balance],
                months=decimals[months],
                snapshot=dates[snapshot],
                rules=entries,
            )
        )
    return findings


def explain(*, tenancy, as_of: date, config: dict) -> dict:
    """Which rules fired for one household on which events and snapshot; which did not, and why."""
    from regie.signalling.detection_explain import explain as _explain

    return _explain(tenancy=tenancy, as_of=as_of, config=config)
