"""The case page with a full plan keeps a bounded query count; the worklist pages render for each role."""

from datetime import timedelta

import pytest

from regie.plans import services
from tests.limits import CASE_PAGE_MAX_QUERIES
from tests.test_plan_support import plan_case, today

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [1, 8])
def test_case_page_with_plan_query_count_does_not_grow(client, world, n, django_assert_max_num_queries):
    case, _ = plan_case(world)
    services.assessment_record(
        case=case,
        moment="intake",
        scores={"finances": (1, "")},
        by=world.pro_n,
        assessed_on=today() - timedelta(days=9),
    )
    for i in range(n):
        services.assessment_record(case=case, moment="evaluation", scores={"finances": (2, "")}, by=world.pro_n)
        goal = services.goal_add(case=case, domain="finances", text=f"Doel {i}", by=world.pro_n)
        for j in range(2):
            services.action_add(
                goal=goal, what=f"Actie {i}.{j}", who="department", department="maintenance", by=world.pro_n
            )
    client.force_login(world.pro_n)
    client.get(case.get_absolute_url())
    with django_assert_max_num_queries(CASE_PAGE_MAX_QUERIES):
        response = client.get(case.get_absolute_url())
    assert len(response.context["goals"]) == n


def test_the_network_picture_takes_the_same_department_actions_from_the_plan(world):
    """The case page's network panel reads the plan's actions from the goals already read
    (cases.panel_reads); it must pick and order them as network.selectors does on its own."""
    from regie.cases.panel_reads import CaseReads
    from regie.network.panels import department_actions
    from regie.network.selectors import case_department_actions

    case, _ = plan_case(world)
    goal = services.goal_add(case=case, domain="finances", text="Doel", by=world.pro_n)
    other = services.goal_add(case=case, domain="housing", text="Doel 2", by=world.pro_n)
    for g, dept, due in [
        (goal, "maintenance", today() + timedelta(days=9)),
        (other, "collections", None),
        (goal, "collections", today() + timedelta(days=3)),
        (other, "maintenance", today() + timedelta(days=1)),
    ]:
        services.action_add(goal=g, what=f"{dept} {due}", who="department", department=dept, due=due, by=world.pro_n)
    services.action_add(goal=goal, what="Zelf bellen", who="tenant", by=world.pro_n)
    expected = [a.pk for a in case_department_actions(case)]
    assert len(expected) == 4
    assert [a.pk for a in department_actions(CaseReads(case).actions())] == expected


def test_the_case_page_probe_finds_exactly_what_the_case_has(world):
    """cases.panel_reads asks in one query which panels have rows; a panel it calls empty skips
    its own query, so a wrong answer would hide rows from the page."""
    from regie.cases.models import EntryKind, TimelineEntry
    from regie.cases.panel_reads import CaseReads, _probes
    from regie.meetings.models import CaseQuestion
    from tests.factories import open_case

    case, _ = plan_case(world)
    other = open_case(household=world.hh_s, director=world.pro_s)  # its rows must not count
    reads = CaseReads(case)
    assert not any(reads.has(kind) for kind in _probes())
    services.assessment_record(case=other, moment="intake", scores={"finances": (2, "")}, by=world.pro_s)
    assert not CaseReads(case).has("assessments")

    services.assessment_record(case=case, moment="intake", scores={"finances": (2, "")}, by=world.pro_n)
    services.goal_add(case=case, domain="finances", text="Doel", by=world.pro_n)
    CaseQuestion.objects.create(case=case, question="Wat nu?", asked_by=world.pro_n)
    TimelineEntry.objects.create(case=case, kind=EntryKind.MEETING, data={"change": "record"}, actor=world.pro_n)
    reads = CaseReads(case)
    present = {kind for kind in _probes() if reads.has(kind)}
    assert present == {"assessments", "goals", "meeting_questions", "meeting_entries"}
    assert len(reads.goals) == 1 and len(reads.assessments) == 1
