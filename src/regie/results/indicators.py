"""The indicators of the result agreements, computed from the data for a professional or a team and
a period (never typed in). Each is defined precisely here and in docs/results.md.

A professional's cases are the cases he directs now (`Case.director`); a team's cases are the
cases it owns (`Case.team`). The period runs from `start` to `end`, both days included, in the
corporation's time zone.

- EVICTIONS_PREVENTED: cases closed in the period with an outcome other than "evicted", whose
  household had a legal step (REGIE.DAG summons, REGIE.VON judgment, REGIE.ONT eviction scheduled)
  on or before the day the case closed, and where no case of that household has since closed with
  the outcome "evicted".
- ARREARS_PAID_DOWN: over the cases running at some time in the period, per case the arrears at
  the case's start (the latest snapshot on or before the day it opened; a credit counts as 0) minus
  the latest arrears in the period (the latest snapshot on or before the period's end, or the day
  the case closed if earlier, and not before the start snapshot), floored at 0 per case; in euros.
  A case without a snapshot at its start counts 0.
- CLOSED_SELF_SUFFICIENT: cases closed in the period whose latest closure assessment has a mean
  ZRM score above that of the earliest intake assessment (over the domains each scored).
- DAYS_TO_CONTACT: for the cases opened in the period that have a contact, the median number of
  days from the signal (the household's first detection flag since its previous case closed, else
  the inbox's decision on it, else the case's opening) to the first contact of the case; None
  when there is none. Cases without a contact yet are left out (they show as "waiting").
- CASELOAD: the cases open at the end of the period (opened before it ended, not closed by then).
- AFTERCARE_HOLDS: aftercare checks of the cases done in the period with the result "it holds",
  where the household had no new case opened within 12 months after the check (so far: a recent
  check counts while no new case came).
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from regie.cases.models import Case, Contact, Outcome
from regie.core.vera import LEGAL_STEP_CODES
from regie.housing.models import ArrearsSnapshot, Event
from regie.plans.models import AftercareCheck, Assessment, AssessmentScore
from regie.results.models import Indicator
from regie.signalling.models import Candidate, Flag

RECURRENCE_DAYS = 365


@dataclass
class Figure:
    """An indicator's value and the cases it counts (for the reader who may see them)."""

    indicator: str
    value: Decimal | None
    case_ids: list[int] = field(default_factory=list)
    waiting: int = 0  # DAYS_TO_CONTACT: cases opened in the period without a contact yet


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def scope_cases(*, professional=None, team=None, teams=None) -> QuerySet[Case]:
    qs = Case.objects.all()
    if professional is not None:
        qs = qs.filter(director=professional)
    if team is not None:
        qs = qs.filter(team=team)
    if teams is not None:
        qs = qs.filter(team__in=teams)
    return qs.order_by()


def _closed_in(qs: QuerySet[Case], start: date, end: date) -> QuerySet[Case]:
    return qs.filter(closed_at__gte=day_start(start), closed_at__lt=day_start(end + timedelta(days=1)))


def evictions_prevented(qs: QuerySet[Case], start: date, end: date) -> Figure:
    cases = list(
        _closed_in(qs, start, end).exclude(outcome=Outcome.EVICTED).values_list("pk", "household_id", "closed_at")
    )
    households = {h for _, h, _ in cases}
    first_step = dict(
        Event.objects.filter(tenancy_id__in=households, type__in=LEGAL_STEP_CODES)
        .values("tenancy_id")
        .annotate(first=Min("date"))
        .values_list("tenancy_id", "first")
    )
    evicted = {}
    for h, closed in Case.objects.filter(household_id__in=households, outcome=Outcome.EVICTED).values_list(
        "household_id", "closed_at"
    ):
        evicted.setdefault(h, []).append(closed)
    ids = []
    for pk, h, closed in cases:
        step = first_step.get(h)
        if step is None or step > local_day(closed):
            continue
        if any(e and e > closed for e in evicted.get(h, [])):
            continue
        ids.append(pk)
    return Figure(Indicator.EVICTIONS_PREVENTED, Decimal(len(ids)), sorted(ids))


