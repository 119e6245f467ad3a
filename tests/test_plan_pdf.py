"""The plan as a PDF in plain Dutch for the tenant (its text extracted and checked), and signing."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from regie.plans import services
from regie.plans.models import PlanSignature
from regie.plans.selectors import plan_digest
from tests.factories import PersonFactory
from tests.test_plan_support import goal_with_actions, plan_case, today

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_has_goals_who_when_and_contact_in_dutch(client, world):
    world.pro_n.first_name, world.pro_n.last_name, world.pro_n.email = "Sanne", "de Wit", "sanne@example.nl"
    world.pro_n.save()
    case, tenant = plan_case(world)
    goal, dept, tenant_action = goal_with_actions(case, world.pro_n)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"  # the PDF is Dutch whatever the reader's language
    response = client.get(reverse("plans:pdf", args=[case.pk]))
    assert 'filename="plan-van-aanpak-' in response["Content-Disposition"]
    text = pdf_text(response)
    for expected in (
        "Uw plan van aanpak",
        goal.text,
        dept.what,
        "De afdeling Onderhoud",
        "U zelf",
        dept.due.strftime("%d-%m-%Y"),
        "Sanne de Wit",
        "sanne@example.nl",
        "Uw contactpersoon",
        "Wonen",
    ):
        assert expected in text, expected
    assert case.question not in text


def test_signing_records_date_digest_and_changes_since(client, world):
    case, tenant = plan_case(world)
    goal, dept, tenant_action = goal_with_actions(case, world.pro_n)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    day = today() - timedelta(days=1)
    response = client.post(reverse("plans:sign", args=[case.pk]), {"person": tenant.pk, "signed_on": day.isoformat()})
    assert response.status_code == 302
    signature = PlanSignature.objects.get(case=case)
    assert (signature.person, signature.signed_on, signature.digest) == (tenant, day, plan_digest(case))
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Unchanged since signing" in page
    services.action_update(action=dept, by=world.pro_n, what=dept.what, due=dept.due + timedelta(days=7))
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Changed since it was signed" in page
    text = pdf_text(client.get(reverse("plans:pdf", args=[case.pk])))
    assert f"ondertekend op {day.strftime('%d-%m-%Y')}" in text


def test_only_the_tenant_or_co_tenant_signs(world):
    case, tenant = plan_case(world)
    goal_with_actions(case, world.pro_n)
    child = PersonFactory(tenancy=world.hh_n, role="KIN")
    with pytest.raises(ValidationError):
        services.plan_sign(case=case, person=child, signed_on=today(), by=world.pro_n)
    stranger = PersonFactory(role="HUU")
    with pytest.raises(ValidationError):
        services.plan_sign(case=case, person=stranger, signed_on=today(), by=world.pro_n)
