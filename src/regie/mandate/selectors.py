"""Reads of the mandate that depend on who asks: a case's decisions, what waits for a user's
answer, the budgets, the measures in effect on a household and the manager's overview.

A decision is case content: who may see the case sees its decisions. The board sees no case, only
the decisions put to it (required level BOARD), which is what it needs to answer them.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from regie.accounts.models import Role, Team
from regie.audit.models import Action
from regie.audit.services import access_denied, access_record
from regie.cases.selectors import cases_visible_to
from regie.mandate.models import Budget, Decision, Level, Limit, LimitsVersion, Measure

S = Decision.Status


def _related(qs: QuerySet[Decision]) -> QuerySet[Decision]:
    return qs.select_related("case", "case__team", "measure", "decided_by", "limits_version", "corrects", "budget")


def superseded() -> Exists:
    """A decision in effect that an effective correction replaced: on record, no longer in force."""
    return Exists(Decision.objects.filter(corrects=OuterRef("pk"), status=S.EFFECTIVE))


def in_force() -> QuerySet[Decision]:
    return Decision.objects.filter(status=S.EFFECTIVE).exclude(superseded())


def committed_of(budget: Budget) -> Decimal:
    return in_force().filter(budget=budget).aggregate(s=Sum("value"))["s"] or Decimal(0)


def age_days(decision: Decision, today: date | None = None) -> int:
    """Days since the decision was recorded (how long an approval has waited)."""
    return ((today or timezone.localdate()) - timezone.localdate(decision.created_at)).days


def measures_active() -> QuerySet[Measure]:
    return Measure.objects.filter(is_active=True).order_by("name")


def limits_of(version: LimitsVersion | None = None) -> list[Limit]:
    """The limits of a version (the one in force without one), by measure and level."""
    version = version or LimitsVersion.objects.order_by("-version").first()
    if version is None:
        return []
    order = {level: i for i, level in enumerate(Level.values)}
    rows = list(Limit.objects.filter(version=version).select_related("measure", "version"))
    rows.sort(key=lambda lim: (lim.measure.name, order[lim.level]))
    return rows


def decisions_visible_to(user) -> QuerySet[Decision]:
    if not user.is_authenticated or not user.is_active:
        return Decision.objects.none()
    if user.role == Role.BOARD:
        return Decision.objects.filter(required_level=Level.BOARD)
    return Decision.objects.filter(case__in=cases_visible_to(user).values("pk"))


def decision_for(user, pk: int) -> Decision:
    """The decision, logged as a read of its case; 404 when missing or not the user's to see."""
    decision = _related(decisions_visible_to(user)).filter(pk=pk).first()
    if decision is None:
        case_id = Decision.objects.filter(pk=pk).values_list("case_id", flat=True).first()
        if case_id is not None:
            access_denied(user=user, record_type="case", record_id=case_id)
        raise Http404
    access_record(user=user, action=Action.READ, record_type="case", record_ids=[decision.case_id])
    return decision


def decisions_for_case(case) -> list[Decision]:
    """A case's decisions, newest first, with their answers; for a case the caller may see."""
    return list(
        _related(Decision.objects.filter(case=case))
        .prefetch_related("approvals__by", "corrections")
        .annotate(is_superseded=superseded())
        .order_by("-created_at", "-pk")
    )


def pending_for(user) -> QuerySet[Decision]:
    """What this user may answer, oldest first: his teams' decisions that need a manager, or, for
    the board, what was put to the board. `age_days(decision)` says how long each has waited."""
    if not user.is_authenticated or not user.is_active:
        return Decision.objects.none()
    if user.role == Role.BOARD:
        qs = Decision.objects.filter(required_level=Level.BOARD)
    elif user.role == Role.MANAGER:
        qs = Decision.objects.filter(required_level=Level.MANAGER, case__team__in=user.teams.values("pk"))
    else:
        return Decision.objects.none()
    return _related(qs.filter(status=S.PENDING)).order_by("created_at", "pk")


def questions_for(user) -> QuerySet[Decision]:
    """Decisions of this director that an approver asked a question about, oldest first."""
    if not user.is_authenticated:
        return Decision.objects.none()
    qs = Decision.objects.filter(status=S.QUESTION).filter(Q(decided_by=user) | Q(case__director=user))
    return _related(qs).order_by("created_at", "pk")


