"""Reads of the team meeting: who sees which meeting, and what the drafted agenda looks for.

A meeting (its agenda, its live page and its minutes) is for its attendees, its chair and the
managers of its team; anyone else gets a 404. The agenda holds only the team's own cases, which
everyone in the team may discuss: items name the case number and the household, nothing more.

`agenda_sources(meeting)` is the drafting itself, as a read: what Regie proposes, each with why.
The service `agenda_draft` writes what is not on the agenda yet. All dates are measured against
the meeting's own moment (`starts_at`): an agenda drafted on Friday for Tuesday shows what will be
due by Tuesday.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from regie.accounts.models import Role, Team, User
from regie.audit.models import Action as LogAction
from regie.audit.services import access_denied, access_record
from regie.cases.models import Case, Contact, EntryKind, TimelineEntry
from regie.meetings.models import AgendaItem, CaseQuestion, Kind, Meeting, Rhythm
from regie.plans.models import Action, ActionUpdate
from regie.plans.workflow import ACTIVE

Source = AgendaItem.Source
# Without a previous meeting of the same kind, "new" means opened within this many days.
NEW_CASE_LOOKBACK_DAYS = 7
# The default for a team without a rhythm of that kind (the model's default too).
DEFAULT_NO_PROGRESS_DAYS = 21
# Status changes count as progress (a case moved along); so does its opening.
PROGRESS_KINDS = (EntryKind.OPENED, EntryKind.STATUS, EntryKind.REOPENED)
OPEN_OBSTACLE = ("raised", "in_progress")
# The order in which the drafted items come, the chair reorders from there.
SOURCE_ORDER = [
    Source.PUT_FORWARD,
    Source.APPROVAL,
    Source.REFERRAL,
    Source.OVERDUE_ACTIONS,
    Source.NO_PROGRESS,
    Source.NEW_CASE,
    Source.OBSTACLE,
]


# -- who sees what ----------------------------------------------------------------------------


def team_members(team: Team) -> QuerySet[User]:
    """Who can chair or attend the team's meeting: its active professionals and managers."""
    return User.objects.filter(teams=team, is_active=True, role__in=(Role.PROFESSIONAL, Role.MANAGER)).order_by(
        "last_name", "first_name", "username"
    )


def teams_to_plan_for(user) -> QuerySet[Team]:
    """The teams a user may plan meetings for: his own, as a professional or a manager."""
    if not user.is_authenticated or user.role not in (Role.PROFESSIONAL, Role.MANAGER):
        return Team.objects.none()
    return user.teams.order_by("name")


def teams_managed_by(user) -> QuerySet[Team]:
    if not user.is_authenticated or user.role != Role.MANAGER:
        return Team.objects.none()
    return user.teams.order_by("name")


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Meetings the user attends or chairs; a manager also his teams' meetings."""
    if not user.is_authenticated or not user.reads_case_content:
        return Meeting.objects.none()
    condition = Q(pk__in=Meeting.attendees.through.objects.filter(user=user).values("meeting_id")) | Q(chair=user)
    if user.role == Role.MANAGER:
        condition |= Q(team__in=user.teams.values("pk"))
    return Meeting.objects.filter(condition)


def meeting_for(user, pk: int) -> Meeting:
    """The meeting; 404 when missing or not the user's (a refused read on the log)."""
    meeting = meetings_visible_to(user).select_related("team", "chair").filter(pk=pk).first()
    if meeting is None:
        if Meeting.objects.filter(pk=pk).exists():
            access_denied(user=user, record_type="meeting", record_id=pk)
        raise Http404
    return meeting


def may_chair(user, meeting: Meeting) -> bool:
    """The chair leads the agenda and the record; the team's manager may stand in."""
    if not user.is_authenticated or not user.is_active:
        return False
    if meeting.chair_id == user.pk:
        return True
    return user.role == Role.MANAGER and user.teams.filter(pk=meeting.team_id).exists()


def may_plan(user, team: Team) -> bool:
    return teams_to_plan_for(user).filter(pk=team.pk).exists()


