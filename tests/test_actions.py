"""Goals and actions: services, the transition table, partner actions through referrals, the case page forms."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from regie.audit.models import AccessLogEntry
from regie.cases.models import TimelineEntry
from regie.plans import services
from regie.plans.models import Action, ActionUpdate, Goal
from tests.test_plan_support import goal_with_actions, plan_case, today

pytestmark = pytest.mark.django_db


def test_goal_and_actions_are_written_with_timeline_and_log(world):
    case, _ = plan_case(world)
    before = AccessLogEntry.objects.filter(action="update", record_id=str(case.pk)).count()
    goal, dept, tenant = goal_with_actions(case, world.pro_n)
    assert (dept.case_id, dept.department, dept.status) == (case.pk, "maintenance", "open")
    assert tenant.department == ""
    assert TimelineEntry.objects.filter(case=case, kind="plan").count() == 3
    assert AccessLogEntry.objects.filter(action="update", record_id=str(case.pk)).count() == before + 3


def test_department_action_needs_a_department_and_partner_a_referral(world):
    case, _ = plan_case(world)
    goal, *_ = goal_with_actions(case, world.pro_n)
    with pytest.raises(ValidationError) as err:
        services.action_add(goal=goal, what="Iets", who="department", by=world.pro_n)
    assert "department" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.action_add(goal=goal, what="Iets", who="partner", by=world.pro_n)
    assert "referral" in err.value.message_dict


def test_transition_table_refuses_and_names_allowed(world):
    case, _ = plan_case(world)
    _goal, dept, _tenant = goal_with_actions(case, world.pro_n)
    services.action_transition(action=dept, to_status="cancelled", by=world.pro_n)
    with pytest.raises(ValidationError) as err:
        services.action_transition(action=dept, to_status="done", by=world.pro_n, outcome="x")
    message = " ".join(err.value.messages)
    assert "Allowed" in message or "Wel mogelijk" in message
    assert "Open" in message
    dept.refresh_from_db()
    assert dept.status == "cancelled"


def test_done_needs_an_outcome(world):
    case, _ = plan_case(world)
    _goal, _dept, tenant = goal_with_actions(case, world.pro_n)
    with pytest.raises(ValidationError) as err:
        services.action_transition(action=tenant, to_status="done", by=world.pro_n)
    assert "outcome" in err.value.message_dict
    services.action_transition(action=tenant, to_status="done", by=world.pro_n, outcome="Gedaan")
    tenant.refresh_from_db()
    assert tenant.status == "done" and tenant.completed_at and tenant.outcome == "Gedaan"
    assert ActionUpdate.objects.filter(action=tenant, status="done").exists()


def test_goal_update_and_closed_case_refuses_new_goals(world):
    from regie.cases.services import case_transition

    case, _ = plan_case(world)
    goal, *_ = goal_with_actions(case, world.pro_n)
    services.goal_update(goal=goal, by=world.pro_n, status="achieved", target_date=goal.target_date)
    goal.refresh_from_db()
    assert goal.status == "achieved"
    case_transition(case=case, to_status="closed", by=world.pro_n, outcome="resolved")
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.goal_add(case=case, domain="finances", text="Nog een doel", by=world.pro_n)


def test_goal_and_action_through_the_case_page(client, world):
    case, _ = plan_case(world)
    client.force_login(world.pro_n)
    response = client.post(
        reverse("plans:goal_add", args=[case.pk]), {"domain": "finances", "text": "Rust in mijn hoofd"}
    )
    assert response.status_code == 302
    goal = Goal.objects.get(case=case)
    response = client.post(
        reverse("plans:action_add", args=[case.pk]),
        {"goal": goal.pk, "what": "Lekkage maken", "who": "department", "department": "maintenance",
         "due": (today() + timedelta(days=3)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    action = Action.objects.get(case=case)
    # A department action without its department: the case page comes back with the error.
    response = client.post(
        reverse("plans:action_add", args=[case.pk]), {"goal": goal.pk, "what": "Iets", "who": "department"}
    )
    assert response.status_code == 400 and b"id_action_department" in response.content
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Rust in mijn hoofd" in page and "Lekkage maken" in page
    response = client.post(reverse("plans:action", args=[action.pk]), {"form": "move", "status": "in_progress"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_team_outsider_gets_404_and_reader_without_right_403(client, world):
    case, _ = plan_case(world)
    _goal, dept, _ = goal_with_actions(case, world.pro_n)
    client.force_login(world.pro_s)
    assert client.get(reverse("plans:action", args=[dept.pk])).status_code == 404
    assert (
        client.post(reverse("plans:goal_add", args=[case.pk]), {"domain": "finances", "text": "x"}).status_code == 404
    )
    client.force_login(world.colleague)
    assert client.get(reverse("plans:action", args=[dept.pk])).status_code == 404
    assert client.get(reverse("plans:pdf", args=[case.pk])).status_code == 404
