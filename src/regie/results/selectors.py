"""Reads of the results: which agreements a user may see, an agreement's progress, and the
manager's dashboard figures (aggregates per team, area and period)."""

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from regie.accounts.models import Role, Team
from regie.audit.services import access_denied
from regie.cases.models import Case, Outcome
from regie.housing.models import ArrearsSnapshot
from regie.plans.models import AssessmentScore, ZrmDomain
from regie.results import indicators as ind
from regie.results.models import Agreement, Indicator, Target
from regie.signalling.models import Flag

DASHBOARD_ROLES = (Role.MANAGER, Role.BOARD, Role.ADMIN)


# -- agreements ----------------------------------------------------------------------------------


def agreements_visible_to(user) -> QuerySet[Agreement]:
    """A professional sees his own; a manager those of the professionals in his teams; nobody else any."""
    qs = Agreement.objects.select_related("professional", "manager").prefetch_related("targets")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.PROFESSIONAL:
        return qs.filter(professional=user)
    if user.role == Role.MANAGER:
        mine = user.teams.values("pk")
        return qs.filter(Q(manager=user) | Q(professional__teams__in=mine)).distinct()
    return qs.none()


def agreement_for(user, pk: int) -> Agreement:
    agreement = agreements_visible_to(user).filter(pk=pk).first()
    if agreement is None:
        if Agreement.objects.filter(pk=pk).exists():
            access_denied(user=user, record_type="agreement", record_id=pk)
        raise Http404
    return agreement


@dataclass
class Progress:
    indicator: str
    label: str
    direction: str | None
    target: Decimal | None
    value: Decimal | None
    met: bool | None
    percent: int | None  # of the target, for "at least" targets
    case_ids: list[int]
    waiting: int = 0


def progress(agreement: Agreement, *, today: date | None = None) -> list[Progress]:
    """Every indicator of the catalogue, computed for the professional over the agreement's period
    (up to today while it runs); the agreed ones first, with their target and whether it is met."""
    today = today or timezone.localdate()
    end = min(agreement.end, max(today, agreement.start))
    figures = ind.compute_all(start=agreement.start, end=end, professional=agreement.professional)
    targets = {t.indicator: t for t in agreement.targets.all()}
    rows = []
    for i in Indicator:
        f, t = figures[i.value], targets.get(i.value)
        met = percent = None
        if t is not None and f.value is not None:
            met = f.value >= t.value if t.direction == Target.Direction.AT_LEAST else f.value <= t.value
            if t.direction == Target.Direction.AT_LEAST and t.value:
                percent = min(round(100 * f.value / t.value), 999)
        rows.append(
            Progress(
                indicator=i.value,
                label=str(i.label),
                direction=t.direction if t else None,
                target=t.value if t else None,
                value=f.value,
                met=met,
                percent=percent,
                case_ids=f.case_ids,
                waiting=f.waiting,
            )
        )
    rows.sort(key=lambda r: r.target is None)
    return rows


# -- the dashboard -------------------------------------------------------------------------------