def items_of(meeting: Meeting, *, with_removed: bool = False) -> list[AgendaItem]:
    qs = meeting.items.select_related("case", "case__household", "case__director", "obstacle", "question")
    if not with_removed:
        qs = qs.filter(removed=False)
    return list(qs.order_by("order", "pk"))


def log_case_reads(user, items) -> None:
    """Every case an agenda or the minutes show is a read of that case, on the access log."""
    ids = sorted({i.case_id for i in items if i.case_id})
    access_record(user=user, action=LogAction.READ, record_type="case", record_ids=ids)


def rhythm_of(team: Team, kind: str) -> Rhythm | None:
    return Rhythm.objects.filter(team=team, kind=kind).first()


def no_progress_days(team: Team, kind: str) -> int:
    """N of "no progress for N days": the team's rhythm of this kind, else its weekly case review's."""
    rhythm = rhythm_of(team, kind) or rhythm_of(team, Kind.CASE_REVIEW)
    return rhythm.no_progress_days if rhythm else DEFAULT_NO_PROGRESS_DAYS


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The team's latest meeting of the same kind before this one (planned ones count too)."""
    return (
        Meeting.objects.filter(team=meeting.team_id, kind=meeting.kind, starts_at__lt=meeting.starts_at)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at", "-pk")
        .first()
    )


def waiting_questions(case: Case) -> list[CaseQuestion]:
    return list(CaseQuestion.objects.filter(case=case, handled_in__isnull=True).select_related("asked_by"))


# -- the agenda Regie drafts ------------------------------------------------------------------


@dataclass
class Proposal:
    source: str
    case: Case | None = None
    obstacle: object = None
    question: CaseQuestion | None = None

    @property
    def title(self) -> str:
        return item_title(self.case, self.obstacle)


def item_title(case: Case | None, obstacle=None) -> str:
    """A title with no more than the team needs: the case number and the household's name."""
    if case is not None:
        return f"#{case.pk} {case.household.name}"[:300]
    if obstacle is not None:
        return obstacle.title[:300]
    return ""


