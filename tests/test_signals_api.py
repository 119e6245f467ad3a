"""The inbox through the REST API: the same need-to-know, decisions and access log as the pages."""

import pytest

from regie.audit.models import AccessLogEntry
from regie.cases.models import Case
from regie.signalling.models import Candidate
from tests.test_inbox import multi_problem, run


@pytest.fixture
def flagged(world):
    multi_problem(world.hh_n)
    multi_problem(world.hh_s)
    run()
    return world


def test_list_is_the_inbox_of_own_area(flagged, client):
    client.force_login(flagged.pro_n)
    data = client.get("/api/signals/").json()
    assert [row["household"] for row in data["results"]] == [flagged.hh_n.pk]
    row = data["results"][0]
    assert row["domains"] == ["FINANCES", "BEHAVIOUR"] and row["status"] == "new" and row["rules_version"] == 1
    assert {r["code"] for r in row["rules"]} == {"F1", "B1"}
    assert AccessLogEntry.objects.filter(user_id=flagged.pro_n.pk, record_id=str(flagged.hh_n.pk)).exists()


def test_other_area_and_other_roles_get_404(flagged, client):
    client.force_login(flagged.pro_n)
    assert client.get(f"/api/signals/{flagged.hh_s.pk}/").status_code == 404
    assert client.post(f"/api/signals/{flagged.hh_s.pk}/dismiss/", {"reason": "x"}).status_code == 404
    client.force_login(flagged.admin)
    assert client.get("/api/signals/").status_code == 404


def test_dismiss_needs_a_reason(flagged, client):
    client.force_login(flagged.pro_n)
    url = f"/api/signals/{flagged.hh_n.pk}/dismiss/"
    response = client.post(url, {"reason": ""}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(url, {"reason": "Loopt al via wijkteam"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    # A second decision on a dismissed household is refused with a message.
    response = client.post(url, {"reason": "nog eens"}, content_type="application/json")
    assert response.status_code == 400


def test_open_case_and_assign(flagged, client):
    client.force_login(flagged.pro_n)
    response = client.post(
        f"/api/signals/{flagged.hh_n.pk}/assign/", {"to": flagged.pro_s.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "to" in response.json()
    response = client.post(
        f"/api/signals/{flagged.hh_n.pk}/open-case/", {"question": "Rust"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert Case.objects.get(pk=response.json()["case"]).household == flagged.hh_n
    assert Candidate.objects.get(tenancy=flagged.hh_n).status == Candidate.Status.CASE_OPENED


def test_detect_queues_a_run(flagged, client, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    client.force_login(flagged.pro_n)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/signals/detect/", {}, content_type="application/json")
    assert response.status_code == 202
    assert DBTaskResult.objects.filter(task_path__endswith="detect_now").count() == 1
    assert (
        client.post("/api/signals/detect/", {"as_of": "2999-01-01"}, content_type="application/json").status_code == 400
    )