def _running_in(qs: QuerySet[Case], start: date, end: date) -> QuerySet[Case]:
    return qs.filter(opened_at__lt=day_start(end + timedelta(days=1))).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=day_start(start))
    )


def arrears_paid_down(qs: QuerySet[Case], start: date, end: date) -> Figure:
    cases = list(_running_in(qs, start, end).values_list("pk", "household_id", "opened_at", "closed_at"))
    snaps: dict[int, list[tuple[date, Decimal]]] = {}
    for t, d, b in (
        ArrearsSnapshot.objects.filter(tenancy_id__in={h for _, h, _, _ in cases}, date__lte=end)
        .order_by("tenancy_id", "date")
        .values_list("tenancy_id", "date", "balance")
    ):
        snaps.setdefault(t, []).append((d, b))
    total, ids = Decimal(0), []
    for pk, h, opened, closed in cases:
        rows = snaps.get(h, [])
        opened_day = local_day(opened)
        before = [r for r in rows if r[0] <= opened_day]
        if not before:
            continue
        start_day, start_balance = before[-1]
        until = min(end, local_day(closed)) if closed else end
        after = [r for r in rows if start_day <= r[0] <= until]
        end_balance = after[-1][1]
        paid = max(start_balance, Decimal(0)) - max(end_balance, Decimal(0))
        if paid > 0:
            total += paid
            ids.append(pk)
    return Figure(Indicator.ARREARS_PAID_DOWN, total.quantize(Decimal("0.01")), sorted(ids))


def intake_and_closure(case_ids) -> dict[int, dict[str, int]]:
    """Per case, the ids of its earliest intake and of its latest closure assessment (either may
    be missing): what "self-sufficiency gained" compares, on the dashboard too."""
    chosen: dict[int, dict[str, int]] = {}
    for a in Assessment.objects.filter(
        case_id__in=list(case_ids), moment__in=[Assessment.Moment.INTAKE, Assessment.Moment.CLOSURE]
    ).order_by("assessed_on", "pk"):
        slot = chosen.setdefault(a.case_id, {})
        if a.moment == Assessment.Moment.INTAKE:
            slot.setdefault("intake", a.pk)
        else:
            slot["closure"] = a.pk
    return chosen


def assessment_means(case_ids) -> dict[int, tuple[float | None, float | None]]:
    """Per case: the mean score of its earliest intake and of its latest closure assessment."""
    chosen = intake_and_closure(case_ids)
    wanted = [pk for slot in chosen.values() for pk in slot.values()]
    scores: dict[int, list[int]] = {}
    for a_id, s in AssessmentScore.objects.filter(assessment_id__in=wanted).values_list("assessment_id", "score"):
        scores.setdefault(a_id, []).append(s)

    def mean(a_id):
        values = scores.get(a_id)
        return statistics.fmean(values) if values else None

    return {c: (mean(slot.get("intake")), mean(slot.get("closure"))) for c, slot in chosen.items()}


def closed_self_sufficient(qs: QuerySet[Case], start: date, end: date) -> Figure:
    closed = list(_closed_in(qs, start, end).values_list("pk", flat=True))
    ids = [
        c
        for c, (intake, closure) in assessment_means(closed).items()
        if None not in (intake, closure) and closure > intake
    ]
    return Figure(Indicator.CLOSED_SELF_SUFFICIENT, Decimal(len(ids)), sorted(ids))


