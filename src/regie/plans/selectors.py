"""Reads of the plan that depend on who asks: the case team's view of a case's plan, a department's
worklist (the action, the address and how to reach the household: nothing else of the case), the
director's due actions, and the content the tenant signs."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from regie.accounts.models import Role
from regie.audit.models import Action as LogAction
from regie.audit.services import access_denied, access_record
from regie.cases.models import Case, Status
from regie.cases.selectors import cases_visible_to
from regie.core.vera import HouseholdRole
from regie.housing.models import Person
from regie.plans.models import Action, Assessment, Goal, PlanSignature, ZrmDomain
from regie.plans.sensitivity import is_sensitive
from regie.plans.workflow import ACTIVE

COMING_DAYS = 14
CONTACT_ROLES = (HouseholdRole.TENANT, HouseholdRole.CO_TENANT)


# -- assessments -----------------------------------------------------------------------------


def assessments_of(case: Case) -> list[Assessment]:
    return list(
        Assessment.objects.filter(case=case)
        .select_related("by")
        .prefetch_related("scores")
        .order_by("assessed_on", "pk")
    )


@dataclass
class DomainRow:
    domain: str
    label: str
    scores: list[int | None]  # one per assessment, oldest first
    notes: list[str]
    intake: int | None = None
    latest: int | None = None
    # A sensitive domain the reader may not read: its scores and notes are blanked (plans.sensitivity).
    shielded: bool = False

    @property
    def change(self) -> int | None:
        if self.intake is None or self.latest is None:
            return None
        return self.latest - self.intake


@dataclass
class History:
    assessments: list[Assessment]
    rows: list[DomainRow] = field(default_factory=list)
    # The baseline: the intake assessment, or the first one when no intake was recorded.
    baseline: Assessment | None = None

    @property
    def total_change(self) -> int:
        return sum(r.change or 0 for r in self.rows)


def assessment_history(assessments: list[Assessment]) -> History:
    """Per domain its score at each assessment, and the change from the baseline to the latest."""
    history = History(assessments=assessments)
    if not assessments:
        return history
    baseline = next((a for a in assessments if a.moment == Assessment.Moment.INTAKE), assessments[0])
    history.baseline = baseline
    by_assessment = [{s.domain: s for s in a.scores.all()} for a in assessments]
    base_index = assessments.index(baseline)
    for domain in ZrmDomain:
        cells = [scores.get(domain.value) for scores in by_assessment]
        row = DomainRow(
            domain=domain.value,
            label=str(domain.label),
            scores=[c.score if c else None for c in cells],
            notes=[c.note if c else "" for c in cells],
        )
        row.intake = row.scores[base_index]
        row.latest = next((s for s in reversed(row.scores[base_index:]) if s is not None), None)
        history.rows.append(row)
    return history


def shield_history(history: History) -> History:
    """The history as a reader outside the case team may see it: the sensitive domains' rows keep
    their place but lose their scores and notes (so the total change leaves them out too)."""
    rows = []
    for row in history.rows:
        if is_sensitive(row.domain):
            n = len(row.scores)
            row = DomainRow(domain=row.domain, label=row.label, scores=[None] * n, notes=[""] * n, shielded=True)
        rows.append(row)
    return History(assessments=history.assessments, rows=rows, baseline=history.baseline)


# -- the plan of a case (case team) ----------------------------------------------------------


def plan_goals(case: Case) -> list[Goal]:
    """The case's goals in the ZRM's domain order, each with its actions (by due date)."""
    actions = Action.objects.select_related("assignee", "referral__organisation").order_by("due", "pk")
    goals = list(Goal.objects.filter(case=case).prefetch_related(Prefetch("actions", queryset=actions)))
    order = {d: i for i, d in enumerate(ZrmDomain.values)}
    goals.sort(key=lambda g: (order.get(g.domain, 99), g.created_at, g.pk))
    return goals


def action_for(user, pk: int) -> Action:
    """An action of a case the user sees (the case team's view); 404 otherwise. Logs the case read."""
    action = (
        Action.objects.filter(pk=pk, case__in=cases_visible_to(user))
        .select_related("case", "case__household", "goal", "assignee", "referral__organisation")
        .first()
    )
    if action is None:
        if Action.objects.filter(pk=pk).exists():
            access_denied(user=user, record_type="action", record_id=pk)
        raise Http404
    access_record(user=user, action=LogAction.READ, record_type="case", record_ids=[action.case_id])
    return action


def goal_for(user, pk: int) -> Goal:
    goal = Goal.objects.filter(pk=pk, case__in=cases_visible_to(user)).select_related("case").first()
    if goal is None:
        raise Http404
    access_record(user=user, action=LogAction.READ, record_type="case", record_ids=[goal.case_id])
    return goal


def plan_content(case: Case, goals: list[Goal] | None = None) -> str:
    """The plan as the tenant reads it, in a stable form: what a signature's digest covers.

    Goals and actions with their words, who, by when and status; not the case's notes. A change
    to any of them changes the digest, so the page can say the plan changed since it was signed."""
    goals = plan_goals(case) if goals is None else goals
    lines = [f"case:{case.pk}", f"director:{case.director_id}"]
    for g in goals:
        lines.append(f"goal:{g.pk}|{g.domain}|{g.text}|{g.target_date or ''}|{g.status}")
        for a in g.actions.all():
            lines.append(
                f"action:{a.pk}|{a.what}|{a.who}|{a.department}|{a.referral_id or ''}|{a.due or ''}|{a.status}"
            )
    return "\n".join(lines)


def plan_digest(case: Case, goals: list[Goal] | None = None) -> str:
    return hashlib.sha256(plan_content(case, goals).encode()).hexdigest()


def latest_signature(case: Case) -> PlanSignature | None:
    return PlanSignature.objects.filter(case=case).select_related("person").order_by("-signed_on", "-pk").first()


def signers(case: Case) -> QuerySet[Person]:
    return Person.objects.filter(tenancy_id=case.household_id, role__in=CONTACT_ROLES).order_by("role", "pk")


# -- worklists -------------------------------------------------------------------------------


def _contacts_prefetch() -> Prefetch:
    return Prefetch(
        "case__household__persons",
        queryset=Person.objects.filter(role__in=CONTACT_ROLES).only(
            "pk", "tenancy_id", "role", "first_name", "name_prefix", "last_name", "phone", "email"
        ),
        to_attr="contacts",
    )


def department_actions(user, *, mine: bool = False) -> QuerySet[Action]:
    """A department's open actions across cases: only for a colleague of that department.

    Only fields the worklist needs are loaded; the case's question and notes never are."""
    if not user.is_authenticated or user.role != Role.DEPARTMENT:
        return Action.objects.none()
    qs = Action.objects.filter(
        who=Action.Who.DEPARTMENT, department=user.department, status__in=ACTIVE, case__status__in=_open_statuses()
    )
    if mine:
        qs = qs.filter(assignee=user)
    return (
        qs.select_related("case__household__unit", "assignee")
        .only(
            "pk",
            "what",
            "due",
            "status",
            "department",
            "who",
            "outcome",
            "accepted_at",
            "created_at",
            "case_id",
            "goal_id",
            "assignee__first_name",
            "assignee__last_name",
            "assignee__username",
            "case__household_id",
            "case__status",
            "case__household__name",
            "case__household__unit__street",
            "case__household__unit__house_number",
            "case__household__unit__house_number_suffix",
            "case__household__unit__postcode",
            "case__household__unit__city",
        )
        .prefetch_related(_contacts_prefetch())
        .order_by("due", "pk")
    )


def _open_statuses() -> list[str]:
    return [s for s in Status.values if s != Status.CLOSED]


def log_department_read(user, actions) -> None:
    """A department colleague's read of actions: the actions and the households whose address and
    contact details he saw."""
    actions = list(actions)
    access_record(user=user, action=LogAction.READ, record_type="action", record_ids=[a.pk for a in actions])
    households = sorted({a.case.household_id for a in actions})
    access_record(user=user, action=LogAction.READ, record_type="household", record_ids=households)


def department_action_for(user, pk: int) -> Action:
    """One action of the user's department (any status, so a completed one can still be read back);
    404 for anyone else and for any other action. Logged as read."""
    if not user.is_authenticated or user.role != Role.DEPARTMENT:
        raise Http404
    action = (
        Action.objects.filter(pk=pk, who=Action.Who.DEPARTMENT, department=user.department)
        .select_related("case__household__unit", "assignee")
        .prefetch_related(_contacts_prefetch())
        .first()
    )
    if action is None:
        if Action.objects.filter(pk=pk).exists():
            access_denied(user=user, record_type="action", record_id=pk)
        raise Http404
    log_department_read(user, [action])
    return action


@dataclass
class DueActions:
    overdue: list[Action]
    coming: list[Action]


def director_due_actions(user, *, today: date | None = None, days: int = COMING_DAYS) -> DueActions:
    """The actions on the cases a user directs that are overdue or due within `days`."""
    today = today or timezone.localdate()
    qs = (
        Action.objects.filter(
            case__director=user,
            case__status__in=_open_statuses(),
            status__in=ACTIVE,
            due__isnull=False,
            due__lte=today + timedelta(days=days),
        )
        .select_related("case__household__unit", "assignee", "referral__organisation")
        .order_by("due", "pk")
    )
    rows = list(qs)
    return DueActions(overdue=[a for a in rows if a.due < today], coming=[a for a in rows if a.due >= today])


def feed_actions(user) -> list[Action]:
    """The due actions a user's calendar shows: his cases' actions if he directs cases, his
    department's if he is a department colleague. Open and in progress, with a date."""
    if user.role == Role.DEPARTMENT:
        qs = department_actions(user).filter(due__isnull=False)
    elif user.reads_case_content:
        qs = (
            Action.objects.filter(
                case__director=user, case__status__in=_open_statuses(), status__in=ACTIVE, due__isnull=False
            )
            .select_related("case__household__unit")
            .order_by("due", "pk")
        )
    else:
        return []
    return list(qs)
