"""The team meeting's services and the agenda Regie drafts: each source at its edge (no progress
exactly N days against N-1, a referral just past against within its expected time, new since the
previous meeting of the same kind), reorder / remove / add, the record on the case timeline and
follow-up actions made on the spot."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from regie.cases.models import Case, EntryKind, TimelineEntry
from regie.cases.services import contact_add
from regie.learning.models import Obstacle
from regie.mandate.models import Decision, LimitsVersion, Measure
from regie.meetings import selectors, services
from regie.meetings.models import AgendaItem, CaseQuestion, Kind, Meeting
from regie.network.models import Organisation, Referral
from regie.plans import services as plan_services
from regie.plans.models import Action, ActionUpdate, Goal
from tests.factories import TenancyFactory, UnitFactory, UserFactory, open_case

pytestmark = pytest.mark.django_db
Src = AgendaItem.Source
N = 10  # the team's no-progress days in these tests


def local(day, hour=12):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def back(case, when):
    """Date a case's opening (and everything on its timeline) back to `when`."""
    Case.objects.filter(pk=case.pk).update(opened_at=when)
    TimelineEntry.objects.filter(case=case).update(at=when)
    case.refresh_from_db()
    return case


@pytest.fixture
def meet(world):
    """Team Noord's case review in an hour, with pro_n in the chair and pro_n2 attending."""
    w = world
    services.rhythm_save(team=w.team_n, kind=Kind.CASE_REVIEW, weekday=1, at=time(10), no_progress_days=N, by=w.mgr_n)
    w.at = timezone.now() + timedelta(hours=1)
    w.day = timezone.localdate(w.at)
    w.meeting = services.meeting_plan(
        team=w.team_n,
        kind=Kind.CASE_REVIEW,
        starts_at=w.at,
        chair=w.pro_n,
        attendees=[w.pro_n2],
        by=w.pro_n,
        draft=False,
    )
    w.n = 0

    def case(director=None, *, days_ago=None):
        w.n += 1
        hh = TenancyFactory(unit=UnitFactory(area=w.north), name=f"Huishouden {w.n}")
        c = open_case(household=hh, director=director or w.pro_n)
        if days_ago is not None:
            back(c, local(w.day - timedelta(days=days_ago)))
        return c

    w.case = case
    return w


def sources(meeting) -> dict[int, str]:
    return {p.case.pk: p.source for p in selectors.agenda_sources(meeting) if p.case is not None}


# -- each source at its edge ------------------------------------------------------------------


def test_no_progress_exactly_n_days_is_on_the_agenda_n_minus_one_is_not(meet):
    exactly = meet.case(days_ago=N)
    one_less = meet.case(days_ago=N - 1)
    found = sources(meet.meeting)
    assert found.get(exactly.pk) == Src.NO_PROGRESS
    assert one_less.pk not in found


def test_a_contact_or_an_action_update_is_progress(meet):
    contacted = meet.case(days_ago=N + 20)
    contact_add(
        case=contacted,
        at=local(meet.day - timedelta(days=N - 1)),
        channel="BEZ",
        summary="Huisbezoek.",
        by=meet.pro_n,
    )
    worked = meet.case(days_ago=N + 20)
    goal = plan_services.goal_add(case=worked, domain="finances", text="Rust in de financiën", by=meet.pro_n)
    action = plan_services.action_add(goal=goal, what="Bellen met de bewindvoerder", who="director", by=meet.pro_n)
    Action.objects.filter(pk=action.pk).update(created_at=local(meet.day - timedelta(days=N + 5)))
    ActionUpdate.objects.create(
        action=action, by=meet.pro_n, status="open", text="Gebeld", at=local(meet.day - timedelta(days=2))
    )
    stale = meet.case(days_ago=N + 20)
    found = sources(meet.meeting)
    assert contacted.pk not in found
    assert worked.pk not in found
    assert found[stale.pk] == Src.NO_PROGRESS
    # A status change is progress too.
    TimelineEntry.objects.create(case=stale, kind=EntryKind.STATUS, at=local(meet.day - timedelta(days=1)), data={})
    assert stale.pk not in sources(meet.meeting)


def test_the_rhythm_sets_n(meet):
    case = meet.case(days_ago=N)
    services.rhythm_save(
        team=meet.team_n, kind=Kind.CASE_REVIEW, weekday=1, at=time(10), no_progress_days=N + 1, by=meet.mgr_n
    )
    assert case.pk not in sources(meet.meeting)


