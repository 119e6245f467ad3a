"""Aftercare on the web pages: the caseload's due section, the check form, the case page's marks,
need-to-know, and query counts that don't grow with the rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from regie.audit.models import AccessLogEntry
from regie.cases import services
from regie.cases.models import Status
from regie.plans import aftercare
from regie.plans.models import AftercareCheck, Assessment, Evaluation
from tests.factories import TenancyFactory, UnitFactory, open_case
from tests.limits import CASE_PAGE_MAX_QUERIES

pytestmark = pytest.mark.django_db
Result = AftercareCheck.Result


def closed_case(world, household=None, director=None, *, due_in=-2):
    director = director or world.pro_n
    case = open_case(household=household or world.hh_n, director=director)
    case = services.case_transition(case=case, to_status=Status.CLOSED, by=director, outcome="resolved")
    first = AftercareCheck.objects.filter(case=case).order_by("due").first()
    AftercareCheck.objects.filter(pk=first.pk).update(due=timezone.localdate() + timedelta(days=due_in))
    return case, AftercareCheck.objects.get(pk=first.pk)


def test_due_checks_are_on_the_directors_caseload_and_not_on_another_teams(client, world):
    case, check = closed_case(world)
    open_case(household=TenancyFactory(unit=UnitFactory(area=world.north)), director=world.pro_n)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("cases:caseload"))
    assert [c.pk for c in response.context["due_checks"]] == [check.pk]
    page = response.content.decode()
    assert reverse("aftercare:check", args=[check.pk]) in page and "Aftercare check" in page
    unit = case.household.unit
    assert f"{case.household.name}</a>" in page and f"{unit.address}, {unit.postcode}" in page
    assert AccessLogEntry.objects.filter(action="read", record_id=str(case.pk), username="pro-n").exists()
    for other in (world.pro_s, world.mgr_s, world.pro_n2):
        client.force_login(other)
        assert client.get(reverse("cases:caseload")).context["due_checks"] == []


def test_checks_not_yet_due_or_done_are_not_listed(client, world):
    _case, check = closed_case(world, due_in=30)
    client.force_login(world.pro_n)
    assert client.get(reverse("cases:caseload")).context["due_checks"] == []
    AftercareCheck.objects.filter(pk=check.pk).update(due=timezone.localdate())
    assert len(client.get(reverse("cases:caseload")).context["due_checks"]) == 1
    aftercare.aftercare_check_record(check=check, result=Result.HOLDS, by=world.pro_n)
    assert client.get(reverse("cases:caseload")).context["due_checks"] == []


def test_recording_a_check_through_the_form(client, world):
    case, check = closed_case(world)
    client.force_login(world.pro_n)
    url = reverse("aftercare:check", args=[check.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"result": "holds", "note": "Gaat goed."})
    assert response.status_code == 302 and response.url == case.get_absolute_url() + "#aftercare-h"
    check.refresh_from_db()
    assert (check.result, check.note, check.done_by) == (Result.HOLDS, "Gaat goed.", world.pro_n)
    # Recorded once: a second post changes nothing.
    client.post(url, {"result": "concern"})
    check.refresh_from_db()
    assert check.result == Result.HOLDS


def test_a_check_with_errors_comes_back_with_them(client, world):
    _case, check = closed_case(world)
    client.force_login(world.pro_n)
    url = reverse("aftercare:check", args=[check.pk])
    response = client.post(url, {"result": "holds", "next_check": "2099-01-01"})
    assert response.status_code == 400 and response.context["form"].errors["next_check"]
    assert client.post(url, {}).status_code == 400
    assert AftercareCheck.objects.get(pk=check.pk).done_at is None


def test_new_case_needed_leads_to_opening_a_case_for_the_household(client, world):
    _case, check = closed_case(world)
    client.force_login(world.pro_n)
    response = client.post(reverse("aftercare:check", args=[check.pk]), {"result": "reopened"})
    assert response.status_code == 302 and response.url == world.hh_n.get_absolute_url() + "#open-h"
    household_page = client.get(response.url)
    assert household_page.context["open_form"] is not None


def test_check_pages_need_to_know(client, world):
    _case, check = closed_case(world)
    url = reverse("aftercare:check", args=[check.pk])
    for outsider in (world.pro_s, world.pro_n2, world.mgr_s, world.colleague, world.privacy):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"result": "holds"}).status_code == 404
    assert AccessLogEntry.objects.filter(record_type="case", outcome="denied").exists()
    client.force_login(world.pro_s)
    assert client.get(reverse("aftercare:check", args=[987654])).status_code == 404
    client.force_login(world.mgr_n)  # the team's manager sees the closed case
    assert client.get(url).status_code == 200
    assert AftercareCheck.objects.get(pk=check.pk).done_at is None


def test_closed_case_page_marks_a_missing_closing_assessment(client, world):
    case, _check = closed_case(world)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Closing assessment missing" in page and "Aftercare checks" in page
    Assessment.objects.create(case=case, moment="closure", by=world.pro_n)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Closing assessment missing" not in page and "recorded on" in page


def test_near_closing_the_case_page_points_to_the_closing_assessment(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    assert "Closing soon?" not in client.get(case.get_absolute_url()).content.decode()
    for to in (Status.INTAKE, Status.PLAN, Status.IN_PROGRESS, Status.EVALUATION):
        case = services.case_transition(case=case, to_status=to, by=world.pro_n)
    assert "Closing soon?" in client.get(case.get_absolute_url()).content.decode()


def test_recurrence_is_marked_on_the_case_page(client, world):
    old = services.case_transition(
        case=open_case(household=world.hh_n, director=world.pro_n), to_status=Status.CLOSED, by=world.pro_n,
        outcome="resolved",
    )  # fmt: skip
    new = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    response = client.get(new.get_absolute_url())
    page = response.content.decode()
    assert 'id="recurrence"' in page and old.get_absolute_url() in page
    assert 'id="recurrence"' not in client.get(old.get_absolute_url()).content.decode()


def _queries(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_caseload_queries_do_not_grow_with_due_items(client, world):
    def add(n):
        for _ in range(n):
            closed_case(world, household=TenancyFactory(unit=UnitFactory(area=world.north)))
            case = open_case(household=TenancyFactory(unit=UnitFactory(area=world.north)), director=world.pro_n)
            Evaluation.objects.create(case=case, due=timezone.localdate())

    client.force_login(world.pro_n)
    url = reverse("cases:caseload")
    add(1)
    one = _queries(client, url)
    add(7)
    assert _queries(client, url) == one <= 12
    response = client.get(url)
    assert len(response.context["due_checks"]) == 8 and len(response.context["due_evaluations"]) == 8


def test_case_page_queries_do_not_grow_with_checks_and_evaluations(client, world):
    case, _check = closed_case(world)

    def add(n, start):
        for i in range(start, start + n):
            Evaluation.objects.create(case=case, due=timezone.localdate() - timedelta(days=100 + i))
            Assessment.objects.create(case=case, moment="evaluation", by=world.pro_n)
            check = AftercareCheck.objects.create(case=case, due=timezone.localdate() + timedelta(days=i))
            aftercare.aftercare_check_record(check=check, result="holds", by=world.pro_n)

    client.force_login(world.pro_n)
    add(1, 0)
    one = _queries(client, case.get_absolute_url())
    add(7, 1)
    assert _queries(client, case.get_absolute_url()) == one <= CASE_PAGE_MAX_QUERIES


def test_closing_assessment_link_opens_the_form_at_closure(client, world):
    from regie.cases.services import case_transition
    from regie.plans.aftercare_panels import assessment_url
    from tests.factories import open_case

    case = open_case(household=world.hh_n, director=world.pro_n)
    case_transition(case=case, to_status="intake", by=world.pro_n)
    url = assessment_url(case, "closure")
    assert url.startswith(f"/plan/casus/{case.pk}/")
    client.force_login(world.pro_n)
    body = client.get(url).content.decode()
    assert 'value="closure" selected' in body
