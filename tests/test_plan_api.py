"""The plans API: assessments, goals, actions and the worklists under the same need-to-know."""

import json
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from regie.audit.models import AccessLogEntry
from regie.plans.models import Action
from tests.test_plan_support import goal_with_actions, plan_case, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(user)
        return client

    return client_for


def test_assessments_list_and_create(api, world):
    case, _ = plan_case(world)
    client = api(world.pro_n)
    url = f"/api/cases/{case.pk}/assessments/"
    body = {
        "moment": "intake",
        "scores": [{"domain": "finances", "score": 1, "note": "Schulden"}, {"domain": "housing", "score": 3}],
    }
    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert {s["domain"]: s["score"] for s in response.json()["scores"]} == {"finances": 1, "housing": 3}
    again = client.post(url, body, format="json")
    assert again.status_code == 400 and "moment" in again.json()
    assert len(client.get(url).json()) == 1
    assert api(world.pro_s).get(url).status_code == 404
    assert api(world.colleague).post(url, body, format="json").status_code == 404


def test_goals_actions_and_transitions(api, world):
    case, _ = plan_case(world)
    client = api(world.pro_n)
    goal = client.post(
        f"/api/cases/{case.pk}/goals/", {"domain": "finances", "text": "Geen schulden meer"}, format="json"
    )
    assert goal.status_code == 201
    goal_id = goal.json()["id"]
    action = client.post(
        f"/api/cases/{case.pk}/actions/",
        {"goal": goal_id, "what": "Aanvraag schuldhulp", "who": "tenant", "due": today().isoformat()},
        format="json",
    )
    assert action.status_code == 201, action.content
    action_id = action.json()["id"]
    assert action.json()["allowed_next"] == ["in_progress", "done", "cancelled"]
    refused = client.post(f"/api/actions/{action_id}/transition/", {"status": "done"}, format="json")
    assert refused.status_code == 400 and "outcome" in refused.json()
    client.post(f"/api/actions/{action_id}/transition/", {"status": "cancelled"}, format="json")
    illegal = client.post(f"/api/actions/{action_id}/transition/", {"status": "done", "outcome": "x"}, format="json")
    assert illegal.status_code == 400 and "Allowed: Open" in json.dumps(illegal.json())
    patched = client.patch(f"/api/goals/{goal_id}/", {"status": "dropped"}, format="json")
    assert patched.status_code == 200 and patched.json()["status"] == "dropped"
    changed = client.patch(
        f"/api/actions/{action_id}/", {"due": (today() + timedelta(days=3)).isoformat()}, format="json"
    )
    assert changed.status_code == 200
    goals = client.get(f"/api/cases/{case.pk}/goals/").json()
    assert goals[0]["actions"][0]["id"] == action_id


def test_partner_action_needs_a_referral_of_the_case(api, world):
    case, _ = plan_case(world)
    goal, *_ = goal_with_actions(case, world.pro_n)
    response = api(world.pro_n).post(
        f"/api/cases/{case.pk}/actions/",
        {"goal": goal.pk, "what": "Intake GGZ", "who": "partner", "referral": 99999},
        format="json",
    )
    assert response.status_code == 400 and "referral" in response.json()


def test_manager_of_other_team_and_colleague_get_404_on_actions(api, world):
    case, _ = plan_case(world)
    _goal, dept, _ = goal_with_actions(case, world.pro_n)
    for user in (world.mgr_s, world.colleague, world.admin):
        assert api(user).get(f"/api/actions/{dept.pk}/").status_code == 404
        assert api(user).get(f"/api/cases/{case.pk}/goals/").status_code == 404


def test_department_worklist_api_limited_view_and_flow(api, world):
    case, tenant = plan_case(world)
    goal, dept, tenant_action = goal_with_actions(case, world.pro_n)
    client = api(world.colleague)
    page = client.get("/api/worklist/")
    assert page.status_code == 200
    rows = page.json()["results"]
    assert [r["id"] for r in rows] == [dept.pk]
    row = rows[0]
    assert set(row) == {"id", "what", "department", "due", "status", "assignee", "outcome", "address", "contacts"}
    assert row["contacts"] == [{"name": "Anna Jansen", "phone": tenant.phone, "email": tenant.email}]
    assert case.question not in json.dumps(page.json()) and goal.text not in json.dumps(page.json())
    assert client.get(f"/api/worklist/{tenant_action.pk}/").status_code == 404
    assert client.post(f"/api/worklist/{dept.pk}/accept/").json()["assignee"]["id"] == world.colleague.pk
    assert client.post(f"/api/worklist/{dept.pk}/progress/", {"text": "Gebeld"}, format="json").status_code == 200
    done = client.post(f"/api/worklist/{dept.pk}/complete/", {"outcome": "Gemaakt"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert Action.objects.get(pk=dept.pk).outcome == "Gemaakt"
    assert AccessLogEntry.objects.filter(username="dept", record_type="action", record_id=str(dept.pk)).exists()
    # A professional can't work a department's action through this route.
    assert api(world.pro_n).post(f"/api/worklist/{dept.pk}/accept/").status_code == 404


def test_director_worklist_api(api, world):
    case, _ = plan_case(world)
    _goal, dept, tenant_action = goal_with_actions(case, world.pro_n)
    rows = api(world.pro_n).get("/api/worklist/").json()["results"]
    assert [r["id"] for r in rows] == [tenant_action.pk, dept.pk]
    assert api(world.privacy).get("/api/worklist/").status_code == 404


def test_schema_has_the_plans_tag(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    tagged = [p for p, ops in schema["paths"].items() for op in ops.values() if "plans" in op.get("tags", [])]
    assert "/api/worklist/" in tagged and "/api/cases/{case_pk}/assessments/" in tagged
