"""Overdue and coming actions as marks on the caseload rows, at a constant query count."""

from datetime import timedelta

import pytest
from django.urls import reverse

from regie.cases.models import Case
from regie.cases.selectors import urgency_marks, with_urgency
from regie.plans import services
from tests.factories import TenancyFactory, UnitFactory, open_case
from tests.test_plan_support import today

pytestmark = pytest.mark.django_db


def _case_with_action(world, due):
    case = open_case(household=TenancyFactory(unit=UnitFactory(area=world.north)), director=world.pro_n)
    goal = services.goal_add(case=case, domain="finances", text="Schulden op een rij", by=world.pro_n)
    services.action_add(goal=goal, what="Bellen", who="director", due=due, by=world.pro_n)
    return case


def test_marks_overdue_and_coming(world):
    overdue = _case_with_action(world, today() - timedelta(days=1))
    coming = _case_with_action(world, today() + timedelta(days=3))
    far = _case_with_action(world, today() + timedelta(days=30))
    marks = {c.pk: urgency_marks(c) for c in with_urgency(Case.objects.all())}
    assert "action_overdue" in marks[overdue.pk] and "action_coming" not in marks[overdue.pk]
    assert "action_coming" in marks[coming.pk]
    assert not {"action_overdue", "action_coming"} & set(marks[far.pk])


def test_done_actions_do_not_mark(world):
    case = _case_with_action(world, today() - timedelta(days=1))
    action = case.actions.get()
    services.action_transition(action=action, to_status="done", by=world.pro_n, outcome="Gebeld")
    assert "action_overdue" not in urgency_marks(with_urgency(Case.objects.filter(pk=case.pk)).get())


def test_caseload_shows_the_marks_in_words(client, world):
    _case_with_action(world, today() - timedelta(days=1))
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cases:caseload")).content.decode()
    assert "Action overdue" in page
    urgent = client.get(reverse("cases:caseload"), {"urgent": "on"})
    assert urgent.context["page_obj"].paginator.count == 1


@pytest.mark.parametrize("rows", [2, 12])
def test_caseload_query_count_stays_constant_with_actions(client, world, rows, django_assert_max_num_queries):
    for i in range(rows):
        _case_with_action(world, today() + timedelta(days=i - 3))
    client.force_login(world.pro_n)
    client.get(reverse("cases:caseload"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:caseload"))
    assert len(response.context["rows"]) == rows
