"""Detection of multi-problem households (DETECTION.md): who has which active domains on a day.

`detect` reduces Regie's tables set-based (detection_data), evaluates the rules on whole columns
(detection_rules) and only then makes Python objects, one per household with an active domain.
`explain` (detection_explain) tells for one household which rules fired on what, and why the
others did not. Nothing here writes: storing runs and flags is the caller's job.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
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

# From this many findings the result is frozen out of the garbage collector's sight (`_findings`).
_FREEZE_FROM = 100_000


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

    return _findings(_with_details(result, fired))


def _with_details(result: pl.DataFrame, fired: pl.DataFrame) -> pl.DataFrame:
    """The evaluated rows with what a Finding shows, made column-wise: texts, dates, rule dicts.

    Each rule's entry is a struct column (null when the rule didn't fire) that Polars hands over
    as a ready dict, so the Python loop in `_findings` only assembles.
    """
    bal = pl.col("bal_c").fill_null(0)
    hundredths = (bal.abs() * 100 // pl.col("rent_c")) * bal.sign()
    df = result.with_columns(
        balance_text=money_text(bal),
        months_text=money_text(hundredths),
        snapshot=pl.col("snap_day").cast(pl.Date),
        latest=pl.col("latest_day").cast(pl.Date),
    )
    df = df.with_columns(
        F1=pl.when(pl.col("band") > 0).then(
            pl.struct(
                severity=pl.col("band"),
                event_pks=pl.lit([], dtype=pl.List(pl.Int64)),
                balance="balance_text",
                rent=money_text(pl.col("rent_c")),
                months="months_text",
                snapshot=pl.col("snapshot").dt.to_string("%Y-%m-%d"),
            )
        )
    )
    latest = pl.col("max_day").cast(pl.Date).dt.to_string("%Y-%m-%d")
    for rule in EVENT_RULES:
        if rule == BONUS:
            # The bonus is no rule of a domain: points on the score, no severity of its own.
            entry = pl.struct(
                severity=pl.lit(None, dtype=pl.Int16), event_pks="event_pks", latest=latest, points="severity"
            )
        else:
            entry = pl.struct("severity", "event_pks", latest=latest)
        df = df.join(fired.filter(pl.col("rule") == rule).select("pk", entry.alias(rule)), on="pk", how="left")
    return df


def _findings(df: pl.DataFrame) -> list[Finding]:
    """Finding objects for the evaluated rows, made with the cyclic garbage collector out of the way.

    Up to a million findings of a dozen small objects each are made here (by Polars' to_list and
    by the loop), none in a reference cycle. With the collector running, it rescans the growing
    heap again and again while they are made (half the time at national scale), and after that
    the first collections anywhere in the process rescan them all once more. So it is paused while
    they are made, and a large result is moved to the permanent generation (`gc.freeze`), after
    a full collection so that no garbage is frozen with it; refcounting still frees the findings.
    """
    large = df.height >= _FREEZE_FROM
    if large:
        gc.collect()
    collecting = gc.isenabled()
    gc.disable()
    try:
        findings = _make_findings(df)
        if large:
            gc.freeze()
        return findings
    finally:
        if collecting:
            gc.enable()


def _make_findings(df: pl.DataFrame) -> list[Finding]:
    names = ("pk", "tenancy_id", *DOMAIN_COLUMN.values(), "score", "multi", "latest", "band", "balance_text")
    columns = [df[c].to_list() for c in (*names, "months_text", "snapshot")]
    rule_columns = [(rule, df[rule].to_list()) for rule in ("F1", *EVENT_RULES)]
    findings = []
    append = findings.append
    for i, (pk, tenancy_id, sf, sb, sl, sc, score, multi, latest, band, balance, months, snapshot) in enumerate(
        zip(*columns, strict=True)
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
        rules = {}
        for rule, entries in rule_columns:
            entry = entries[i]
            if entry is not None:
                rules[rule] = entry
        append(
            Finding(
                tenancy_pk=pk,
                tenancy_id=tenancy_id,
                domains=tuple(severities),
                severities=severities,
                score=score,
                multi_problem=multi,
                latest_event_date=latest,
                arrears_band=band,
                balance=Decimal(balance),
                months=Decimal(months),
                snapshot=snapshot,
                rules=rules,
            )
        )
    return findings


def explain(*, tenancy, as_of: date, config: dict) -> dict:
    """Which rules fired for one household on which events and snapshot; which did not, and why."""
    from regie.signalling.detection_explain import explain as _explain

    return _explain(tenancy=tenancy, as_of=as_of, config=config)
