"""The learning API: lessons (list, search, create, suggestions) and obstacles (list, create,
transition, steps), under the same rules as the pages."""

import pytest
from rest_framework.test import APIClient

from regie.audit.models import AccessLogEntry
from regie.learning.models import Lesson, Obstacle
from regie.network.models import Organisation
from regie.plans.models import Goal
from tests.factories import open_case
from tests.test_mandate_support import catalogue

TEXTS = {"what_happened": "Er dreigde een ontruiming.", "what_worked": "Huisbezoek.", "next_time": "Eerder bellen."}


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(user)
        return client

    return client_for


def test_lessons_create_list_search(world, api):
    m = catalogue(world)
    org = Organisation.objects.create(kind="partner", partner_type="debt", name="Kredietbank")
    case = open_case(household=world.hh_n, director=world.pro_n)
    body = {
        "title": "Ontruimingen voorkomen",
        **TEXTS,
        "domains": ["housing"],
        "partners": [org.pk],
        "measures": ["waive"],
        "cases": [case.pk],
    }
    r = api(world.pro_n).post("/api/lessons/", body, format="json")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["cases"] == [case.pk] and out["case_count"] == 1 and out["measures"][0]["code"] == "waive"
    assert out["partners"] == [{"id": org.pk, "name": "Kredietbank"}] and out["team"] == world.team_n.name
    pk = out["id"]
    # Another team's professional: the lesson, not the case.
    other = api(world.pro_s).get(f"/api/lessons/{pk}/").json()
    assert other["cases"] == [] and other["case_count"] == 1
    # Search in Dutch, and filters.
    found = api(world.pro_s).get("/api/lessons/", {"q": "ontruiming"}).json()
    assert [x["id"] for x in found["results"]] == [pk] and found["count"] == 1
    assert api(world.pro_s).get("/api/lessons/", {"q": "verhuizing"}).json()["count"] == 0
    assert api(world.pro_s).get("/api/lessons/", {"measure": "waive"}).json()["count"] == 1
    assert api(world.pro_s).get("/api/lessons/", {"domain": "justice"}).json()["count"] == 0
    assert m


def test_lesson_refusals(world, api):
    theirs = open_case(household=world.hh_s, director=world.pro_s)
    r = api(world.pro_n).post("/api/lessons/", {"title": "x", **TEXTS, "cases": [theirs.pk]}, format="json")
    assert r.status_code == 400 and "cases" in r.json()
    r = api(world.pro_n).post("/api/lessons/", {"title": "x", **TEXTS, "cases": [999999]}, format="json")
    assert r.status_code == 400 and "cases" in r.json()
    r = api(world.pro_n).post("/api/lessons/", {"title": "x", **TEXTS, "team": world.team_s.pk}, format="json")
    assert r.status_code == 400 and "team" in r.json()
    assert api(world.colleague).get("/api/lessons/").status_code == 404
    assert api(world.admin).post("/api/lessons/", {"title": "x", **TEXTS}, format="json").status_code == 404
    assert Lesson.objects.count() == 0


def test_case_suggestions(world, api):
    case = open_case(household=world.hh_n, director=world.pro_n)
    Goal.objects.create(case=case, domain="finances", text="Schulden", created_by=world.pro_n)
    r = api(world.pro_s).post("/api/lessons/", {"title": "Geld", **TEXTS, "domains": ["finances"]}, format="json")
    pk = r.json()["id"]
    assert [x["id"] for x in api(world.pro_n).get(f"/api/cases/{case.pk}/lessons/").json()] == [pk]
    assert api(world.pro_s).get(f"/api/cases/{case.pk}/lessons/").status_code == 404


def test_obstacles_through_the_api(world, api):
    case = open_case(household=world.hh_n, director=world.pro_n)
    body = {"title": "Wachtlijst", "description": "Lang wachten", "where": "partner", "outside": True}
    r = api(world.pro_n).post("/api/obstacles/", body, format="json")
    assert r.status_code == 400 and "partner" in r.json()
    org = Organisation.objects.create(kind="partner", partner_type="debt", name="Kredietbank")
    r = api(world.pro_n).post("/api/obstacles/", {**body, "partner": org.pk, "cases": [case.pk]}, format="json")
    assert r.status_code == 201, r.content
    o = r.json()
    assert o["owner"] == str(world.mgr_n) and o["status"] == "raised" and o["case_count"] == 1
    assert o["cases"] == [case.pk] and o["allowed_next"] == ["in_progress", "not_solvable"]
    pk = o["id"]
    url = f"/api/obstacles/{pk}/"
    assert api(world.pro_s).get(url).json()["cases"] == []
    listed = api(world.pro_s).get("/api/obstacles/", {"team": world.team_n.pk}).json()
    assert [(x["id"], x["case_count"], x["cases"]) for x in listed["results"]] == [(pk, 1, None)]
    # The flow: only the team's manager; refusals name the allowed moves; resolution required.
    assert api(world.pro_n).post(url + "transition/", {"status": "in_progress"}).status_code == 403
    assert api(world.mgr_s).post(url + "transition/", {"status": "in_progress"}).status_code == 403
    r = api(world.mgr_n).post(url + "transition/", {"status": "resolved", "resolution": "x"})
    assert r.status_code == 400 and "Being worked on" in r.json()["status"][0]
    assert api(world.mgr_n).post(url + "transition/", {"status": "in_progress"}).status_code == 200
    r = api(world.mgr_n).post(url + "steps/", {"text": "Bellen met directeur", "due": "2030-02-01"})
    assert r.status_code == 201 and r.json()["steps"][-1]["due"] == "2030-02-01"
    r = api(world.mgr_n).post(url + "transition/", {"status": "resolved"})
    assert r.status_code == 400 and "resolution" in r.json()
    r = api(world.mgr_n).post(url + "transition/", {"status": "resolved", "resolution": "Voorrang geregeld"})
    assert r.status_code == 200 and r.json()["status"] == "resolved" and r.json()["allowed_next"] == []
    assert Obstacle.objects.get(pk=pk).resolution == "Voorrang geregeld"
    assert api(world.pro_n).get("/api/obstacles/").json()["count"] == 0  # open ones only by default
    assert api(world.pro_n).get("/api/obstacles/", {"status": "resolved"}).json()["count"] == 1
    assert api(world.colleague).get("/api/obstacles/").status_code == 404
    assert AccessLogEntry.objects.filter(record_type="case", record_id=str(case.pk), action="read").exists()


def test_schema_lists_the_learning_paths(world, api):
    r = api(world.pro_n).get("/api/schema/", HTTP_ACCEPT="application/json")
    text = r.content.decode()
    for path in ("/api/lessons/", "/api/obstacles/{id}/transition/", "/api/cases/{case_pk}/lessons/"):
        assert path in text


def test_an_id_too_large_for_the_database_is_a_400(world, api):
    """Found by schemathesis: on SQLite a 40-digit team id reached the query (OverflowError, 500)."""
    client = api(world.pro_n)
    for query in ("team=9" + "9" * 39, "partner=9" + "9" * 39):
        response = client.get(f"/api/lessons/?{query}")
        assert response.status_code == 400, query
    assert client.get("/api/obstacles/?team=0").status_code == 400
