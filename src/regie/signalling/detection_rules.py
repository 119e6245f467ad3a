"""The detection rules (DETECTION.md) read from a rule configuration, evaluated over Polars frames.

`Plan` turns a configuration into what the vectorised code needs: which event type counts for
which rule, each rule's window, the arrears bands as exact fractions. `evaluate` then works on
whole columns: no Python per tenancy. Everything numeric comes from the configuration; only the
rule shapes (who counts, who takes the highest severity) are code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import polars as pl

from regie.signalling.rules import DOMAINS

# Rule codes in report order, with their domain. ONT is the score bonus, not a rule of a domain.
RULE_DOMAIN = {
    "F1": "FINANCES",
    "F2": "FINANCES",
    "F3": "FINANCES",
    "B1": "BEHAVIOUR",
    "L1": "LIVEABILITY",
    "L2": "LIVEABILITY",
    "C1": "CARE",
}
BONUS = "ONT"
EVENT_RULES = ("F2", "F3", "B1", "L1", "L2", "C1", BONUS)
# Short column names of the domains' severities in frames.
DOMAIN_COLUMN = {"FINANCES": "sev_f", "BEHAVIOUR": "sev_b", "LIVEABILITY": "sev_l", "CARE": "sev_c"}


@dataclass(frozen=True)
class Plan:
    """A validated configuration, shaped for evaluation."""

    config: dict
    # rule -> (event types, window in days)
    rule_types: dict[str, tuple[frozenset[str], int]]
    # F1 bands as exact fractions: B >= band x rent  <=>  B_cents * den >= num * rent_cents
    bands: tuple[Fraction, Fraction, Fraction]

    @classmethod
    def from_config(cls, config: dict) -> Plan:
        from regie.signalling.rules import validate

        cfg = validate(config)
        domains = {d: frozenset(cfg["domains"][d]) for d in DOMAINS}
        f2_codes = frozenset(cfg["f2"]["codes"])
        l1_code = cfg["l1"]["code"]
        bonus = cfg["eviction_bonus"]
        rule_types = {
            "F2": (f2_codes, cfg["f2"]["window_days"]),
            "F3": (domains["FINANCES"] - f2_codes, cfg["f3"]["window_days"]),
            "B1": (domains["BEHAVIOUR"], cfg["b1"]["window_days"]),
            "L1": (frozenset({l1_code}), cfg["l1"]["window_days"]),
            "L2": (domains["LIVEABILITY"] - {l1_code}, cfg["l2"]["window_days"]),
            "C1": (domains["CARE"], cfg["c1"]["window_days"]),
            BONUS: (frozenset({bonus["code"]}), bonus["window_days"]),
        }
        bands = tuple(Fraction(Decimal(str(cfg["f1"][f"band_{i}"]))) for i in (1, 2, 3))
        return cls(config=cfg, rule_types=rule_types, bands=bands)  # type: ignore[arg-type]

    @property
    def types(self) -> frozenset[str]:
        return frozenset().union(*(types for types, _window in self.rule_types.values()))

    @property
    def max_window(self) -> int:
        return max(window for types, window in self.rule_types.values() if types)

    def window(self, rule: str) -> int:
        return self.rule_types[rule][1]

    def memberships(self) -> pl.DataFrame:
        """(type, rule, window) for every event type a rule counts; a type may feed several rules."""
        rows = [(t, rule, window) for rule, (types, window) in self.rule_types.items() for t in sorted(types)]
        return pl.DataFrame(rows, schema={"type": pl.String, "rule": pl.String, "window": pl.Int32}, orient="row")


def money_text(cents: pl.Expr) -> pl.Expr:
    """Whole cents (or hundredths) as an exact decimal text with two places: 146666 -> "1466.66"."""
    whole = cents.abs()
    sign = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.format("{}{}.{}", sign, whole // 100, (whole % 100).cast(pl.String).str.zfill(2))


def band_expr(plan: Plan, bal: str = "bal_c", rent: str = "rent_c") -> pl.Expr:
    """The F1 severity (0-3) per row, in exact integer arithmetic (Int128: no overflow)."""
    b = pl.col(bal).fill_null(0).cast(pl.Int128)
    r = pl.col(rent).cast(pl.Int128)
    at = [(b * band.denominator) >= (r * band.numerator) for band in plan.bands]
    return pl.when(at[0]).then(1 + at[1].cast(pl.Int8) + at[2].cast(pl.Int8)).otherwise(0).cast(pl.Int8).alias("band")


def fired_event_rules(plan: Plan, events: pl.DataFrame, as_of_day: int) -> pl.DataFrame:
    """One row per (tenancy, event rule) that fires: rule, severity, latest day, the events' pks.

    Severity of the ONT bonus row is its points.
    """
    cfg = plan.config
    grouped = (
        events.join(plan.memberships(), on="type", how="inner")
        .filter(pl.col("day") > as_of_day - pl.col("window"))
        .group_by("pk", "rule")
        .agg(
            n=pl.len(),
            max_sev=pl.col("severity").max(),
            max_day=pl.col("day").max(),
            event_pks=pl.col("event_pk").sort(),
        )
    )
    rule = pl.col("rule")
    n, max_sev = pl.col("n"), pl.col("max_sev")
    fires = (
        pl.when(rule == "B1")
        .then((n >= cfg["b1"]["min_events"]) | (max_sev >= cfg["b1"]["severe_severity"]))
        .when(rule == "L1")
        .then(n >= cfg["l1"]["min_events"])
        .otherwise(n >= 1)
    )
    severity = (
        pl.when(rule == "F2")
        .then(pl.lit(cfg["f2"]["severity"]))
        .when(rule == "L1")
        .then(pl.lit(cfg["l1"]["severity"]))
        .when(rule == BONUS)
        .then(pl.lit(cfg["eviction_bonus"]["points"]))
        .otherwise(max_sev)
        .cast(pl.Int16)
    )
    return grouped.filter(fires).select("pk", "rule", severity.alias("severity"), "max_day", "event_pks")


def evaluate(plan: Plan, tenancies: pl.DataFrame, fired: pl.DataFrame) -> pl.DataFrame:
    """Per tenancy with an active domain: domain severities, score, latest day; in inbox order.

    `tenancies` is `detection_data.running_tenancies`; `fired` is `fired_event_rules`.
    """
    domain_of = {rule: DOMAIN_COLUMN[domain] for rule, domain in RULE_DOMAIN.items()}
    in_domain = fired.filter(pl.col("rule") != BONUS).with_columns(
        col=pl.col("rule").replace_strict(domain_of, default=None, return_dtype=pl.String)
    )
    per_tenancy = in_domain.group_by("pk").agg(
        *[
            pl.col("severity").filter(pl.col("col") == column).max().alias(f"e_{column}")
            for column in DOMAIN_COLUMN.values()
        ],
        latest_day=pl.col("max_day").max(),
    )
    bonus = fired.filter(pl.col("rule") == BONUS).select("pk", bonus="severity")

    sev_f = pl.max_horizontal(pl.col("band").cast(pl.Int16), pl.col("e_sev_f").fill_null(0))
    df = (
        tenancies.with_columns(band_expr(plan))
        .join(per_tenancy, on="pk", how="left")
        .join(bonus, on="pk", how="left")
        .with_columns(
            sev_f=sev_f,
            sev_b=pl.col("e_sev_b").fill_null(0),
            sev_l=pl.col("e_sev_l").fill_null(0),
            sev_c=pl.col("e_sev_c").fill_null(0),
        )
    )
    severities = [pl.col(c) for c in DOMAIN_COLUMN.values()]
    active = pl.sum_horizontal([(s > 0).cast(pl.Int8) for s in severities])
    df = (
        df.with_columns(active=active)
        .filter(pl.col("active") > 0)
        .with_columns(
            score=(pl.sum_horizontal(severities) + pl.col("bonus").fill_null(0)).cast(pl.Int32),
            multi=pl.col("active") >= plan.config["multi_min_domains"],
        )
    )
    return df.sort(
        ["score", "latest_day", "tenancy_id"],
        descending=[True, True, False],
        nulls_last=True,
        maintain_order=False,
    ).select(
        "pk",
        "tenancy_id",
        "rent_c",
        "snap_day",
        "bal_c",
        "band",
        *DOMAIN_COLUMN.values(),
        "score",
        "multi",
        "latest_day",
    )
