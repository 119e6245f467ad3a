"""The department worklist (the action, the address and how to reach the household; never the case)
and the director's worklist of overdue and coming actions."""

from datetime import timedelta

import pytest
from django.urls import reverse

from regie.audit.models import AccessLogEntry
from regie.plans import services
from regie.plans.models import Action
from tests.factories import UserFactory
from tests.test_plan_support import goal_with_actions, plan_case, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    case, tenant = plan_case(world)
    goal, dept, tenant_action = goal_with_actions(case, world.pro_n)
    collections = services.action_add(
        goal=goal, what="Betalingsregeling treffen", who="department", department="collections", by=world.pro_n
    )
    return case, tenant, goal, dept, tenant_action, collections


def test_colleague_sees_action_address_and_contact_never_the_case(client, world, plan):
    case, tenant, goal, dept, tenant_action, collections = plan
    client.force_login(world.colleague)
    page = client.get(reverse("plans:worklist")).content.decode()
    assert dept.what in page
    assert world.hh_n.unit.address in page and tenant.phone in page and tenant.email in page
    # Never the case: its question, the goal in the tenant's words, the other actions.
    for secret in (case.question, goal.text, tenant_action.what, collections.what):
        assert secret not in page, secret
    item = client.get(reverse("plans:work_item", args=[dept.pk])).content.decode()
    assert dept.what in item and tenant.phone in item
    for secret in (case.question, goal.text, tenant_action.what):
        assert secret not in item, secret
    logged = AccessLogEntry.objects.filter(username="dept", action="read")
    assert logged.filter(record_type="action", record_id=str(dept.pk)).exists()
    assert logged.filter(record_type="household", record_id=str(world.hh_n.pk)).exists()


def test_colleague_gets_404_on_other_departments_and_the_case(client, world, plan):
    case, tenant, goal, dept, tenant_action, collections = plan
    client.force_login(world.colleague)
    for url in (
        reverse("plans:work_item", args=[collections.pk]),
        reverse("plans:work_item", args=[tenant_action.pk]),
        case.get_absolute_url(),
        reverse("plans:pdf", args=[case.pk]),
        reverse("plans:action", args=[dept.pk]),
        reverse("plans:assess", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("plans:work_accept", args=[collections.pk])).status_code == 404
    # A professional has no department worklist item either.
    client.force_login(world.pro_n)
    assert client.get(reverse("plans:work_item", args=[dept.pk])).status_code == 404


def test_colleague_accepts_reports_progress_and_completes(client, world, plan):
    dept = plan[3]
    client.force_login(world.colleague)
    assert client.post(reverse("plans:work_accept", args=[dept.pk])).status_code == 302
    dept.refresh_from_db()
    assert (dept.assignee, dept.status) == (world.colleague, "in_progress")
    response = client.post(reverse("plans:work_progress", args=[dept.pk]), {"text": "Afspraak gemaakt"})
    assert response.status_code == 302
    assert client.post(reverse("plans:work_complete", args=[dept.pk]), {"outcome": ""}).status_code == 400
    response = client.post(reverse("plans:work_complete", args=[dept.pk]), {"outcome": "Kitrand vervangen"})
    assert response.status_code == 302
    dept.refresh_from_db()
    assert (dept.status, dept.outcome) == ("done", "Kitrand vervangen")
    assert [u.status for u in dept.updates.order_by("at", "pk")] == ["in_progress", "in_progress", "done"]
    # Done: off the worklist.
    assert dept.what not in client.get(reverse("plans:worklist")).content.decode()


def test_a_second_colleague_cannot_take_an_accepted_action(world, plan):
    from django.core.exceptions import ValidationError

    dept = plan[3]
    other = UserFactory(role="department", department="maintenance")
    services.action_accept(action=dept, by=world.colleague)
    with pytest.raises(ValidationError):
        services.action_accept(action=dept, by=other)


def test_director_worklist_shows_overdue_and_coming(client, world, plan):
    case, tenant, goal, dept, tenant_action, collections = plan
    far = services.action_add(
        goal=goal, what="Over een maand", who="director", due=today() + timedelta(days=40), by=world.pro_n
    )
    client.force_login(world.pro_n)
    response = client.get(reverse("plans:worklist"))
    due = response.context["due"]
    assert [a.pk for a in due.overdue] == [tenant_action.pk]
    assert [a.pk for a in due.coming] == [dept.pk]
    assert far.what not in response.content.decode()
    # Another director sees none of it.
    client.force_login(world.pro_n2)
    due = client.get(reverse("plans:worklist")).context["due"]
    assert not due.overdue and not due.coming


def test_worklist_is_404_for_roles_without_one(client, world):
    for user in (world.admin, world.privacy):
        client.force_login(user)
        assert client.get(reverse("plans:worklist")).status_code == 404


@pytest.mark.parametrize("n", [1, 10])
def test_department_worklist_query_count_is_constant(client, world, n, django_assert_max_num_queries):
    case, _ = plan_case(world)
    goal, *_ = goal_with_actions(case, world.pro_n)
    for i in range(n):
        services.action_add(goal=goal, what=f"Klus {i}", who="department", department="maintenance", by=world.pro_n)
    client.force_login(world.colleague)
    client.get(reverse("plans:worklist"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("plans:worklist"))
    assert len(response.context["rows"]) == n + 1
    assert Action.objects.filter(department="maintenance").count() == n + 1
