"""Art. 15 export: everything about one person and who accessed it, nothing of another household."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse

from regie.audit.models import AccessLogEntry
from regie.audit.services import access_record
from regie.privacy.export import SCHEMA_VERSION, export_pdf_bytes, subject_export
from regie.privacy.services import request_create
from tests.factories import PersonFactory
from tests.privacy_helpers import SECRET, full_case


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def two(world):
    case, person, _ = full_case(household=world.hh_n, director=world.pro_n, closed_on=date(2026, 6, 1))
    other_case, other, _ = full_case(
        household=world.hh_s,
        director=world.pro_s,
        closed_on=None,
        person=PersonFactory(tenancy=world.hh_s, first_name="Klaas", last_name="Vaak", phone="0699999999"),
    )
    access_record(user=world.mgr_n, action="read", record_type="case", record_ids=[case.pk], purpose="supervision")
    return case, person, other_case, other


def test_export_holds_the_person_his_cases_and_who_looked(world, two):
    case, person, other_case, other = two
    data = subject_export(world.privacy, person)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["person"]["last_name"] == "Puk" and data["person"]["phone"] == "0612345678"
    assert data["household"]["id"] == world.hh_n.pk
    assert [c["id"] for c in data["cases"]] == [case.pk]
    c = data["cases"][0]
    assert c["question"] == SECRET and c["contacts"][0]["took_part"] is True
    assert c["goals"][0]["actions"][0]["what"] == SECRET
    assert c["assessments"][0]["scores"][0]["score"] == 2
    assert c["consents"][0]["has_document"] is True and c["referrals"][0]["reason"] == SECRET
    assert data["events"][0]["description"] == SECRET and data["arrears"][0]["balance"] == "300.00"
    who = {(e["user"], e["role"], e["record_type"]) for e in data["access_log"]}
    assert ("mgr-n", "manager", "case") in who and ("pro-n", "professional", "case") in who
    # Nothing of the other household.
    text = json.dumps(data)
    assert "Vaak" not in text and "0699999999" not in text
    assert all(not (e["record_type"] == "case" and e["record_id"] == str(other_case.pk)) for e in data["access_log"])
    assert all(e["record_id"] != str(world.hh_s.pk) or e["record_type"] != "household" for e in data["access_log"])


def test_export_is_404_for_everyone_but_the_privacy_officer(world, two):
    _, person, _, _ = two
    for user in (world.pro_n, world.mgr_n, world.admin, world.colleague):
        with pytest.raises(Http404):
            subject_export(user, person)


def test_pdf_is_a_real_pdf_with_the_data(world, two):
    from pypdf import PdfReader

    _, person, _, _ = two
    pdf = export_pdf_bytes(subject_export(world.privacy, person))
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Uw gegevens in Regie" in text and "Puk" in text and "mgr-n (leidinggevende)" in text and "Vaak" not in text


def test_download_from_the_request_is_logged(world, two, client):
    case, person, _, _ = two
    r = request_create(kind="access", received_on=date(2026, 11, 20), person=person, by=world.privacy)
    client.force_login(world.privacy)
    response = client.get(reverse("privacy:request_export", args=[r.pk, "json"]))
    assert response.status_code == 200 and "Puk" not in response["Content-Disposition"]
    assert json.loads(response.content)["person"]["person_id"] == person.person_id
    assert AccessLogEntry.objects.filter(action="export", record_type="person", record_id=str(person.pk)).exists()
    assert AccessLogEntry.objects.filter(action="export", record_type="case", record_id=str(case.pk)).exists()
    pdf = client.get(reverse("privacy:request_export", args=[r.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_command_writes_json_and_pdf(world, two, tmp_path):
    _, person, _, _ = two
    call_command("subject-export", str(person.pk), "--out", str(tmp_path), "--as", world.privacy.username)
    files = sorted(p.name for p in tmp_path.glob("persoon-*"))
    assert files == [f"persoon-{person.pk}.json", f"persoon-{person.pk}.pdf"]
    assert AccessLogEntry.objects.filter(
        action="export", record_type="person", record_id=str(person.pk), channel="cli"
    ).exists()