def test_a_referral_just_past_its_expected_time_is_on_the_agenda_within_it_is_not(meet):
    partner = Organisation.objects.create(
        kind="partner", partner_type="debt", name="Schuldhulp", expected_response_days=7
    )
    late, in_time, answered = meet.case(days_ago=1), meet.case(days_ago=1), meet.case(days_ago=1)
    # A previous meeting just before: none of these is "new" any more.
    services.meeting_plan(
        team=meet.team_n, kind=Kind.CASE_REVIEW, starts_at=meet.at - timedelta(minutes=10), chair=meet.pro_n,
        attendees=[], by=meet.pro_n, draft=False,
    )  # fmt: skip

    def refer(case, sent_at, status="sent"):
        return Referral.objects.create(
            case=case, organisation=partner, reason="Schulden", shared="Achterstand", legal_ground="vital",
            legal_justification="Acuut", sent_at=sent_at, status=status, created_by=meet.pro_n,
        )  # fmt: skip

    refer(late, meet.at - timedelta(days=7, minutes=1))
    refer(in_time, meet.at - timedelta(days=7) + timedelta(minutes=1))
    refer(answered, meet.at - timedelta(days=30), status="accepted")
    found = sources(meet.meeting)
    assert found.get(late.pk) == Src.REFERRAL
    assert in_time.pk not in found
    assert answered.pk not in found


def test_new_since_the_previous_meeting_of_the_same_kind(meet):
    previous = services.meeting_plan(
        team=meet.team_n, kind=Kind.CASE_REVIEW, starts_at=meet.at - timedelta(days=7), chair=meet.pro_n,
        attendees=[], by=meet.pro_n, draft=False,
    )  # fmt: skip
    # A daily stand-up in between does not count: it is another kind.
    services.meeting_plan(
        team=meet.team_n, kind=Kind.DAILY, starts_at=meet.at - timedelta(days=1), chair=meet.pro_n,
        attendees=[], by=meet.pro_n, draft=False,
    )  # fmt: skip
    before = meet.case()
    back(before, previous.starts_at - timedelta(minutes=1))
    after = meet.case()
    back(after, previous.starts_at + timedelta(minutes=1))
    elsewhere = open_case(household=TenancyFactory(unit=UnitFactory(area=meet.south)), director=meet.pro_s)
    found = sources(meet.meeting)
    assert found.get(after.pk) == Src.NEW_CASE
    assert before.pk not in found
    assert elsewhere.pk not in found


def test_without_a_previous_meeting_new_means_the_last_week(meet):
    recent, older = meet.case(days_ago=6), meet.case(days_ago=8)
    found = sources(meet.meeting)
    assert found.get(recent.pk) == Src.NEW_CASE
    assert older.pk not in found