def may_see_dashboard(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in DASHBOARD_ROLES


def dashboard_teams(user, *, team_id=None, area_id=None) -> QuerySet[Team]:
    """The teams whose figures the user may see (a manager his own, the board and the administrator
    all), narrowed to a team or an area."""
    qs = Team.objects.select_related("area").order_by("name")
    if user.role == Role.MANAGER:
        qs = qs.filter(pk__in=user.teams.values("pk"))
    elif user.role not in DASHBOARD_ROLES:
        return qs.none()
    if team_id:
        qs = qs.filter(pk=team_id)
    if area_id:
        qs = qs.filter(area_id=area_id)
    return qs


def months(start: date, end: date) -> list[date]:
    """The first day of each month the period touches."""
    out, m = [], start.replace(day=1)
    while m <= end:
        out.append(m)
        m = (m + timedelta(days=32)).replace(day=1)
    return out


def month_end(m: date) -> date:
    return (m + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def caseload_per_professional(teams, end: date) -> list[tuple[str, int]]:
    qs = ind.open_at(Case.objects.filter(team__in=teams), ind.day_start(end + timedelta(days=1)))
    rows = qs.values("director__first_name", "director__last_name", "director__username").annotate(n=Count("pk"))
    out = [
        (f"{r['director__first_name']} {r['director__last_name']}".strip() or r["director__username"], r["n"])
        for r in rows
    ]
    return sorted(out, key=lambda r: (-r[1], r[0]))


def flow(teams, start: date, end: date) -> list[tuple[date, int, int, int]]:
    """Per month: households newly signalled in the teams' areas, cases opened, cases closed."""
    area_ids = list({t.area_id for t in teams})
    first_flags = (
        Flag.objects.filter(tenancy__unit__area_id__in=area_ids)
        .values("tenancy_id")
        .annotate(first=Min("run__as_of"))
        .filter(first__gte=start, first__lte=end)
        .values_list("first", flat=True)
    )
    signals = Counter(d.replace(day=1) for d in first_flags)
    cases = Case.objects.filter(team__in=teams).order_by()
    opened = Counter(
        ind.local_day(at).replace(day=1)
        for at in cases.filter(
            opened_at__gte=ind.day_start(start), opened_at__lt=ind.day_start(end + timedelta(days=1))
        ).values_list("opened_at", flat=True)
    )
    closed = Counter(
        ind.local_day(at).replace(day=1) for at in ind._closed_in(cases, start, end).values_list("closed_at", flat=True)
    )
    return [(m, signals[m], opened[m], closed[m]) for m in months(start, end)]


def zrm_change(case_ids) -> list[tuple[str, float | None, float | None, int]]:
    """Per ZRM domain over the given cases: the mean intake score, the mean closure score and how
    many cases were scored on the domain at both moments."""
    chosen = ind.intake_and_closure(case_ids)
    pairs = {s["intake"]: s["closure"] for s in chosen.values() if "intake" in s and "closure" in s}
    scores: dict[tuple[int, str], int] = {
        (a, d): s
        for a, d, s in AssessmentScore.objects.filter(assessment_id__in=[*pairs, *pairs.values()]).values_list(
            "assessment_id", "domain", "score"
        )
    }
    out = []
    for domain in ZrmDomain:
        before, after = [], []
        for intake, closure in pairs.items():
            if (intake, domain.value) in scores and (closure, domain.value) in scores:
                before.append(scores[(intake, domain.value)])
                after.append(scores[(closure, domain.value)])
        out.append(
            (
                str(domain.label),
                round(statistics.fmean(before), 2) if before else None,
                round(statistics.fmean(after), 2) if after else None,
                len(before),
            )
        )
    return out


def arrears_over_time(teams, start: date, end: date) -> list[tuple[date, int, Decimal]]:
    """At each month's end: the households with a case open then, and their arrears summed (each
    household's latest snapshot on or before that day; credits count 0)."""
    out = []
    cases = Case.objects.filter(team__in=teams)
    for m in months(start, end):
        day = min(month_end(m), end)
        households = set(
            ind.open_at(cases, ind.day_start(day + timedelta(days=1))).values_list("household_id", flat=True)
        )
        latest: dict[int, Decimal] = {}
        for t, b in (
            ArrearsSnapshot.objects.filter(tenancy_id__in=households, date__lte=day)
            .order_by("tenancy_id", "date")
            .values_list("tenancy_id", "balance")
        ):
            latest[t] = b
        total = sum((max(b, Decimal(0)) for b in latest.values()), Decimal(0))
        out.append((day, len(households), total))
    return out


def response_times(teams, start: date, end: date) -> list[tuple[str, int, float | None, int, int]]:
    """Per partner: referrals from the teams' cases sent in the period, the median days to an
    answer, how many were answered and how many still wait."""
    from regie.network.models import Referral

    rows: dict[str, list] = {}
    qs = Referral.objects.filter(
        case__team__in=teams, sent_at__gte=ind.day_start(start), sent_at__lt=ind.day_start(end + timedelta(days=1))
    ).values_list("organisation__name", "sent_at", "answered_at")
    for name, sent, answered in qs:
        rows.setdefault(name, [])
        rows[name].append(None if answered is None else (answered - sent).total_seconds() / 86400)
    out = []
    for name, days in rows.items():
        answered = [d for d in days if d is not None]
        median = round(statistics.median(answered), 1) if answered else None
        out.append((name, len(days), median, len(answered), len(days) - len(answered)))
    return sorted(out, key=lambda r: r[0])


def obstacles_open(teams) -> list[tuple[str, int]]:
    from regie.learning.models import Obstacle

    counts = dict(
        Obstacle.objects.filter(team__in=teams).values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [(str(s.label), counts.get(s.value, 0)) for s in Obstacle.Status]


def evictions(teams, start: date, end: date) -> tuple[int, int]:
    """Evictions prevented (as the indicator) against cases closed with the outcome "evicted"."""
    qs = Case.objects.filter(team__in=teams)
    prevented = int(ind.evictions_prevented(qs, start, end).value)
    evicted = ind._closed_in(qs, start, end).filter(outcome=Outcome.EVICTED).count()
    return prevented, evicted


def dashboard(teams, start: date, end: date) -> dict:
    teams = list(teams)
    closed = list(ind._closed_in(Case.objects.filter(team__in=teams), start, end).values_list("pk", flat=True))
    figures = ind.compute_all(start=start, end=end, teams=teams)
    return {
        "figures": figures,
        "caseload": caseload_per_professional(teams, end),
        "flow": flow(teams, start, end),
        "zrm": zrm_change(closed),
        "arrears": arrears_over_time(teams, start, end),
        "evictions": evictions(teams, start, end),
        "responses": response_times(teams, start, end),
        "obstacles": obstacles_open(teams),
    }
