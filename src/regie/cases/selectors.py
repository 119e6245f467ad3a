"""Reads of cases that depend on who asks, and the caseload."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    Case as When_,
)
from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from regie.accounts.models import Role
from regie.audit.emergency import active_grant, enter_emergency
from regie.audit.models import Action
from regie.audit.services import access_denied, access_record
from regie.cases.models import Case, CaseMember, Status, TimelineEntry
from regie.housing.selectors import latest_balance_subquery, legal_step_exists
from regie.plans.models import Action as PlanAction

NO_CONTACT_DAYS = 30
# An action of the plan due within this many days shows as "coming" (regie.plans).
ACTION_COMING_DAYS = 14
# A case page (and its API twin) shows the latest moments; the whole history is one request away.
TIMELINE_PAGE = 30
TIMELINE_ALL = 2000


def cases_visible_to(user) -> QuerySet[Case]:
    """Cases the user directs or is on the team of; a manager also his teams' cases.

    The director is always an active member (role ZAA; the services keep it so), so membership
    alone answers "directs or is on the team". One indexed IN-subquery: an OR of `director = me`
    with an EXISTS would keep PostgreSQL from using an index and make it read every case.
    """
    if not user.is_authenticated or not user.reads_case_content:
        return Case.objects.none()
    mine = CaseMember.objects.filter(user=user, removed_at__isnull=True).values("case_id")
    condition = Q(pk__in=mine)
    if user.role == Role.MANAGER:
        condition |= Q(team__in=user.teams.values("pk"))
    return Case.objects.filter(condition)


def case_for(user, pk: int) -> Case:
    """The case, logged as read; 404 when missing or not the user's to see. It carries the
    caseload's urgency facts (`balance`, `legal_step`), so its page needs no second fetch."""
    case = with_urgency(cases_visible_to(user)).select_related("team").filter(pk=pk).first()
    if case is None and (grant := active_grant(user, pk)) is not None:
        # An emergency override (noodknop): read-only, and every read of this request is flagged.
        case = with_urgency(Case.objects.filter(pk=pk)).select_related("team").first()
        if case is not None:
            enter_emergency(grant)
            case.emergency_grant = grant
    if case is None:
        if Case.objects.filter(pk=pk).exists():
            access_denied(user=user, record_type="case", record_id=pk)
        raise Http404
    access_record(user=user, action=Action.READ, record_type="case", record_ids=[case.pk])
    return case


def with_urgency(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate what the caseload shows: the latest arrears balance, whether a legal step was
    taken and the earliest due date of the plan's open actions, as subqueries (no query per row).
    The rest of the urgency is worked out per row from these and the case's own fields
    (`urgency_marks`), which keeps the SQL small to compile."""
    money = DecimalField(max_digits=11, decimal_places=2)
    return qs.select_related("household", "household__unit", "director").annotate(
        balance=ExpressionWrapper(latest_balance_subquery("household_id"), output_field=money),
        legal_step=legal_step_exists("household_id"),
        next_action_due=Subquery(
            PlanAction.objects.filter(case=OuterRef("pk"), status__in=["open", "in_progress"], due__isnull=False)
            .order_by("due")
            .values("due")[:1]
        ),
    )


def arrears_high(balance, monthly_rent) -> bool:
    """Arrears of at least three months' rent, compared exactly in decimals (as DETECTION.md does)."""
    return balance is not None and balance >= 3 * monthly_rent


@dataclass(frozen=True)
class CaseloadFilter:
    status: str = ""
    scope: str = "mine"  # mine: I direct; team: I'm on the team; all: everything I may see
    urgent: bool = False
    director: int | None = None
    sort: str = "-days_open"


# Sort keys of the caseload: each a list of fields in ascending order of the key ("-" reverses a
# field: more days open means an earlier opening). Empty values sort last either way.
SORTS = {
    "household": ["household__name"],
    "address": ["household__unit__street", "household__unit__house_number"],
    "status": ["status_order"],
    "days_open": ["-opened_at"],
    "next_due": ["next_step_due"],
    "director": ["director__last_name", "director__first_name"],
}
STATUS_ORDER = [s.value for s in Status]


def in_scope(qs: QuerySet[Case], user, scope: str) -> QuerySet[Case]:
    """`mine`: cases he directs; `team`: cases on whose team he is, directed by someone else; `all`: as is."""
    if scope == "mine":
        return qs.filter(director=user)
    if scope == "team":
        on_team = CaseMember.objects.filter(case=OuterRef("pk"), user=user, removed_at__isnull=True)
        return qs.filter(Exists(on_team)).exclude(director=user)
    return qs


def caseload(user, f: CaseloadFilter) -> QuerySet[Case]:
    qs = in_scope(cases_visible_to(user).open(), user, f.scope)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.director:
        qs = qs.filter(director_id=f.director)
    qs = with_urgency(qs)
    key = f.sort.lstrip("-")
    if key == "status":
        qs = qs.annotate(status_order=When_(*[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)]))
    if f.urgent:
        cutoff = timezone.now() - timedelta(days=NO_CONTACT_DAYS)
        qs = qs.filter(
            Q(legal_step=True)
            | Q(balance__gte=F("household__monthly_rent") * 3)
            | Q(next_step_due__lt=timezone.localdate())
            | Q(next_action_due__lt=timezone.localdate())
            | Q(last_contact_at__lt=cutoff)
            | Q(last_contact_at__isnull=True, opened_at__lt=cutoff)
        )
    descending = f.sort.startswith("-")
    order = []
    for name in SORTS.get(key, SORTS["days_open"]):
        field = F(name.lstrip("-"))
        reverse = name.startswith("-") != descending
        order.append(field.desc(nulls_last=True) if reverse else field.asc(nulls_last=True))
    return qs.order_by(*order, "pk")


def urgency_marks(case: Case, now=None) -> list[str]:
    """The urgency marks of an annotated case, as codes the template words."""
    if not case.is_open:
        return []
    now = now or timezone.now()
    marks = []
    if getattr(case, "legal_step", False):
        marks.append("legal")
    if arrears_high(getattr(case, "balance", None), case.household.monthly_rent):
        marks.append("arrears")
    if case.next_step_due and case.next_step_due < timezone.localdate():
        marks.append("overdue")
    action_due = getattr(case, "next_action_due", None)
    if action_due is not None:
        today = timezone.localdate()
        if action_due < today:
            marks.append("action_overdue")
        elif action_due <= today + timedelta(days=ACTION_COMING_DAYS):
            marks.append("action_coming")
    last = case.last_contact_at or case.opened_at
    if case.is_open and last < now - timedelta(days=NO_CONTACT_DAYS):
        marks.append("no_contact")
    if case.recurrence_of_id:
        marks.append("recurrence")
    return marks


def timeline(case: Case, *, limit: int = 100) -> list[dict]:
    """The case's own entries and the household's events in one stream, newest first."""
    entries = list(
        TimelineEntry.objects.filter(case=case)
        .select_related("actor", "contact")
        .prefetch_related("contact__persons")
        .order_by("-at", "-pk")[:limit]
    )
    events = list(case.household.events.order_by("-date", "-pk")[:limit])
    stream = [{"kind": "entry", "at": e.at, "date": timezone.localdate(e.at), "obj": e} for e in entries]
    stream += [{"kind": "event", "at": None, "date": ev.date, "obj": ev} for ev in events]
    stream.sort(key=lambda item: item["date"], reverse=True)
    return stream[:limit]