def test_put_forward_overdue_actions_pending_decisions_and_obstacles(meet):
    asked = meet.case(days_ago=2)
    q = services.question_put_forward(
        case=asked, question="Wat vinden jullie van een tweedekanscontract?", by=meet.pro_n
    )
    handled = meet.case(days_ago=2)
    old_q = services.question_put_forward(case=handled, question="Al besproken", by=meet.pro_n)
    CaseQuestion.objects.filter(pk=old_q.pk).update(handled_in=meet.meeting)

    overdue, due_today = meet.case(days_ago=2), meet.case(days_ago=2)
    for case, due in ((overdue, meet.day - timedelta(days=1)), (due_today, meet.day)):
        goal = plan_services.goal_add(case=case, domain="housing", text="Woning op orde", by=meet.pro_n)
        plan_services.action_add(goal=goal, what="Schoonmaak regelen", who="director", due=due, by=meet.pro_n)

    waiting, effective = meet.case(days_ago=2), meet.case(days_ago=2)
    measure = Measure.objects.create(code="m", name="Kwijtschelden", parameter="amount")
    version = LimitsVersion.objects.create(version=1)
    for case, status in ((waiting, "pending"), (effective, "effective")):
        Decision.objects.create(
            case=case, measure=measure, limits_version=version, value=100, problem="p", justification="j",
            expected_effect="e", status=status, required_level="manager", decided_by=meet.pro_n,
        )  # fmt: skip

    def obstacle(team, status):
        return Obstacle.objects.create(
            team=team, title=f"Wachtlijst {status}", description="d", where="partner", raised_by=meet.pro_n,
            status=status,
        )  # fmt: skip

    open_o, busy_o = obstacle(meet.team_n, "raised"), obstacle(meet.team_n, "in_progress")
    obstacle(meet.team_n, "resolved")
    obstacle(meet.team_s, "raised")

    # A previous meeting: nothing here is "new".
    services.meeting_plan(
        team=meet.team_n, kind=Kind.CASE_REVIEW, starts_at=meet.at - timedelta(minutes=5), chair=meet.pro_n,
        attendees=[], by=meet.pro_n, draft=False,
    )  # fmt: skip
    proposals = selectors.agenda_sources(meet.meeting)
    found = {p.case.pk: p for p in proposals if p.case}
    assert found[asked.pk].source == Src.PUT_FORWARD and found[asked.pk].question == q
    assert handled.pk not in found
    assert found[overdue.pk].source == Src.OVERDUE_ACTIONS
    assert due_today.pk not in found
    assert found[waiting.pk].source == Src.APPROVAL
    assert effective.pk not in found
    assert [p.obstacle for p in proposals if p.obstacle] == [open_o, busy_o]
    # Put forward first, then approvals, overdue actions, and the obstacles last.
    assert [p.source for p in proposals] == [
        Src.PUT_FORWARD,
        Src.APPROVAL,
        Src.OVERDUE_ACTIONS,
        Src.OBSTACLE,
        Src.OBSTACLE,
    ]
    # Titles: the case number and the household, nothing more.
    assert found[asked.pk].title == f"#{asked.pk} {asked.household.name}"


def test_a_case_comes_once_under_its_first_reason(meet):
    case = meet.case(days_ago=N + 5)  # no progress, and ...
    services.question_put_forward(case=case, question="Hoe verder?", by=meet.pro_n)  # ... put forward
    proposals = [p for p in selectors.agenda_sources(meet.meeting) if p.case == case]
    assert [p.source for p in proposals] == [Src.PUT_FORWARD]


def test_other_teams_and_closed_cases_stay_off(meet):
    theirs = open_case(household=TenancyFactory(unit=UnitFactory(area=meet.south)), director=meet.pro_s)
    back(theirs, local(meet.day - timedelta(days=N + 5)))
    closed = meet.case(days_ago=N + 5)
    Case.objects.filter(pk=closed.pk).update(status="closed", outcome="resolved")
    found = sources(meet.meeting)
    assert theirs.pk not in found and closed.pk not in found


# -- the agenda: draft, reorder, remove, add --------------------------------------------------


def test_draft_reorder_remove_add(meet):
    a, b, c = meet.case(days_ago=N), meet.case(days_ago=N + 1), meet.case(days_ago=N + 2)
    added = services.agenda_draft(meeting=meet.meeting, by=meet.pro_n)
    assert [i.case for i in added] == [a, b, c]
    assert services.agenda_draft(meeting=meet.meeting, by=meet.pro_n) == []  # nothing twice

    item_a, item_b, item_c = selectors.items_of(meet.meeting)
    services.item_move(item=item_c, up=True, by=meet.pro_n)
    assert [i.case for i in selectors.items_of(meet.meeting)] == [a, c, b]
    services.item_move(item=item_a, up=False, by=meet.pro_n)
    assert [i.case for i in selectors.items_of(meet.meeting)] == [c, a, b]
    services.item_move(item=item_c, up=True, by=meet.pro_n)  # already first: stays
    assert [i.case for i in selectors.items_of(meet.meeting)] == [c, a, b]

    services.item_remove(item=item_a, by=meet.pro_n)
    assert [i.case for i in selectors.items_of(meet.meeting)] == [c, b]
    assert services.agenda_draft(meeting=meet.meeting, by=meet.pro_n) == []  # removed stays removed

    extra = services.item_add(meeting=meet.meeting, title="Vakantieplanning", by=meet.pro_n)
    about = services.item_add(meeting=meet.meeting, title="", case=a, by=meet.pro_n)
    assert (extra.source, about.title) == (Src.ADDED, f"#{a.pk} {a.household.name}")
    assert [i.title for i in selectors.items_of(meet.meeting)][-2:] == ["Vakantieplanning", about.title]
    theirs = open_case(household=TenancyFactory(unit=UnitFactory(area=meet.south)), director=meet.pro_s)
    with pytest.raises(ValidationError):
        services.item_add(meeting=meet.meeting, title="", case=theirs, by=meet.pro_n)
    with pytest.raises(ValidationError):
        services.item_add(meeting=meet.meeting, title="  ", by=meet.pro_n)