def signal_days(cases: list[tuple[int, int, datetime]]) -> dict[int, date]:
    """Per case (pk, household, opened_at): the day the household was signalled for it."""
    households = {h for _, h, _ in cases}
    flags: dict[int, list[date]] = {}
    for t, d in Flag.objects.filter(tenancy_id__in=households).values_list("tenancy_id", "run__as_of"):
        flags.setdefault(t, []).append(d)
    cases_ids = [pk for pk, _, _ in cases]
    decided = dict(Candidate.objects.filter(case_id__in=cases_ids).values_list("case_id", "decided_at"))
    earlier: dict[int, list[datetime]] = {}
    for h, closed in Case.objects.filter(household_id__in=households, closed_at__isnull=False).values_list(
        "household_id", "closed_at"
    ):
        earlier.setdefault(h, []).append(closed)
    out = {}
    for pk, h, opened in cases:
        opened_day = local_day(opened)
        previous = [local_day(c) for c in earlier.get(h, []) if c < opened]
        since = max(previous) if previous else date.min
        candidates = [d for d in flags.get(h, []) if since < d <= opened_day]
        if candidates:
            out[pk] = min(candidates)
        elif decided.get(pk) is not None and local_day(decided[pk]) <= opened_day:
            out[pk] = local_day(decided[pk])
        else:
            out[pk] = opened_day
    return out


def days_to_contact(qs: QuerySet[Case], start: date, end: date) -> Figure:
    cases = list(
        qs.filter(opened_at__gte=day_start(start), opened_at__lt=day_start(end + timedelta(days=1))).values_list(
            "pk", "household_id", "opened_at"
        )
    )
    first = dict(
        Contact.objects.filter(case_id__in=[pk for pk, _, _ in cases])
        .values("case_id")
        .annotate(first=Min("at"))
        .values_list("case_id", "first")
    )
    signalled = signal_days(cases)
    days, ids = [], []
    for pk, _, _ in cases:
        if pk in first:
            days.append(max((local_day(first[pk]) - signalled[pk]).days, 0))
            ids.append(pk)
    value = Decimal(str(statistics.median(days))) if days else None
    return Figure(Indicator.DAYS_TO_CONTACT, value, sorted(ids), waiting=len(cases) - len(ids))


def open_at(qs: QuerySet[Case], moment: datetime) -> QuerySet[Case]:
    return qs.filter(opened_at__lt=moment).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=moment))


def caseload(qs: QuerySet[Case], start: date, end: date) -> Figure:
    ids = list(open_at(qs, day_start(end + timedelta(days=1))).values_list("pk", flat=True))
    return Figure(Indicator.CASELOAD, Decimal(len(ids)), sorted(ids))


def aftercare_holds(qs: QuerySet[Case], start: date, end: date) -> Figure:
    checks = list(
        AftercareCheck.objects.filter(
            case__in=qs,
            result=AftercareCheck.Result.HOLDS,
            done_at__gte=day_start(start),
            done_at__lt=day_start(end + timedelta(days=1)),
        ).values_list("pk", "case_id", "case__household_id", "done_at")
    )
    opened: dict[int, list[datetime]] = {}
    for h, at in Case.objects.filter(household_id__in={h for _, _, h, _ in checks}).values_list(
        "household_id", "opened_at"
    ):
        opened.setdefault(h, []).append(at)
    count, ids = 0, set()
    for _, case_id, h, done in checks:
        if any(done < at <= done + timedelta(days=RECURRENCE_DAYS) for at in opened.get(h, [])):
            continue
        count += 1
        ids.add(case_id)
    return Figure(Indicator.AFTERCARE_HOLDS, Decimal(count), sorted(ids))


COMPUTE = {
    Indicator.EVICTIONS_PREVENTED: evictions_prevented,
    Indicator.ARREARS_PAID_DOWN: arrears_paid_down,
    Indicator.CLOSED_SELF_SUFFICIENT: closed_self_sufficient,
    Indicator.DAYS_TO_CONTACT: days_to_contact,
    Indicator.CASELOAD: caseload,
    Indicator.AFTERCARE_HOLDS: aftercare_holds,
}


def compute(indicator: str, *, start: date, end: date, professional=None, team=None, teams=None) -> Figure:
    """One indicator for a professional (the cases he directs) or a team (the cases it owns)."""
    qs = scope_cases(professional=professional, team=team, teams=teams)
    return COMPUTE[Indicator(indicator)](qs, start, end)


def compute_all(*, start: date, end: date, professional=None, team=None, teams=None) -> dict[str, Figure]:
    return {
        i.value: compute(i, start=start, end=end, professional=professional, team=team, teams=teams) for i in Indicator
    }