def budget_status(*, team: Team, year: int) -> dict:
    """The team's custom budget for the year: amount, committed (decisions in effect, a corrected
    one counting no more), spent (on those decisions) and left (amount less committed)."""
    budget = Budget.objects.filter(team=team, year=year).first()
    if budget is None:
        zero = Decimal(0)
        return {
            "team": team,
            "year": year,
            "budget": None,
            "amount": zero,
            "committed": zero,
            "spent": zero,
            "left": zero,
        }
    sums = in_force().filter(budget=budget).aggregate(committed=Sum("value"), spent=Sum("spent"))
    committed, spent = sums["committed"] or Decimal(0), sums["spent"] or Decimal(0)
    return {
        "team": team,
        "year": year,
        "budget": budget,
        "amount": budget.amount,
        "committed": committed,
        "spent": spent,
        "left": budget.amount - committed,
    }


def budgets_visible_to(user, year: int) -> list[dict]:
    """The budgets a user may see for a year: his own teams'; the administrator's and the board's all."""
    if not user.is_authenticated:
        return []
    if user.role in (Role.ADMIN, Role.BOARD):
        teams = Team.objects.all()
    elif user.role in (Role.PROFESSIONAL, Role.MANAGER):
        teams = user.teams.all()
    else:
        return []
    return [budget_status(team=t, year=year) for t in teams.order_by("name", "pk")]


def household_measures(household) -> list[Decision]:
    """Measures in effect on the household's cases that touch another department (a suspended
    eviction, a frozen arrangement): shown to everyone who handles the household. A dated measure
    whose date has passed is no longer in effect; a corrected decision gives way to its correction."""
    today = timezone.localdate()
    qs = (
        in_force()
        .filter(case__household=household)
        .exclude(measure__department="")
        .exclude(measure__parameter=Measure.Parameter.DATE, on_date__lt=today)
        .select_related("measure", "case", "decided_by")
        .order_by("-effective_at", "-pk")
    )
    return list(qs)


def _teams_of(user) -> QuerySet[Team]:
    if user.role == Role.BOARD:
        return Team.objects.all()
    if user.role == Role.MANAGER:
        return user.teams.all()
    return Team.objects.none()


def overview(*, user, start: date, end: date) -> dict:
    """The manager's view of his teams' decisions from `start` to `end` (inclusive): counts per
    measure and per professional, the departures from procedure with their justification (for the
    team meeting to learn from), what waits with its age, and the teams' budgets in `end`'s year.
    The board sees every team. Other roles get nothing."""
    teams = list(_teams_of(user).order_by("name", "pk"))
    in_period = _related(
        Decision.objects.filter(
            case__team__in=[t.pk for t in teams],
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
    ).order_by("created_at", "pk")
    decisions = list(in_period.annotate(is_superseded=superseded()))
    per_measure: dict[int, dict] = {}
    per_professional: dict[int, dict] = {}
    for d in decisions:
        m = per_measure.setdefault(
            d.measure_id, {"measure": d.measure, "total": 0, "beyond": 0, "value": Decimal(0), **_zero_statuses()}
        )
        p = per_professional.setdefault(
            d.decided_by_id, {"user": d.decided_by, "total": 0, "beyond": 0, **_zero_statuses()}
        )
        for row in (m, p):
            row["total"] += 1
            row[d.status] += 1
            row["beyond"] += d.required_level != Level.PROFESSIONAL
        # A decision that a correction replaced counts no more, as in the budget.
        if d.status == S.EFFECTIVE and d.value is not None and not d.is_superseded:
            m["value"] += d.value
    deviations = [d for d in decisions if d.deviates_from]
    today = timezone.localdate()
    pending = list(
        _related(
            Decision.objects.filter(case__team__in=[t.pk for t in teams], status__in=[S.PENDING, S.QUESTION])
        ).order_by("created_at", "pk")
    )
    for d in pending:
        d.age = age_days(d, today)
    shown = {d.case_id for d in deviations} | {d.case_id for d in pending}
    if shown:
        access_record(user=user, action=Action.READ, record_type="case", record_ids=sorted(shown))
    return {
        "start": start,
        "end": end,
        "teams": teams,
        "decisions": len(decisions),
        "per_measure": sorted(per_measure.values(), key=lambda r: (-r["total"], r["measure"].name)),
        "per_professional": sorted(per_professional.values(), key=lambda r: (-r["total"], str(r["user"]))),
        "deviations": deviations,
        "pending": pending,
        "budgets": [budget_status(team=t, year=end.year) for t in teams],
    }


def _zero_statuses() -> dict[str, int]:
    return dict.fromkeys(S.values, 0)
