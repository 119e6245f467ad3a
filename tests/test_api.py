"""The REST API: need-to-know per role, opening and moving cases, contacts, the access log, query
counts, token authentication, and the schema and docs pages."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from regie.audit.models import AccessLogEntry
from regie.cases import services
from regie.cases.models import Case, Status
from regie.cases.workflow import TRANSITIONS
from tests.factories import (
    ArrearsFactory,
    EventFactory,
    PersonFactory,
    TenancyFactory,
    UnitFactory,
    open_case,
)

pytestmark = pytest.mark.django_db

# The same bound for a page of 5 rows and of 25: no query per row. A list is a savepoint, the user's
# areas, the count, the page, the access-log insert and the release.
LIST_QUERIES = 6
DETAIL_QUERIES = 11


@pytest.fixture
def api():
    """A client for one user; English answers so tests can read the messages."""

    def client_for(user) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(user)
        return client

    return client_for


def reads(record_type: str, user=None, outcome: str = "success") -> set[int]:
    qs = AccessLogEntry.objects.filter(action="read", record_type=record_type, outcome=outcome)
    if user is not None:
        qs = qs.filter(user_id=user.pk)
    return {int(i) for i in qs.values_list("record_id", flat=True)}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# Households


def test_household_list_shows_what_the_user_may_see(world, api):
    ArrearsFactory(tenancy=world.hh_n, date=timezone.localdate() - timedelta(days=40), balance=Decimal("100"))
    ArrearsFactory(tenancy=world.hh_n, date=timezone.localdate(), balance=Decimal("725.50"))
    case = open_case(household=world.hh_n, director=world.pro_n)
    response = api(world.pro_n).get("/api/households/")
    assert ids(response) == [world.hh_n.pk]
    row = response.json()["results"][0]
    assert row["name"] == "Jansen" and row["tenancy_id"] == world.hh_n.tenancy_id
    assert row["address"] == world.hh_n.unit.address and row["postcode"] == "1234 AB"
    assert row["area"] == {"code": "noord", "name": "Noord"}
    assert (row["monthly_rent"], row["latest_balance"], row["open_case"]) == ("650.00", "725.50", case.pk)
    assert ids(api(world.pro_s).get("/api/households/")) == [world.hh_s.pk]
    assert ids(api(world.mgr_n).get("/api/households/")) == [world.hh_n.pk]


def test_a_case_elsewhere_makes_its_household_visible_to_the_director(world, api):
    open_case(household=world.hh_s, director=world.pro_n)
    assert set(ids(api(world.pro_n).get("/api/households/"))) == {world.hh_n.pk, world.hh_s.pk}


@pytest.mark.parametrize("who", ["colleague", "admin", "privacy"])
def test_roles_without_case_content_see_no_household(world, api, who):
    client = api(getattr(world, who))
    assert ids(client.get("/api/households/")) == []
    assert client.get(f"/api/households/{world.hh_n.pk}/").status_code == 404
    assert ids(client.post("/api/households/search/", {"q": "Jansen"}, format="json")) == []


def test_household_detail(world, api):
    tenant = PersonFactory(tenancy=world.hh_n, role="HUU", last_name="Jansen")
    ArrearsFactory(tenancy=world.hh_n, date=timezone.localdate(), balance=Decimal("1300"))
    EventFactory(tenancy=world.hh_n, type="REGIE.AAN", severity=2, description="Herinnering verstuurd")
    case = open_case(household=world.hh_n, director=world.pro_n)
    hidden = open_case(household=TenancyFactory(unit=UnitFactory(area=world.north)), director=world.pro_n2)

    response = api(world.pro_n).get(f"/api/households/{world.hh_n.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["unit"]["address"] == world.hh_n.unit.address and body["unit"]["area"]["code"] == "noord"
    assert (body["start_date"], body["end_date"], body["monthly_rent"]) == ("2020-01-01", None, "650.00")
    assert body["persons"] == [
        {
            "id": tenant.pk,
            "person_id": tenant.person_id,
            "role": "HUU",
            "role_label": "Tenant",
            "first_name": "Test",
            "name_prefix": "",
            "last_name": "Jansen",
            "full_name": "Test Jansen",
            "birth_date": None,
        }
    ]
    assert body["arrears"] == [{"date": timezone.localdate().isoformat(), "balance": "1300.00"}]
    assert body["latest_balance"] == "1300.00"
    [event] = body["events"]
    assert (event["type"], event["type_name"], event["severity"]) == ("REGIE.AAN", "Written arrears reminder", 2)
    assert event["description"] == "Herinnering verstuurd"
    assert [c["id"] for c in body["cases"]] == [case.pk]
    assert body["cases"][0]["director"]["username"] == "pro-n"
    assert body["open_case"] == case.pk
    assert reads("household", world.pro_n) == {world.hh_n.pk}
    # The other case in the area is not his: its household shows, its case doesn't.
    other = api(world.pro_n).get(f"/api/households/{hidden.household_id}/").json()
    assert other["cases"] == [] and other["open_case"] == hidden.pk


def test_household_detail_is_404_outside_the_users_areas_and_logged_as_refused(world, api):
    assert api(world.pro_n).get(f"/api/households/{world.hh_s.pk}/").status_code == 404
    assert api(world.pro_n).get("/api/households/999999/").status_code == 404
    assert reads("household", world.pro_n, outcome="denied") == {world.hh_s.pk}
    assert reads("household", world.pro_n) == set()


def test_search_is_posted_and_finds_by_name_postcode_and_tenancy_number(world, api):
    world.hh_n.unit.postcode = "9711 AB"
    world.hh_n.unit.save(update_fields=["postcode"])
    TenancyFactory(unit=UnitFactory(area=world.north), name="Bakker")
    client = api(world.pro_n)
    for q in ["jans", "9711ab", "9711 AB", world.hh_n.tenancy_id]:
        assert ids(client.post("/api/households/search/", {"q": q}, format="json")) == [world.hh_n.pk], q
    # Within what he may see only.
    assert ids(client.post("/api/households/search/", {"q": "De Vries"}, format="json")) == []
    assert reads("household", world.pro_n) == {world.hh_n.pk}
    assert AccessLogEntry.objects.filter(record_type="household", action="read").count() == 4


def test_search_refuses_an_empty_query_and_the_url(world, api):
    client = api(world.pro_n)
    response = client.post("/api/households/search/", {"q": ""}, format="json")
    assert response.status_code == 400 and "q" in response.json()
    assert client.get("/api/households/search/", {"q": "Jansen"}).status_code == 405
    # A query-string on the list filters nothing: names don't belong in URLs.
    assert ids(client.get("/api/households/", {"q": "zzz"})) == [world.hh_n.pk]


# Cases: reading


def test_case_list_and_detail_per_role(world, api):
    case_n = open_case(household=world.hh_n, director=world.pro_n)
    case_s = open_case(household=world.hh_s, director=world.pro_s)
    assert ids(api(world.pro_n).get("/api/cases/")) == [case_n.pk]
    assert ids(api(world.pro_n2).get("/api/cases/")) == []
    assert ids(api(world.mgr_n).get("/api/cases/")) == [case_n.pk]
    assert ids(api(world.mgr_s).get("/api/cases/")) == [case_s.pk]
    assert api(world.pro_n).get(f"/api/cases/{case_n.pk}/").status_code == 200
    assert api(world.mgr_n).get(f"/api/cases/{case_n.pk}/").status_code == 200
    assert api(world.pro_n).get(f"/api/cases/{case_s.pk}/").status_code == 404
    assert api(world.pro_n2).get(f"/api/cases/{case_n.pk}/").status_code == 404
    assert api(world.mgr_n).get(f"/api/cases/{case_s.pk}/").status_code == 404
    for who in (world.colleague, world.admin, world.privacy):
        assert ids(api(who).get("/api/cases/")) == []
        assert api(who).get(f"/api/cases/{case_n.pk}/").status_code == 404


def test_case_list_row(world, api):
    ArrearsFactory(tenancy=world.hh_n, date=timezone.localdate(), balance=Decimal("1950"))
    EventFactory(tenancy=world.hh_n, type="REGIE.DAG", date=timezone.localdate())
    case = open_case(household=world.hh_n, director=world.pro_n)
    services.case_next_step_set(
        case=case, next_step="Bellen", due=timezone.localdate() - timedelta(days=1), by=world.pro_n
    )
    [row] = api(world.pro_n).get("/api/cases/").json()["results"]
    assert row["household"] == {"id": world.hh_n.pk, "tenancy_id": world.hh_n.tenancy_id, "name": "Jansen"}
    assert row["address"] == world.hh_n.unit.address
    assert (row["status"], row["status_label"]) == ("signalled", "Signalled")
    assert row["director"]["id"] == world.pro_n.pk and row["team"]["name"] == "Team Noord"
    assert (row["days_open"], row["next_step"]) == (0, "Bellen")
    assert row["next_step_due"] == (timezone.localdate() - timedelta(days=1)).isoformat()
    assert row["latest_balance"] == "1950.00"
    assert set(row["urgency"]) == {"legal", "arrears", "overdue"}


def test_case_list_filters_by_status_and_scope(world, api):
    mine = open_case(household=world.hh_n, director=world.pro_n)
    theirs = open_case(household=TenancyFactory(unit=UnitFactory(area=world.north)), director=world.pro_n2)
    services.case_member_add(case=theirs, user=world.pro_n, role="ADV", by=world.pro_n2)
    services.case_transition(case=theirs, to_status=Status.INTAKE, by=world.pro_n2)
    client = api(world.pro_n)
    assert set(ids(client.get("/api/cases/"))) == {mine.pk, theirs.pk}
    assert ids(client.get("/api/cases/", {"scope": "mine"})) == [mine.pk]
    assert ids(client.get("/api/cases/", {"scope": "team"})) == [theirs.pk]
    assert ids(client.get("/api/cases/", {"status": "intake"})) == [theirs.pk]
    assert ids(client.get("/api/cases/", {"status": "closed"})) == []
    response = client.get("/api/cases/", {"scope": "everything", "status": "nope"})
    assert response.status_code == 400 and set(response.json()) == {"scope", "status"}


def test_case_detail(world, api):
    tenant = PersonFactory(tenancy=world.hh_n)
    EventFactory(tenancy=world.hh_n, type="REGIE.AAN", date=timezone.localdate() - timedelta(days=3))
    case = open_case(household=world.hh_n, director=world.pro_n, question="Ik wil rust.")
    services.case_member_add(case=case, user=world.pro_n2, role="ADV", by=world.pro_n)
    services.contact_add(
        case=case,
        at=timezone.now() - timedelta(hours=1),
        channel="TEL",
        summary="Gebeld",
        by=world.pro_n,
        persons=[tenant],
    )
    body = api(world.pro_n).get(f"/api/cases/{case.pk}/").json()
    assert body["question"] == "Ik wil rust."
    assert (body["outcome"], body["outcome_note"], body["closed_at"]) == ("", "", None)
    assert body["allowed_transitions"] == [
        {"status": "intake", "label": "Intake"},
        {"status": "closed", "label": "Closed"},
    ]
    assert [(m["user"]["username"], m["role"], m["role_label"]) for m in body["members"]] == [
        ("pro-n", "ZAA", "Case coordinator"),
        ("pro-n2", "ADV", "Adviser"),
    ]
    kinds = [(i["item"], (i["entry"] or {}).get("kind")) for i in body["timeline"]]
    assert ("event", None) in kinds
    assert {k for _, k in kinds if k} == {"opened", "question", "team", "contact"}
    contact_item = next(i for i in body["timeline"] if i["entry"] and i["entry"]["kind"] == "contact")
    assert contact_item["entry"]["contact"]["summary"] == "Gebeld"
    assert contact_item["entry"]["contact"]["persons"] == [{"id": tenant.pk, "full_name": tenant.full_name}]
    assert contact_item["entry"]["actor"]["username"] == "pro-n"
    event_item = next(i for i in body["timeline"] if i["item"] == "event")
    assert event_item["entry"] is None and event_item["event"]["type"] == "REGIE.AAN"
    assert event_item["event"]["severity"] == 1


# Cases: writing


def test_open_a_case(world, api):
    client = api(world.pro_n)
    response = client.post(
        "/api/cases/", {"household": world.hh_n.pk, "question": "Hulp met post", "status": "intake"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert (case.household, case.director, case.status, case.question) == (
        world.hh_n,
        world.pro_n,
        "intake",
        "Hulp met post",
    )
    assert body["director"]["id"] == world.pro_n.pk and body["members"][0]["role"] == "ZAA"
    second = client.post("/api/cases/", {"household": world.hh_n.pk}, format="json")
    assert second.status_code == 400
    assert "already has an open case" in second.json()["household"][0]
    assert Case.objects.count() == 1


def test_a_manager_opens_a_case_for_his_professional(world, api):
    response = api(world.mgr_n).post(
        "/api/cases/", {"household": world.hh_n.pk, "director": world.pro_n2.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Case.objects.get().director == world.pro_n2


def test_opening_refuses_a_household_the_caller_cant_see_like_a_missing_one(world, api):
    client = api(world.pro_n)
    forbidden = client.post("/api/cases/", {"household": world.hh_s.pk}, format="json")
    missing = client.post("/api/cases/", {"household": 999999}, format="json")
    assert forbidden.status_code == missing.status_code == 400
    assert forbidden.json() == missing.json() == {"household": ["Household not found."]}
    assert not Case.objects.exists()


def test_opening_checks_its_input_and_the_director(world, api):
    client = api(world.pro_n)
    response = client.post("/api/cases/", {"household": world.hh_n.pk, "status": "plan"}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    response = client.post("/api/cases/", {"household": world.hh_n.pk, "director": 999999}, format="json")
    assert response.status_code == 400 and "director" in response.json()
    response = client.post("/api/cases/", {"household": world.hh_n.pk, "director": world.colleague.pk}, format="json")
    assert response.status_code == 400 and "director" in response.json()
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "admin", "privacy"])
def test_only_professionals_and_managers_open_cases(world, api, who):
    response = api(getattr(world, who)).post("/api/cases/", {"household": world.hh_n.pk}, format="json")
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_transition_moves_the_case_and_answers_its_detail(world, api):
    case = open_case(household=world.hh_n, director=world.pro_n)
    response = api(world.pro_n).post(f"/api/cases/{case.pk}/transition/", {"status": "intake"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "intake"
    assert [s["status"] for s in response.json()["allowed_transitions"]] == list(TRANSITIONS[Status.INTAKE])
    response = api(world.mgr_n).post(
        f"/api/cases/{case.pk}/transition/",
        {"status": "closed", "outcome": "declined", "outcome_note": "Wil geen hulp"},
        format="json",
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert (case.status, case.outcome, case.outcome_note) == ("closed", "declined", "Wil geen hulp")


def test_an_illegal_transition_names_the_allowed_statuses(world, api):
    case = open_case(household=world.hh_n, director=world.pro_n)
    response = api(world.pro_n).post(f"/api/cases/{case.pk}/transition/", {"status": "aftercare"}, format="json")
    assert response.status_code == 400
    message = response.json()["status"][0]
    assert "Intake" in message and "Closed" in message
    assert Case.objects.get(pk=case.pk).status == Status.SIGNALLED


def test_closing_without_an_outcome_is_refused(world, api):
    case = open_case(household=world.hh_n, director=world.pro_n)
    response = api(world.pro_n).post(f"/api/cases/{case.pk}/transition/", {"status": "closed"}, format="json")
    assert response.status_code == 400 and "outcome" in response.json()
    response = api(world.pro_n).post(
        f"/api/cases/{case.pk}/transition/", {"status": "closed", "outcome": "bored"}, format="json"
    )
    assert response.status_code == 400 and "outcome" in response.json()
    assert Case.objects.get(pk=case.pk).status == Status.SIGNALLED


def test_only_the_director_and_his_manager_steer_a_case(world, api):
    case = open_case(household=world.hh_n, director=world.pro_n)
    services.case_member_add(case=case, user=world.pro_n2, role="ADV", by=world.pro_n)
    url = f"/api/cases/{case.pk}/transition/"
    assert api(world.pro_n2).post(url, {"status": "intake"}, format="json").status_code == 403
    assert api(world.pro_s).post(url, {"status": "intake"}, format="json").status_code == 404
    assert api(world.mgr_s).post(url, {"status": "intake"}, format="json").status_code == 404
    assert Case.objects.get(pk=case.pk).status == Status.SIGNALLED


def test_add_and_list_contacts(world, api):
    tenant = PersonFactory(tenancy=world.hh_n)
    case = open_case(household=world.hh_n, director=world.pro_n)
    services.case_member_add(case=case, user=world.pro_n2, role="BEH", by=world.pro_n)
    at = (timezone.now() - timedelta(hours=3)).replace(microsecond=0)
    response = api(world.pro_n2).post(
        f"/api/cases/{case.pk}/contacts/",
        {
            "at": at.isoformat(),
            "channel": "BEZ",
            "summary": "Huisbezoek",
            "persons": [tenant.pk],
            "others": "Wijkagent",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["channel"], body["channel_label"], body["summary"], body["others"]) == (
        "BEZ",
        "Home visit",
        "Huisbezoek",
        "Wijkagent",
    )
    assert body["persons"] == [{"id": tenant.pk, "full_name": tenant.full_name}]
    assert body["by"]["username"] == "pro-n2"
    case.refresh_from_db()
    assert case.last_contact_at == at
    listed = api(world.pro_n).get(f"/api/cases/{case.pk}/contacts/")
    assert ids(listed) == [body["id"]]
    assert api(world.pro_s).get(f"/api/cases/{case.pk}/contacts/").status_code == 404


def test_contact_validation(world, api):
    stranger = PersonFactory(tenancy=world.hh_s)
    case = open_case(household=world.hh_n, director=world.pro_n)
    url = f"/api/cases/{case.pk}/contacts/"
    client = api(world.pro_n)
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = client.post(
        url, {"at": future, "channel": "BEZ", "summary": "x", "persons": [stranger.pk]}, format="json"
    )
    assert response.status_code == 400 and set(response.json()) == {"at", "persons"}
    response = client.post(url, {"at": "gisteren", "channel": "XXX", "summary": ""}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"at", "channel", "summary"}
    response = client.post(
        url, {"at": timezone.now().isoformat(), "channel": "TEL", "summary": "x", "persons": [999999]}, format="json"
    )
    assert response.status_code == 400 and set(response.json()) == {"persons"}
    assert not case.contacts.exists()
    # Only the case team records contacts; others don't even see the case.
    assert (
        api(world.pro_n2)
        .post(url, {"at": timezone.now().isoformat(), "channel": "TEL", "summary": "x"}, format="json")
        .status_code
        == 404
    )


# Authentication


def test_token_authentication(world):
    token = Token.objects.create(user=world.pro_n)
    client = APIClient()
    assert client.get("/api/households/").status_code in (401, 403)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert ids(client.get("/api/households/")) == [world.hh_n.pk]
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/households/")
    # 403, not 401: DRF answers with the first authentication class (session), which sends no challenge.
    assert response.status_code in (401, 403) and "results" not in response.json()


def test_a_browser_gets_json(world, api):
    case = open_case(household=world.hh_n, director=world.pro_n)
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for url in ["/api/households/", f"/api/households/{world.hh_n.pk}/", "/api/cases/", f"/api/cases/{case.pk}/"]:
        response = api(world.pro_n).get(url, HTTP_ACCEPT=accept)
        assert (response.status_code, response["Content-Type"]) == (200, "application/json"), url


def test_session_authentication(world, client):
    client.force_login(world.pro_n)
    response = client.get("/api/households/")
    assert response.status_code == 200 and response.json()["count"] == 1


# The access log


def test_lists_log_each_row_shown_as_read(world, api):
    case = open_case(household=world.hh_n, director=world.pro_n)
    api(world.pro_n).get("/api/households/")
    api(world.pro_n).get("/api/cases/")
    assert reads("household", world.pro_n) == {world.hh_n.pk}
    assert reads("case", world.pro_n) == {case.pk}
    entry = AccessLogEntry.objects.filter(action="read", record_type="case").get()
    assert (entry.channel, entry.sensitivity, entry.username) == ("api", "special", "pro-n")


def test_only_the_page_shown_is_logged(world, api):
    for n in range(30):
        TenancyFactory(unit=UnitFactory(area=world.north), name=f"Huishouden {n:02d}")
    response = api(world.pro_n).get("/api/households/")
    assert response.json()["count"] == 31 and len(response.json()["results"]) == 25
    assert reads("household", world.pro_n) == set(ids(response))
    page_2 = api(world.pro_n).get("/api/households/", {"page": 2})
    assert len(reads("household", world.pro_n)) == 31 and len(ids(page_2)) == 6


def test_detail_reads_are_logged_and_refused_reads_too(world, api):
    case = open_case(household=world.hh_n, director=world.pro_n)
    assert api(world.pro_n).get(f"/api/cases/{case.pk}/").status_code == 200
    assert reads("case", world.pro_n) == {case.pk}
    assert api(world.pro_s).get(f"/api/cases/{case.pk}/").status_code == 404
    assert api(world.pro_s).get("/api/cases/999999/").status_code == 404
    denied = AccessLogEntry.objects.get(outcome="denied")
    assert (denied.record_type, denied.record_id, denied.username, denied.channel) == (
        "case",
        str(case.pk),
        "pro-s",
        "api",
    )
    assert reads("case", world.pro_s) == set()


# Query counts


def _households(world, n: int) -> None:
    for i in range(n - 1):  # the world already has one household in the north
        household = TenancyFactory(unit=UnitFactory(area=world.north))
        ArrearsFactory(tenancy=household, balance=Decimal(i))
        if i % 2:
            open_case(household=household, director=world.pro_n)


@pytest.mark.parametrize("rows", [5, 25])
def test_household_list_and_search_queries_are_fixed(world, api, django_assert_max_num_queries, rows):
    _households(world, rows)
    client = api(world.pro_n)
    with django_assert_max_num_queries(LIST_QUERIES):
        assert len(ids(client.get("/api/households/"))) == rows
    with django_assert_max_num_queries(LIST_QUERIES):
        assert len(ids(client.post("/api/households/search/", {"q": "1234 AB"}, format="json"))) == rows


@pytest.mark.parametrize("rows", [5, 25])
def test_case_list_queries_are_fixed(world, api, django_assert_max_num_queries, rows):
    for _ in range(rows):
        household = TenancyFactory(unit=UnitFactory(area=world.north))
        ArrearsFactory(tenancy=household, balance=Decimal("2000"))
        EventFactory(tenancy=household, type="REGIE.DAG", date=timezone.localdate())
        open_case(household=household, director=world.pro_n)
    for who in (world.pro_n, world.mgr_n):
        with django_assert_max_num_queries(LIST_QUERIES):
            assert len(ids(api(who).get("/api/cases/"))) == rows


@pytest.mark.parametrize("rows", [5, 25])
def test_detail_and_contact_queries_are_fixed(world, api, django_assert_max_num_queries, rows):
    case = open_case(household=world.hh_n, director=world.pro_n)
    people = PersonFactory.create_batch(3, tenancy=world.hh_n)
    for i in range(rows):
        ArrearsFactory(tenancy=world.hh_n, date=timezone.localdate() - timedelta(days=i), balance=Decimal(i))
        EventFactory(tenancy=world.hh_n)
        services.contact_add(
            case=case,
            at=timezone.now() - timedelta(hours=i),
            channel="TEL",
            summary=f"Gesprek {i}",
            by=world.pro_n,
            persons=people,
        )
    client = api(world.pro_n)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(f"/api/households/{world.hh_n.pk}/").status_code == 200
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(f"/api/cases/{case.pk}/").status_code == 200
    with django_assert_max_num_queries(LIST_QUERIES + 1):  # the contacts' persons are prefetched
        assert len(ids(client.get(f"/api/cases/{case.pk}/contacts/"))) == rows


# Schema and docs


def test_schema_is_openapi_3(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/households/",
        "/api/households/search/",
        "/api/cases/{id}/transition/",
        "/api/cases/{id}/contacts/",
    ]:
        assert path in schema["paths"]
    # The search takes its query in the body; no operation takes personal data in the query string.
    assert [p["name"] for p in schema["paths"]["/api/households/search/"]["post"]["parameters"]] == ["page"]


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3.")


def test_docs_load_nothing_from_another_host(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and "http://" not in html and "https://" not in html
    script_urls = [u for u in urls if not u.startswith("/static/")]
    assert script_urls == ["/api/docs/?script="]
    for url in urls:
        if url.startswith("/static/"):
            assert client.get(url).status_code == 200, url
    script = client.get(script_urls[0]).content.decode()
    assert "http://" not in script and "https://" not in script
    assert '"/api/schema/"' in script


def test_the_written_out_case_row_equals_drfs_generic_output(world):
    from datetime import date, timedelta
    from decimal import Decimal

    from django.utils import timezone
    from rest_framework import serializers as drf

    from regie.cases.models import Case
    from regie.cases.selectors import with_urgency
    from regie.cases.serializers import CaseSerializer
    from regie.cases.services import case_next_step_set, contact_add
    from tests.factories import ArrearsFactory

    bare = open_case(household=world.hh_n, director=world.pro_n)
    full = open_case(household=world.hh_s, director=world.pro_s)
    ArrearsFactory(tenancy=world.hh_s, date=date(2026, 10, 1), balance=Decimal("1950.5"))
    case_next_step_set(case=full, next_step="Bellen", due=date(2026, 1, 2), by=world.pro_s)
    contact_add(case=full, at=timezone.now() - timedelta(days=2), channel="TEL", summary="x", by=world.pro_s)
    now = timezone.now()
    for case in with_urgency(Case.objects.filter(pk__in=[bare.pk, full.pk])).select_related("team"):
        ser = CaseSerializer(context={"now": now})
        assert ser.to_representation(case) == drf.Serializer.to_representation(ser, case)


def test_written_out_timeline_and_event_rows_equal_drfs_generic_output(world):
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework import serializers as drf

    from regie.cases.models import TimelineEntry
    from regie.cases.serializers import TimelineEntrySerializer
    from regie.cases.services import case_member_add, contact_add
    from regie.housing.models import Event
    from regie.housing.serializers import EventSerializer
    from tests.factories import EventFactory, PersonFactory

    case = open_case(household=world.hh_n, director=world.pro_n, question="Rust")
    person = PersonFactory(tenancy=world.hh_n)
    contact_add(
        case=case, at=timezone.now() - timedelta(hours=3), channel="BEZ", summary="s", by=world.pro_n, persons=[person]
    )
    case_member_add(case=case, user=world.pro_n2, role="ADV", by=world.pro_n)
    TimelineEntry.objects.create(case=case, kind="status", actor=None, data={"from": "a"})
    EventFactory(tenancy=world.hh_n, description="")
    EventFactory(tenancy=world.hh_n, type="REGIE.ONT", severity=3, description="d")
    entries = (
        TimelineEntry.objects.filter(case=case).select_related("actor", "contact").prefetch_related("contact__persons")
    )
    assert len(entries) == 5
    for e in entries:
        ser = TimelineEntrySerializer()
        assert ser.to_representation(e) == drf.Serializer.to_representation(ser, e)
    for ev in Event.objects.all():
        ser = EventSerializer()
        assert ser.to_representation(ev) == drf.Serializer.to_representation(ser, ev)


def test_case_detail_gives_the_latest_timeline_or_all_of_it(world, api):
    from datetime import timedelta

    from django.utils import timezone

    from regie.cases.services import contact_add

    case = open_case(household=world.hh_n, director=world.pro_n)
    for i in range(35):
        contact_add(
            case=case, at=timezone.now() - timedelta(days=i + 1), channel="TEL", summary=f"G{i}", by=world.pro_n
        )
    client = api(world.pro_n)
    assert len(client.get(f"/api/cases/{case.pk}/").json()["timeline"]) == 30
    assert len(client.get(f"/api/cases/{case.pk}/", {"timeline": "all"}).json()["timeline"]) == 36
