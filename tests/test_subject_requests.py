"""The register of requests under AVG art. 15-21: deadlines, transitions, holds, erasure, pages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from regie.audit.models import AccessLogEntry
from regie.cases.models import Case
from regie.privacy.models import (
    DestructionRecord,
    Hold,
    HoldKind,
    HoldTarget,
    RecordKind,
    RequestStatus,
    SubjectRequest,
)
from regie.privacy.retention import retention_run
from regie.privacy.services import (
    hold_place,
    request_create,
    request_execute_erasure,
    request_extend,
    request_transition,
)
from tests.factories import PersonFactory, TenancyFactory, UnitFactory
from tests.privacy_helpers import SECRET, full_case


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_deadline_is_one_month_and_extends_once_up_to_two(world):
    person = PersonFactory(tenancy=world.hh_n)
    r = request_create(kind="access", received_on=date(2026, 1, 31), person=person, by=world.privacy)
    assert r.deadline == date(2026, 2, 28)
    assert r.is_overdue(date(2026, 3, 1)) and not r.is_overdue(date(2026, 2, 28))
    with pytest.raises(ValidationError):
        request_extend(request=r, months=3, reason="veel", by=world.privacy)
    with pytest.raises(ValidationError):
        request_extend(request=r, months=2, reason="  ", by=world.privacy)
    request_extend(request=r, months=2, reason="Complex: vijf dossiers", by=world.privacy)
    assert r.due == date(2026, 4, 28) and not r.is_overdue(date(2026, 4, 1))
    with pytest.raises(ValidationError):
        request_extend(request=r, months=1, reason="nog eens", by=world.privacy)


def test_transitions_follow_the_table_and_need_an_outcome(world):
    r = request_create(kind="rectification", received_on=date(2026, 11, 2), reference="brief 2 nov", by=world.privacy)
    with pytest.raises(ValidationError):
        request_transition(request=r, to_status=RequestStatus.GRANTED, by=world.privacy, outcome="x")
    request_transition(request=r, to_status=RequestStatus.IN_PROGRESS, by=world.privacy)
    with pytest.raises(ValidationError):
        request_transition(request=r, to_status=RequestStatus.GRANTED, by=world.privacy)  # no outcome
    request_transition(request=r, to_status=RequestStatus.GRANTED, by=world.privacy, outcome="Adres verbeterd.")
    assert r.closed_on is not None and not r.is_open
    with pytest.raises(ValidationError):
        request_transition(request=r, to_status=RequestStatus.IN_PROGRESS, by=world.privacy)
    assert AccessLogEntry.objects.filter(record_type="subject_request", record_id=str(r.pk)).count() == 3


def test_erasure_request_holds_the_household_until_closed(world):
    old, person, _ = full_case(household=world.hh_n, director=world.pro_n, closed_on=date(2024, 1, 5))
    r = request_create(kind="erasure", received_on=date(2026, 11, 20), person=person, by=world.privacy)
    assert Hold.objects.active().filter(request=r, kind=HoldKind.GDPR).exists()
    retention_run(as_of=date(2026, 11, 27))
    assert Case.objects.get(pk=old.pk).question == SECRET  # the request decides, not the night
    request_transition(request=r, to_status=RequestStatus.WITHDRAWN, by=world.privacy)
    assert not Hold.objects.active().filter(request=r).exists()


def test_execute_erasure_refuses_under_a_legal_hold_and_says_why(world):
    _, person, _ = full_case(household=world.hh_n, director=world.pro_n, closed_on=date(2026, 10, 1))
    r = request_create(kind="erasure", received_on=date(2026, 11, 20), person=person, by=world.privacy)
    request_transition(request=r, to_status=RequestStatus.IN_PROGRESS, by=world.privacy)
    hold_place(
        target=HoldTarget.HOUSEHOLD,
        record_id=world.hh_n.pk,
        kind=HoldKind.PROCEDURE,
        reason="Huurzaak",
        by=world.privacy,
    )
    with translation.override("en"), pytest.raises(ValidationError) as err:
        request_execute_erasure(request=r, by=world.privacy)
    with translation.override("en"):
        assert "Legal procedure" in " ".join(err.value.messages)


def test_execute_erasure_of_a_former_tenant(world, django_capture_on_commit_callbacks):
    gone = TenancyFactory(unit=UnitFactory(area=world.north), end_date=date(2026, 5, 31))
    case, person, consent = full_case(household=gone, director=world.pro_n, closed_on=date(2026, 10, 1))
    r = request_create(kind="erasure", received_on=date(2026, 11, 20), person=person, by=world.privacy)
    request_transition(request=r, to_status=RequestStatus.IN_PROGRESS, by=world.privacy)
    with django_capture_on_commit_callbacks(execute=True):
        done = request_execute_erasure(request=r, by=world.privacy)
    assert done == {"cases": 1, "household": 1}
    person.refresh_from_db()
    assert person.last_name == "Anoniem" and person.phone == ""
    assert Case.objects.get(pk=case.pk).question == ""
    assert set(DestructionRecord.objects.filter(request=r).values_list("kind", flat=True)) == {
        RecordKind.CASE_FILE,
        RecordKind.CONSENT_DOCUMENT,
        RecordKind.HOUSEHOLD,
    }
    assert AccessLogEntry.objects.filter(action="delete", record_type="household", record_id=str(gone.pk)).exists()


def test_open_case_blocks_erasure(world):
    _, person, _ = full_case(household=world.hh_n, director=world.pro_n, closed_on=None)
    r = request_create(kind="erasure", received_on=date(2026, 11, 20), person=person, by=world.privacy)
    request_transition(request=r, to_status=RequestStatus.IN_PROGRESS, by=world.privacy)
    with pytest.raises(ValidationError):
        request_execute_erasure(request=r, by=world.privacy)


# -- pages -----------------------------------------------------------------------------------------

PAGES = ["privacy:requests", "privacy:request_new", "privacy:holds"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_are_404_for_other_roles(world, client, name):
    for user in (world.pro_n, world.mgr_n, world.admin, world.colleague):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 404


def test_request_pages_404_for_other_roles(world, client):
    r = request_create(kind="access", received_on=date(2026, 11, 2), reference="mail", by=world.privacy)
    for user in (world.pro_n, world.mgr_n, world.admin):
        client.force_login(user)
        assert client.get(reverse("privacy:request", args=[r.pk])).status_code == 404
        assert client.get(reverse("privacy:request_export", args=[r.pk, "json"])).status_code == 404


def test_retention_page_for_privacy_and_admin_only(world, client):
    for user, status in ((world.privacy, 200), (world.admin, 200), (world.pro_n, 404), (world.mgr_n, 404)):
        client.force_login(user)
        assert client.get(reverse("privacy:retention")).status_code == status


def test_admin_edits_a_rule(world, client):
    from regie.privacy.models import RetentionRule

    rule = RetentionRule.objects.get(kind=RecordKind.CASE_FILE)
    client.force_login(world.admin)
    response = client.post(
        reverse("privacy:rule_edit", args=[rule.pk]), {"nomination": "VER", "months": "36", "note": "Beleid 2027"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.months, rule.updated_by) == (36, world.admin)


def test_register_flow_through_the_pages(world, client, django_assert_max_num_queries):
    PersonFactory(tenancy=world.hh_n, person_id="R-777")
    client.force_login(world.privacy)
    response = client.post(
        reverse("privacy:request_new"), {"kind": "objection", "received_on": "2026-09-01", "person_number": "R-777"}
    )
    assert response.status_code == 302
    r = SubjectRequest.objects.get()
    assert Hold.objects.active().filter(request=r).exists()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("privacy:requests"))
    assert b"overdue" in page.content or b"te laat" in page.content
    with django_assert_max_num_queries(20):
        assert client.get(r.get_absolute_url()).status_code == 200
    client.post(reverse("privacy:request_status", args=[r.pk]), {"to_status": "in_progress"})
    client.post(
        reverse("privacy:request_status", args=[r.pk]), {"to_status": "refused", "outcome": "Zwaarwegend belang."}
    )
    r.refresh_from_db()
    assert r.status == "refused" and not Hold.objects.active().filter(request=r).exists()
    # Unknown person number: a form error, nothing stored.
    response = client.post(
        reverse("privacy:request_new"), {"kind": "access", "received_on": "2026-11-01", "person_number": "NOPE"}
    )
    assert response.status_code == 400


def test_holds_page_places_and_lifts(world, client):
    client.force_login(world.privacy)
    response = client.post(
        reverse("privacy:holds"),
        {"target": "household", "number": str(world.hh_n.pk), "kind": "procedure", "reason": "Zaak"},
    )
    assert response.status_code == 302
    hold = Hold.objects.get()
    assert client.get(reverse("privacy:holds")).status_code == 200
    client.post(reverse("privacy:hold_lift", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.lifted_by == world.privacy
