"""The mandate API: the same rules as the services, need-to-know (404/403), and the access log."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from regie.accounts.models import Role
from regie.audit.models import AccessLogEntry
from regie.mandate.models import Decision
from regie.plans.models import Action
from tests.factories import UserFactory
from tests.test_mandate_support import TEXTS, a_case, catalogue, record


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def setup(world):
    m = catalogue(world)
    return m, a_case(world)


def test_catalogue_and_limits(world, setup, api):
    r = api(world.pro_n).get("/api/mandate/measures/")
    assert r.status_code == 200 and {x["code"] for x in r.json()} >= {"waive", "freeze"}
    limits = api(world.pro_n).get("/api/mandate/limits/").json()
    waive_p = next(x for x in limits if x["measure"] == "waive" and x["level"] == "professional")
    assert Decimal(waive_p["max_value"]) == 250 and waive_p["version"] == 1


def test_record_list_answer(world, setup, api):
    _m, case = setup
    url = f"/api/cases/{case.pk}/decisions/"
    r = api(world.pro_n).post(url, {"measure": "arrangement", "value": "18", **TEXTS}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "pending" and body["required_level"] == "manager" and body["limits_version"] == 1
    pk = body["id"]
    assert [x["id"] for x in api(world.mgr_n).get("/api/mandate/pending/").json()] == [pk]
    assert api(world.mgr_s).get("/api/mandate/pending/").json() == []
    # Wrong approver: the professional sees it (403), the other team's manager doesn't (404).
    assert api(world.pro_n2).post(f"/api/decisions/{pk}/answer/", {"answer": "approve", "reason": "x"}).status_code in (
        403,
        404,
    )
    assert (
        api(world.mgr_s).post(f"/api/decisions/{pk}/answer/", {"answer": "approve", "reason": "x"}).status_code == 404
    )
    assert (
        api(world.pro_n).post(f"/api/decisions/{pk}/answer/", {"answer": "approve", "reason": "x"}).status_code == 403
    )
    r = api(world.mgr_n).post(f"/api/decisions/{pk}/answer/", {"answer": "approve", "reason": ""})
    assert r.status_code == 400 and "reason" in r.json()
    r = api(world.mgr_n).post(f"/api/decisions/{pk}/answer/", {"answer": "approve", "reason": "Akkoord"})
    assert r.status_code == 200 and r.json()["status"] == "effective"
    assert Action.objects.get(case=case).department == "collections"
    r = api(world.mgr_n).post(f"/api/decisions/{pk}/answer/", {"answer": "decline", "reason": "toch niet"})
    assert r.status_code == 400 and "Allowed" in str(r.json())
    listed = api(world.pro_n).get(url).json()
    assert [x["id"] for x in listed] == [pk] and listed[0]["approvals"][0]["reason"] == "Akkoord"
    assert AccessLogEntry.objects.filter(user_id=world.mgr_n.pk, record_type="case", record_id=str(case.pk)).exists()


def test_validation_and_need_to_know(world, setup, api):
    _m, case = setup
    url = f"/api/cases/{case.pk}/decisions/"
    r = api(world.pro_n).post(url, {"measure": "arrangement", **TEXTS}, format="json")
    assert r.status_code == 400 and "value" in r.json()
    r = api(world.pro_n).post(url, {"measure": "nope", "value": "1", **TEXTS}, format="json")
    assert r.status_code == 400 and "measure" in r.json()
    # Not on the case: 404 for reading and writing; on the team but not steering it: 403.
    for user in (world.pro_s, world.mgr_s, world.colleague, world.admin, world.privacy):
        assert api(user).get(url).status_code == 404
        assert api(user).post(url, {"measure": "waive", "value": "1", **TEXTS}, format="json").status_code == 404
    from regie.cases.services import case_member_add

    case_member_add(case=case, user=world.pro_n2, role="ADV", by=world.pro_n)
    assert api(world.pro_n2).get(url).status_code == 200
    assert api(world.pro_n2).post(url, {"measure": "waive", "value": "1", **TEXTS}, format="json").status_code == 403


def test_board_sees_only_what_is_put_to_it(world, setup, api):
    m, case = setup
    board = UserFactory(role=Role.BOARD)
    small = record(case, m["waive"], world.pro_n, Decimal(400))
    big = record(case, m["waive"], world.pro_n, Decimal(4000))
    assert api(board).get(f"/api/decisions/{small.pk}/").status_code == 404
    assert api(board).get(f"/api/decisions/{big.pk}/").status_code == 200
    assert api(board).get(f"/api/cases/{case.pk}/decisions/").status_code == 404
    assert [x["id"] for x in api(board).get("/api/mandate/pending/").json()] == [big.pk]
    r = api(board).post(f"/api/decisions/{big.pk}/answer/", {"answer": "question", "reason": "Waarom zo veel?"})
    assert r.status_code == 200 and r.json()["status"] == "question"
    r = api(world.pro_n).post(f"/api/decisions/{big.pk}/answer/", {"answer": "reply", "reason": "Ontruiming dreigt"})
    assert r.status_code == 200 and r.json()["status"] == "pending"


def test_withdraw_spend_and_budgets(world, setup, api):
    m, case = setup
    pending = record(case, m["waive"], world.pro_n, Decimal(400))
    assert api(world.mgr_n).post(f"/api/decisions/{pending.pk}/withdraw/", {"reason": "x"}).status_code == 403
    r = api(world.pro_n).post(f"/api/decisions/{pending.pk}/withdraw/", {"reason": "Opgelost"})
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    spending = record(case, m["budget"], world.pro_n, Decimal(300))
    r = api(world.pro_n).post(f"/api/decisions/{spending.pk}/spend/", {"amount": "100.00"})
    assert r.status_code == 200 and Decimal(r.json()["spent"]) == 100
    assert api(world.pro_n).post(f"/api/decisions/{spending.pk}/spend/", {"amount": "250.00"}).status_code == 400
    budgets = api(world.mgr_n).get("/api/mandate/budgets/").json()
    assert [(b["team_name"], Decimal(b["committed"]), Decimal(b["spent"]), Decimal(b["left"])) for b in budgets] == [
        ("Team Noord", 300, 100, 700)
    ]
    assert api(world.colleague).get("/api/mandate/budgets/").json() == []
    assert Decision.objects.get(pk=spending.pk).spent == 100
