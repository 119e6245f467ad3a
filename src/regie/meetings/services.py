"""Every write of the team meeting: the team's rhythm, planning a meeting, the agenda (drafted by
Regie, edited by the chair), the record per item (advice and decisions, on the case timeline),
follow-up actions made on the spot, closing with minutes, and putting a case forward.

One transaction each. Who may call which is the caller's check (views and API: `selectors.may_chair`
for the chair's work, the team's manager for the rhythm, `cases.contribute` to put a case forward);
the services check the rules of the trade (attendees from the team, an agenda edited only before
the meeting closes, a record only while it runs).

A follow-up action lands under a goal of the case (plans.services.action_add). The chair picks one
of the case's open goals; without one, the action goes under the goal "Afspraak uit werkoverleg"
in the domain the chair chooses (housing when he does not), which is made when it is not there.
"""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import Role, Team, User
from regie.audit.models import Action as LogAction
from regie.audit.services import access_record
from regie.cases.models import Case, EntryKind, TimelineEntry
from regie.meetings import selectors
from regie.meetings.models import AgendaItem, CaseQuestion, Kind, Meeting, Rhythm
from regie.plans.models import Action, Goal, ZrmDomain

# Plan text is in the corporation's language (the tenant signs the plan), not the interface's.
MEETING_GOAL = "Afspraak uit werkoverleg"
MEETING_GOAL_DOMAIN = ZrmDomain.HOUSING
S = Meeting.Status


def _log_case(case_id: int, by: User, action: str = LogAction.UPDATE) -> None:
    access_record(user=by, action=action, record_type="case", record_ids=[case_id])


def _entry(case_id: int, by: User, *, text: str = "", at=None, **data) -> TimelineEntry:
    return TimelineEntry.objects.create(
        case_id=case_id, kind=EntryKind.MEETING, actor=by, text=text, at=at or timezone.now(), data=data
    )


# -- the rhythm -------------------------------------------------------------------------------


@transaction.atomic
def rhythm_save(
    *,
    team: Team,
    kind: str,
    at: time,
    by: User,
    weekday: int | None = None,
    minutes: int = 15,
    no_progress_days: int = 21,
    is_active: bool = True,
) -> Rhythm:
    """Set when the team meets for a kind of meeting (one rhythm per kind)."""
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    if kind == Kind.DAILY:
        weekday = None  # every working day
    elif weekday is None or not 0 <= weekday <= 6:
        errors["weekday"] = _("Choose the day of the week the team meets.")
    if not 1 <= no_progress_days <= 365:
        errors["no_progress_days"] = _("Choose a number of days from 1 to 365.")
    if not 5 <= minutes <= 480:
        errors["minutes"] = _("Choose a duration from 5 to 480 minutes.")
    if errors:
        raise ValidationError(errors)
    rhythm, _created = Rhythm.objects.update_or_create(
        team=team,
        kind=kind,
        defaults={
            "weekday": weekday,
            "at": at,
            "minutes": minutes,
            "no_progress_days": no_progress_days,
            "is_active": is_active,
        },
    )
    return rhythm


def next_start(rhythm: Rhythm, after: datetime | None = None) -> datetime:
    """The next moment the rhythm says the team meets, after `after` (now)."""
    after = after or timezone.now()
    day = timezone.localdate(after)
    tz = timezone.get_current_timezone()
    for offset in range(0, 15):
        d = date.fromordinal(day.toordinal() + offset)
        if rhythm.weekday is None and d.weekday() >= 5:
            continue
        if rhythm.weekday is not None and d.weekday() != rhythm.weekday:
            continue
        start = datetime.combine(d, rhythm.at, tzinfo=tz)
        if start > after:
            return start
    return datetime.combine(day, rhythm.at, tzinfo=tz)


# -- planning and the agenda ------------------------------------------------------------------


def _check_team_member(user: User, team: Team, field: str) -> None:
    if not selectors.team_members(team).filter(pk=user.pk).exists():
        raise ValidationError({field: _("Choose a colleague of the team: %(name)s is not in it.") % {"name": user}})


@transaction.atomic
def meeting_plan(
    *,
    team: Team,
    kind: str,
    starts_at: datetime,
    chair: User,
    attendees,
    by: User,
    draft: bool = True,
) -> Meeting:
    """Plan a meeting of the team; the chair attends. Regie drafts its agenda at once."""
    if by.role not in (Role.PROFESSIONAL, Role.MANAGER) or not by.teams.filter(pk=team.pk).exists():
        raise ValidationError(_("Only a professional or manager of the team can plan its meeting."))
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose the kind of meeting.")})
    _check_team_member(chair, team, "chair")
    attendees = list(attendees)
    for a in attendees:
        _check_team_member(a, team, "attendees")
    meeting = Meeting.objects.create(team=team, kind=kind, starts_at=starts_at, chair=chair)
    meeting.attendees.set({chair.pk, *[a.pk for a in attendees]})
    if draft:
        agenda_draft(meeting=meeting, by=by)
    return meeting