def last_progress(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with its latest contact, status change and action update."""
    return cases.annotate(
        last_contact=Subquery(Contact.objects.filter(case=OuterRef("pk")).order_by("-at").values("at")[:1]),
        last_status=Subquery(
            TimelineEntry.objects.filter(case=OuterRef("pk"), kind__in=PROGRESS_KINDS).order_by("-at").values("at")[:1]
        ),
        last_action=Subquery(ActionUpdate.objects.filter(action__case=OuterRef("pk")).order_by("-at").values("at")[:1]),
        last_action_added=Subquery(
            Action.objects.filter(case=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
        ),
    )


def progress_day(case: Case) -> date:
    """The day of the latest progress on an annotated case (its opening when nothing since)."""
    moments = [case.opened_at, case.last_contact_at, case.last_contact, case.last_status]
    moments += [case.last_action, case.last_action_added]
    return timezone.localdate(max(m for m in moments if m is not None))


def days_without_progress(case: Case, day: date) -> int:
    return (day - progress_day(case)).days


def agenda_sources(meeting: Meeting) -> list[Proposal]:
    """What Regie proposes for the agenda, in SOURCE_ORDER; a case comes once, under its first
    reason (a question put forward comes once per question)."""
    from regie.learning.models import Obstacle
    from regie.mandate.models import Decision
    from regie.network.models import Referral

    at = meeting.starts_at
    day = timezone.localdate(at)
    team_cases = Case.objects.open().filter(team=meeting.team_id, opened_at__lte=at).select_related("household")
    found: dict[str, list[Proposal]] = {s: [] for s in SOURCE_ORDER}

    for q in (
        CaseQuestion.objects.filter(handled_in__isnull=True, case__in=team_cases.values("pk"), asked_at__lte=at)
        .select_related("case__household")
        .order_by("asked_at", "pk")
    ):
        found[Source.PUT_FORWARD].append(Proposal(Source.PUT_FORWARD, case=q.case, question=q))

    cases = {c.pk: c for c in last_progress(team_cases).order_by("pk")}

    pending = Decision.objects.filter(status=Decision.Status.PENDING, case__in=list(cases)).values_list(
        "case_id", flat=True
    )
    found[Source.APPROVAL] = [Proposal(Source.APPROVAL, case=cases[pk]) for pk in sorted(set(pending))]

    late = set()
    for r in Referral.objects.filter(status=Referral.Status.SENT, case__in=list(cases)).select_related("organisation"):
        if r.sent_at + timedelta(days=r.organisation.expected_response_days) < at:
            late.add(r.case_id)
    found[Source.REFERRAL] = [Proposal(Source.REFERRAL, case=cases[pk]) for pk in sorted(late)]

    overdue = Action.objects.filter(case__in=list(cases), status__in=ACTIVE, due__lt=day).values_list(
        "case_id", flat=True
    )
    found[Source.OVERDUE_ACTIONS] = [Proposal(Source.OVERDUE_ACTIONS, case=cases[pk]) for pk in sorted(set(overdue))]

    n = no_progress_days(meeting.team, meeting.kind)
    found[Source.NO_PROGRESS] = [
        Proposal(Source.NO_PROGRESS, case=c) for c in cases.values() if days_without_progress(c, day) >= n
    ]

    previous = previous_meeting(meeting)
    since = previous.starts_at if previous else at - timedelta(days=NEW_CASE_LOOKBACK_DAYS)
    found[Source.NEW_CASE] = [Proposal(Source.NEW_CASE, case=c) for c in cases.values() if c.opened_at > since]

    for o in Obstacle.objects.filter(team=meeting.team_id, status__in=OPEN_OBSTACLE, raised_at__lte=at).order_by(
        "raised_at", "pk"
    ):
        found[Source.OBSTACLE].append(Proposal(Source.OBSTACLE, obstacle=o))

    out, seen = [], set()
    for source in SOURCE_ORDER:
        for p in found[source]:
            if p.case is not None and p.question is None:
                if p.case.pk in seen:
                    continue
                seen.add(p.case.pk)
            elif p.question is not None:
                seen.add(p.case.pk)
            out.append(p)
    return out


# -- what the agenda shows about each case, live --------------------------------------------


def case_facts(items: list[AgendaItem], day: date | None = None) -> dict[int, dict]:
    """Per case on the agenda: open questions, overdue actions, pending decisions, late referrals
    and days without progress, in a handful of queries for the whole agenda."""
    from regie.mandate.models import Decision
    from regie.network.models import Referral

    ids = sorted({i.case_id for i in items if i.case_id})
    if not ids:
        return {}
    day = day or timezone.localdate()
    now = timezone.now()
    facts = {pk: {"overdue": 0, "pending": 0, "late_referrals": 0, "days": None, "goals": []} for pk in ids}
    for pk in Action.objects.filter(case__in=ids, status__in=ACTIVE, due__lt=day).values_list("case_id", flat=True):
        facts[pk]["overdue"] += 1
    for pk in Decision.objects.filter(case__in=ids, status=Decision.Status.PENDING).values_list("case_id", flat=True):
        facts[pk]["pending"] += 1
    for r in Referral.objects.filter(case__in=ids, status=Referral.Status.SENT).select_related("organisation"):
        if r.sent_at + timedelta(days=r.organisation.expected_response_days) < now:
            facts[r.case_id]["late_referrals"] += 1
    for c in last_progress(Case.objects.filter(pk__in=ids)):
        facts[c.pk]["days"] = days_without_progress(c, day)
    return facts


def follow_ups(meeting: Meeting) -> dict[int, list[dict]]:
    """The follow-up actions agreed per item (from the case timelines' meeting entries)."""
    entries = TimelineEntry.objects.filter(kind=EntryKind.MEETING, data__meeting=meeting.pk, data__change="action")
    out: dict[int, list[dict]] = {}
    actions = {}
    rows = list(entries.order_by("at", "pk"))
    ids = [e.data.get("action") for e in rows if e.data.get("action")]
    if ids:
        actions = {a.pk: a for a in Action.objects.filter(pk__in=ids)}
    for e in rows:
        a = actions.get(e.data.get("action"))
        if a is not None:
            out.setdefault(e.data.get("item"), []).append({"action": a, "entry": e})
    return out
