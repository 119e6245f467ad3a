"""The municipality signal (vroegsignalering, Wgs): who is ready to be signalled, and what is missing.

DETECTION.md, "The municipality signal": a tenancy running on D is ready when
1. F1 fires (B >= band_1 x rent);
2. a reminder is dated on or after the day the arrears began and at least `reminder_min_days`
   before D;
3. a contact attempt is dated on or after that day;
4. no objection is dated on or after the latest reminder that meets 2;
5. no signal was already sent for this run of arrears (`MunicipalitySignal.arrears_since`).

`review` lists every running tenancy where F1 fires with each of 2-5 met or missing (the
collections department's list); `ready` is the part of it where all are met. Set-based like
detection: the database reduces, Polars decides, Python only builds the rows returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from regie.signalling import detection_data as data
from regie.signalling.detection import FREEZE_FROM, collector_paused
from regie.signalling.detection_rules import Plan, band_expr

CONDITIONS = ("reminder", "contact", "no_objection", "not_sent")


@dataclass(frozen=True)
class WgsRow:
    tenancy_pk: int
    tenancy_id: str
    arrears_amount: Decimal
    arrears_since: date


@dataclass(frozen=True)
class WgsReview:
    """One tenancy where F1 fires, with conditions 2-5 of the signal each met (True) or missing."""

    tenancy_pk: int
    tenancy_id: str
    arrears_amount: Decimal
    arrears_since: date
    arrears_band: int
    # The latest reminder meeting condition 2, the latest contact attempt since the arrears began,
    # the latest objection on or after that reminder (what blocks condition 4); None when absent.
    reminder_date: date | None
    contact_date: date | None
    objection_date: date | None
    # condition -> met: "reminder" (2), "contact" (3), "no_objection" (4), "not_sent" (5)
    conditions: dict[str, bool]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c for c in CONDITIONS if not self.conditions[c])

    @property
    def ready(self) -> bool:
        return all(self.conditions.values())

    def row(self) -> WgsRow:
        return WgsRow(self.tenancy_pk, self.tenancy_id, self.arrears_amount, self.arrears_since)


def _latest(events: pl.DataFrame, condition: pl.Expr, name: str) -> pl.DataFrame:
    return events.filter(condition).group_by("pk").agg(pl.col("day").max().alias(name))


def review(*, as_of: date, config: dict) -> list[WgsReview]:
    """Every tenancy running on `as_of` where F1 fires, ordered by tenancy number as text."""
    from regie.signalling.models import MunicipalitySignal

    plan = Plan.from_config(config)
    wgs = plan.config["wgs"]
    today = data.day_number(as_of)

    candidates = data.running_tenancies(as_of).with_columns(band_expr(plan)).filter(pl.col("band") > 0).drop("snap_day")
    if candidates.is_empty():
        return []
    pks = candidates["pk"].to_list()
    candidates = candidates.join(data.arrears_since(as_of, pks), on="pk", how="inner")

    codes = {wgs["reminder_code"]: "reminder", wgs["contact_code"]: "contact", wgs["objection_code"]: "objection"}
    events = (
        data.events(as_of, None, codes, pks)
        .join(candidates.select("pk", "since_day"), on="pk", how="inner")
        .filter(pl.col("day") >= pl.col("since_day"))
        .with_columns(kind=pl.col("type").replace_strict(codes, return_dtype=pl.String))
    )
    reminders = _latest(
        events,
        (pl.col("kind") == "reminder") & (pl.col("day") <= today - wgs["reminder_min_days"]),
        "reminder_day",
    )
    contacts = _latest(events, pl.col("kind") == "contact", "contact_day")
    objections = _latest(
        events.join(reminders, on="pk", how="inner").filter(
            (pl.col("kind") == "objection") & (pl.col("day") >= pl.col("reminder_day"))
        ),
        pl.lit(True),
        "objection_day",
    )
    sent_rows = list(
        MunicipalitySignal.objects.filter(tenancy_id__in=pks).values_list("tenancy_id", "arrears_since")
        if len(pks) <= 1000
        else MunicipalitySignal.objects.values_list("tenancy_id", "arrears_since")
    )
    sent = pl.DataFrame(
        [(pk, data.day_number(since)) for pk, since in sent_rows],
        schema={"pk": pl.Int64, "since_day": pl.Int32},
        orient="row",
    ).with_columns(sent=pl.lit(True))

    df = (
        candidates.join(reminders, on="pk", how="left")
        .join(contacts, on="pk", how="left")
        .join(objections, on="pk", how="left")
        .join(sent, on=["pk", "since_day"], how="left")
        .sort("tenancy_id")
    )
    with collector_paused(freeze=df.height >= FREEZE_FROM):
        return _reviews(df)


def _reviews(df: pl.DataFrame) -> list[WgsReview]:
    out = []
    day_date = data.day_date
    for pk, tenancy_id, bal_c, band, since, reminder, contact, objection, already in df.select(
        "pk", "tenancy_id", "bal_c", "band", "since_day", "reminder_day", "contact_day", "objection_day", "sent"
    ).iter_rows():
        out.append(
            WgsReview(
                tenancy_pk=pk,
                tenancy_id=tenancy_id,
                arrears_amount=Decimal(bal_c).scaleb(-2),
                arrears_since=day_date(since),
                arrears_band=band,
                reminder_date=None if reminder is None else day_date(reminder),
                contact_date=None if contact is None else day_date(contact),
                objection_date=None if objection is None else day_date(objection),
                conditions={
                    "reminder": reminder is not None,
                    "contact": contact is not None,
                    # Without a qualifying reminder there is nothing an objection could follow;
                    # condition 2 is what is missing then.
                    "no_objection": objection is None,
                    "not_sent": not already,
                },
            )
        )
    return out


def ready(*, as_of: date, config: dict) -> list[WgsRow]:
    """The tenancies ready to be signalled to the municipality on `as_of`, by tenancy number as text."""
    return [r.row() for r in review(as_of=as_of, config=config) if r.ready]