def _check_editable(meeting: Meeting) -> None:
    if meeting.status == S.CLOSED:
        raise ValidationError(_("This meeting is closed; its agenda and record no longer change."))


def _next_order(meeting: Meeting) -> int:
    return (meeting.items.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def agenda_draft(*, meeting: Meeting, by: User) -> list[AgendaItem]:
    """Add what Regie proposes (selectors.agenda_sources) and the agenda does not hold yet; what
    the chair removed is not proposed again. Returns the items added."""
    _check_editable(meeting)
    existing = list(meeting.items.all())
    have_questions = {i.question_id for i in existing if i.question_id}
    have_cases = {i.case_id for i in existing if i.case_id}
    have_obstacles = {i.obstacle_id for i in existing if i.obstacle_id}
    order = _next_order(meeting)
    new = []
    for p in selectors.agenda_sources(meeting):
        if p.question is not None:
            known = p.question.pk in have_questions
        elif p.case is not None:
            known = p.case.pk in have_cases
        else:
            known = p.obstacle is not None and p.obstacle.pk in have_obstacles
        if known:
            continue
        new.append(
            AgendaItem(
                meeting=meeting,
                order=order,
                source=p.source,
                case=p.case,
                obstacle=p.obstacle,
                question=p.question,
                title=p.title,
            )
        )
        order += 1
    AgendaItem.objects.bulk_create(new)
    return new


@transaction.atomic
def item_move(*, item: AgendaItem, up: bool, by: User) -> AgendaItem:
    """Swap the item with its neighbour above (up) or below on the agenda."""
    _check_editable(item.meeting)
    items = list(item.meeting.items.filter(removed=False).order_by("order", "pk"))
    # Renumber first: orders may have gaps or ties after removals and additions.
    ids = [i.pk for i in items]
    if item.pk not in ids:
        raise ValidationError(_("This item is not on the agenda."))
    at = ids.index(item.pk)
    other = at - 1 if up else at + 1
    if 0 <= other < len(ids):
        ids[at], ids[other] = ids[other], ids[at]
    for n, pk in enumerate(ids, start=1):
        AgendaItem.objects.filter(pk=pk).update(order=n)
    item.refresh_from_db()
    return item


@transaction.atomic
def item_remove(*, item: AgendaItem, by: User, removed: bool = True) -> AgendaItem:
    """Take an item off the agenda (kept, so it is not proposed again), or put it back."""
    _check_editable(item.meeting)
    if item.discussed_at and removed:
        raise ValidationError(_("This item was discussed; its record stays on the agenda."))
    item.removed = removed
    fields = ["removed"]
    if not removed:
        item.order = _next_order(item.meeting)
        fields.append("order")
    item.save(update_fields=fields)
    return item


@transaction.atomic
def item_add(*, meeting: Meeting, title: str, by: User, case: Case | None = None) -> AgendaItem:
    """The chair adds an item of his own, about a case of the team or about anything else."""
    _check_editable(meeting)
    title = title.strip()
    if case is not None:
        if case.team_id != meeting.team_id:
            raise ValidationError({"case": _("Choose a case of the team.")})
        title = title or selectors.item_title(case)
    if not title:
        raise ValidationError({"title": _("Say what the item is about.")})
    item = AgendaItem.objects.create(
        meeting=meeting, order=_next_order(meeting), source=AgendaItem.Source.ADDED, case=case, title=title[:300]
    )
    return item


# -- the meeting itself -------------------------------------------------------------------------


@transaction.atomic
def meeting_start(*, meeting: Meeting, by: User) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != S.PLANNED:
        raise ValidationError(_("Only a planned meeting can start."))
    meeting.status = S.OPEN
    meeting.save(update_fields=["status"])
    return meeting


@transaction.atomic
def item_record(*, item: AgendaItem, advice: str, decision: str, by: User, at=None) -> AgendaItem:
    """The team's advice and what was decided on an item; for a case, it lands on its timeline."""
    if item.meeting.status != S.OPEN:
        raise ValidationError(_("Start the meeting to record what was said."))
    if item.removed:
        raise ValidationError(_("This item is off the agenda."))
    advice, decision = advice.strip(), decision.strip()
    if not advice and not decision:
        raise ValidationError({"advice": _("Write down the advice or what was decided.")})
    if (advice, decision) == (item.advice, item.decision):
        return item
    item.advice, item.decision = advice, decision
    item.discussed_at = at or timezone.now()
    item.save(update_fields=["advice", "decision", "discussed_at"])
    if item.case_id:
        # Stored in the corporation's language, like the plan's text: the timeline shows it as is.
        text = "\n".join(
            part
            for part in (
                f"Advies: {advice}" if advice else "",
                f"Besluit: {decision}" if decision else "",
            )
            if part
        )
        _entry(
            item.case_id, by, text=text, at=item.discussed_at, meeting=item.meeting_id, item=item.pk, change="record"
        )
        _log_case(item.case_id, by)
    if item.question_id:
        CaseQuestion.objects.filter(pk=item.question_id, handled_in__isnull=True).update(handled_in=item.meeting_id)
    return item


def _meeting_goal(case: Case, domain: str, by: User) -> Goal:
    from regie.plans.services import goal_add

    goal = (
        Goal.objects.filter(case=case, text=MEETING_GOAL, domain=domain, status=Goal.Status.OPEN).order_by("pk").first()
    )
    return goal or goal_add(case=case, domain=domain, text=MEETING_GOAL, by=by)


@transaction.atomic
def item_action(
    *,
    item: AgendaItem,
    what: str,
    who: str,
    by: User,
    goal: Goal | None = None,
    domain: str = "",
    department: str = "",
    due: date | None = None,
) -> Action:
    """A follow-up action agreed on an item, made on the spot under a goal of the case."""
    from regie.plans.services import action_add

    if item.meeting.status != S.OPEN:
        raise ValidationError(_("Start the meeting to agree follow-up actions."))
    if item.case_id is None:
        raise ValidationError(_("A follow-up action belongs to a case; this item has none."))
    case = item.case
    if goal is not None and goal.case_id != case.pk:
        raise ValidationError({"goal": _("Choose a goal of this case.")})
    if goal is None:
        domain = domain or MEETING_GOAL_DOMAIN
        if domain not in ZrmDomain.values:
            raise ValidationError({"domain": _("Choose the life domain of the goal.")})
        goal = _meeting_goal(case, domain, by)
    action = action_add(goal=goal, what=what, who=who, by=by, department=department, due=due)
    _entry(
        case.pk,
        by,
        text=action.what,
        meeting=item.meeting_id,
        item=item.pk,
        change="action",
        action=action.pk,
    )
    if item.discussed_at is None:
        item.discussed_at = timezone.now()
        item.save(update_fields=["discussed_at"])
    return action


@transaction.atomic
def meeting_close(*, meeting: Meeting, by: User, notes: str = "") -> Meeting:
    """Close the meeting: its record is final, its minutes are ready; questions discussed are handled."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != S.OPEN:
        raise ValidationError(_("Only a meeting in progress can be closed."))
    meeting.status, meeting.notes, meeting.closed_at = S.CLOSED, notes.strip(), timezone.now()
    meeting.save(update_fields=["status", "notes", "closed_at"])
    discussed = meeting.items.filter(removed=False, question__isnull=False).exclude(discussed_at=None)
    CaseQuestion.objects.filter(pk__in=discussed.values("question_id"), handled_in__isnull=True).update(
        handled_in=meeting
    )
    return meeting


# -- putting a case forward --------------------------------------------------------------------


@transaction.atomic
def question_put_forward(*, case: Case, question: str, by: User) -> CaseQuestion:
    """Put a case forward for the team's next meeting, with the question to the team."""
    question = question.strip()
    if not case.is_open:
        raise ValidationError(_("This case is closed; re-open it to put it forward."))
    if not question:
        raise ValidationError({"question": _("Write down what you ask the team.")})
    q = CaseQuestion.objects.create(case=case, question=question, asked_by=by)
    _entry(case.pk, by, text=question, change="put_forward", question=q.pk)
    _log_case(case.pk, by)
    return q


@transaction.atomic
def question_withdraw(*, question: CaseQuestion, by: User) -> None:
    """Take back a question that waits; one already discussed stays."""
    if question.handled_in_id is not None:
        raise ValidationError(_("This question was discussed already."))
    case_id = question.case_id
    AgendaItem.objects.filter(question=question, discussed_at__isnull=True).update(removed=True)
    question.delete()
    _entry(case_id, by, change="withdrawn")
    _log_case(case_id, by)