def test_planning_checks_the_team(meet):
    with pytest.raises(ValidationError):
        services.meeting_plan(
            team=meet.team_n, kind=Kind.DAILY, starts_at=meet.at, chair=meet.pro_s, attendees=[], by=meet.pro_n
        )
    with pytest.raises(ValidationError):
        services.meeting_plan(
            team=meet.team_n, kind=Kind.DAILY, starts_at=meet.at, chair=meet.pro_n, attendees=[meet.colleague],
            by=meet.pro_n,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.meeting_plan(
            team=meet.team_n, kind=Kind.DAILY, starts_at=meet.at, chair=meet.pro_n, attendees=[], by=meet.pro_s
        )
    m = services.meeting_plan(
        team=meet.team_n, kind=Kind.DAILY, starts_at=meet.at, chair=meet.mgr_n, attendees=[meet.pro_n2], by=meet.pro_n2
    )
    assert set(m.attendees.all()) == {meet.mgr_n, meet.pro_n2}


# -- the record and follow-up actions ---------------------------------------------------------


def test_advice_lands_on_the_timeline_and_the_question_is_handled(meet):
    case = meet.case(days_ago=2)
    q = services.question_put_forward(case=case, question="Tweedekanscontract?", by=meet.pro_n2)
    services.agenda_draft(meeting=meet.meeting, by=meet.pro_n)
    item = AgendaItem.objects.get(meeting=meet.meeting, question=q)
    with pytest.raises(ValidationError):  # not before the meeting starts
        services.item_record(item=item, advice="x", decision="", by=meet.pro_n)
    services.meeting_start(meeting=meet.meeting, by=meet.pro_n)
    item.refresh_from_db()
    services.item_record(
        item=item, advice="Eerst schuldhulp inschakelen.", decision="Voorleggen aan manager.", by=meet.pro_n
    )
    entry = TimelineEntry.objects.get(case=case, kind=EntryKind.MEETING, data__change="record")
    assert entry.data["meeting"] == meet.meeting.pk and entry.data["item"] == item.pk
    assert "Eerst schuldhulp inschakelen." in entry.text and "Voorleggen aan manager." in entry.text
    assert entry.actor == meet.pro_n
    q.refresh_from_db()
    assert q.handled_in == meet.meeting
    # Not proposed again for the next meeting.
    nxt = services.meeting_plan(
        team=meet.team_n, kind=Kind.CASE_REVIEW, starts_at=meet.at + timedelta(days=7), chair=meet.pro_n,
        attendees=[], by=meet.pro_n, draft=False,
    )  # fmt: skip
    assert all(p.question != q for p in selectors.agenda_sources(nxt))
    with pytest.raises(ValidationError):
        services.item_record(item=item, advice="", decision=" ", by=meet.pro_n)


def test_follow_up_action_created_on_the_spot(meet):
    case = meet.case(days_ago=N)
    services.agenda_draft(meeting=meet.meeting, by=meet.pro_n)
    services.meeting_start(meeting=meet.meeting, by=meet.pro_n)
    item = AgendaItem.objects.get(meeting=meet.meeting, case=case)
    due = meet.day + timedelta(days=7)
    action = services.item_action(item=item, what="Huisbezoek met wijkteam", who="director", due=due, by=meet.pro_n)
    goal = action.goal
    assert (goal.case, goal.text, goal.domain) == (case, services.MEETING_GOAL, "housing")
    assert (action.case, action.due, action.created_by) == (case, due, meet.pro_n)
    entry = TimelineEntry.objects.get(case=case, kind=EntryKind.MEETING, data__change="action")
    assert (entry.data["meeting"], entry.data["item"], entry.data["action"]) == (meet.meeting.pk, item.pk, action.pk)
    # A second one reuses the meeting goal; one under a goal of the plan goes there.
    again = services.item_action(
        item=item, what="Bellen met GGZ", who="department", department="letting", by=meet.pro_n
    )
    assert again.goal == goal
    own = plan_services.goal_add(case=case, domain="finances", text="Schulden op een rij", by=meet.pro_n)
    third = services.item_action(item=item, what="Aanmelden schuldhulp", who="tenant", goal=own, by=meet.pro_n)
    assert third.goal == own
    assert Goal.objects.filter(case=case, text=services.MEETING_GOAL).count() == 1
    assert {a["action"] for a in selectors.follow_ups(meet.meeting)[item.pk]} == {action, again, third}
    other = meet.case(days_ago=1)
    foreign = plan_services.goal_add(case=other, domain="finances", text="Ander doel", by=meet.pro_n)
    with pytest.raises(ValidationError):
        services.item_action(item=item, what="x", who="tenant", goal=foreign, by=meet.pro_n)


def test_close_makes_the_record_final(meet):
    case = meet.case(days_ago=N)
    services.agenda_draft(meeting=meet.meeting, by=meet.pro_n)
    with pytest.raises(ValidationError):
        services.meeting_close(meeting=meet.meeting, by=meet.pro_n)  # not started
    services.meeting_start(meeting=meet.meeting, by=meet.pro_n)
    services.meeting_close(meeting=meet.meeting, notes="Volgende keer Anna bespreken.", by=meet.pro_n)
    meet.meeting.refresh_from_db()
    assert meet.meeting.status == Meeting.Status.CLOSED and meet.meeting.closed_at is not None
    item = AgendaItem.objects.get(meeting=meet.meeting, case=case)
    for call in (
        lambda: services.item_record(item=item, advice="x", decision="", by=meet.pro_n),
        lambda: services.item_add(meeting=meet.meeting, title="x", by=meet.pro_n),
        lambda: services.item_remove(item=item, by=meet.pro_n),
        lambda: services.agenda_draft(meeting=meet.meeting, by=meet.pro_n),
    ):
        with pytest.raises(ValidationError):
            call()


def test_visibility_and_chair(meet):
    outsider = UserFactory(username="pro-n3", role="professional", teams=[meet.team_n])
    for user, sees in (
        (meet.pro_n, True),
        (meet.pro_n2, True),
        (meet.mgr_n, True),
        (outsider, False),
        (meet.pro_s, False),
        (meet.mgr_s, False),
        (meet.colleague, False),
        (meet.privacy, False),
    ):
        assert selectors.meetings_visible_to(user).filter(pk=meet.meeting.pk).exists() is sees, user
    assert selectors.may_chair(meet.pro_n, meet.meeting)
    assert selectors.may_chair(meet.mgr_n, meet.meeting)
    assert not selectors.may_chair(meet.pro_n2, meet.meeting)
    assert not selectors.may_chair(meet.mgr_s, meet.meeting)


def test_put_forward_needs_an_open_case_and_a_question(meet):
    case = meet.case()
    with pytest.raises(ValidationError):
        services.question_put_forward(case=case, question="  ", by=meet.pro_n)
    q = services.question_put_forward(case=case, question="Advies over de aanpak", by=meet.pro_n)
    entry = TimelineEntry.objects.get(case=case, kind=EntryKind.MEETING, data__change="put_forward")
    assert entry.data["question"] == q.pk
    services.question_withdraw(question=q, by=meet.pro_n)
    assert not CaseQuestion.objects.filter(pk=q.pk).exists()
    Case.objects.filter(pk=case.pk).update(status="closed", outcome="resolved")
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.question_put_forward(case=case, question="Nog iets", by=meet.pro_n)


def test_rhythm_save_and_next_start(world):
    r = services.rhythm_save(team=world.team_n, kind=Kind.CASE_REVIEW, weekday=1, at=time(10), by=world.mgr_n)
    after = local(timezone.localdate(), 11)
    start = services.next_start(r, after)
    assert start.weekday() == 1 and start > after and (start - after).days < 7
    daily = services.rhythm_save(team=world.team_n, kind=Kind.DAILY, weekday=3, at=time(8, 45), by=world.mgr_n)
    assert daily.weekday is None
    assert services.next_start(daily, after).weekday() < 5
    with pytest.raises(ValidationError):
        services.rhythm_save(team=world.team_n, kind=Kind.CASE_REVIEW, weekday=None, at=time(10), by=world.mgr_n)
    with pytest.raises(ValidationError):
        services.rhythm_save(
            team=world.team_n, kind=Kind.CASE_REVIEW, weekday=1, at=time(10), no_progress_days=0, by=world.mgr_n
        )
