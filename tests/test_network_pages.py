# ruff: noqa: F811 - the shared fixtures are imported from tests.test_network_setup
"""The directory pages, the organisation page (only the cases the reader may see), maintenance by
the functional administrator only, and the network panels, forms and document on the case page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from regie.audit.models import AccessLogEntry
from regie.network.models import Consent, ContactPerson, Organisation, Referral
from regie.network.selectors import directory
from tests.test_network_setup import TODAY, consent, english, net, refer  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# -- search ------------------------------------------------------------------------------------


def names(**kwargs) -> set[str]:
    return set(directory(**kwargs).values_list("name", flat=True))


def test_search_on_type_services_and_area(net):
    assert names(q="addiction") == {"Verslavingszorg Oost"}  # the type's label
    assert names(q="alcohol") == {"Verslavingszorg Oost"}  # its services
    assert names(q="schulden") == {"Schuldhulpverlening Zandhoven"}  # a crude stem: schuld
    assert names(q="wie helpt bij verslaving") == {"Verslavingszorg Oost"}  # question words are ignored
    with translation.override("nl"):
        assert names(q="addiction") == {"Verslavingszorg Oost"}  # the English label works in Dutch too
        assert names(q="politie") == set()
    assert names(q="drugs Molenwijk") == {"Verslavingszorg Oost"}  # every word, working area too
    assert names(q="drugs geweld") == set()
    # In an area: those serving it and those serving the whole municipality (no areas set).
    assert names(area=net.south, kind="partner") == {"Schuldhulpverlening Zandhoven", "Veilig Thuis Regio"}
    assert names(partner_type="child") == {"Veilig Thuis Regio"}
    assert names(kind="department") == {"Onderhoud"}


def test_directory_page_for_every_colleague(net, client, django_assert_max_num_queries):
    for user in (net.pro_n, net.colleague, net.admin):
        client.force_login(user)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("network:directory"), {"q": "alcohol"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "Verslavingszorg Oost" in body and "Schuldhulpverlening" not in body
    assert "New organisation" in body  # the administrator's button
    response = client.get(reverse("network:directory"), {"q": "zzz"})
    assert "No organisation matches" in response.content.decode()


def test_organisation_page_shows_only_visible_cases_and_logs_them(net, client, django_assert_max_num_queries):
    consent(net)
    refer(net)
    consent(net, case=net.case_s, person=net.tenant_s, by=net.pro_s)
    refer(net, case=net.case_s, by=net.pro_s)
    url = reverse("network:organisation", args=[net.addiction.pk])
    client.force_login(net.pro_n)
    with django_assert_max_num_queries(16):
        body = client.get(url).content.decode()
    assert "Jansen" in body and "De Vries" not in body
    assert "Mila Hoek" in body and "Measured response times" in body
    assert AccessLogEntry.objects.filter(username="pro-n", record_type="case", record_id=str(net.case_n.pk)).exists()
    assert not AccessLogEntry.objects.filter(username="pro-n", record_id=str(net.case_s.pk)).exists()
    client.force_login(net.mgr_s)
    body = client.get(url).content.decode()
    assert "De Vries" in body and "Jansen" not in body
    # A department colleague sees the organisation, not which households it serves.
    client.force_login(net.colleague)
    body = client.get(url).content.decode()
    assert "Verslavingszorg Oost" in body and "Cases it is engaged in" not in body and "Jansen" not in body


# -- maintenance -------------------------------------------------------------------------------


def test_only_the_administrator_maintains_the_directory(net, client):
    urls = [
        reverse("network:organisation_new"),
        reverse("network:organisation_edit", args=[net.debt.pk]),
        reverse("network:contact_new", args=[net.debt.pk]),
        reverse("network:contact_edit", args=[net.contact.pk]),
    ]
    for user in (net.pro_n, net.mgr_n, net.colleague, net.privacy):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404
            assert client.post(url, {"name": "X"}).status_code == 404
    client.force_login(net.admin)
    for url in urls:
        assert client.get(url).status_code == 200


def test_administrator_adds_changes_and_deactivates(net, client):
    client.force_login(net.admin)
    response = client.post(
        reverse("network:organisation_new"),
        {
            "kind": "partner",
            "partner_type": "mental",
            "name": "GGZ Zandhoven",
            "areas": [net.north.pk],
            "expected_response_days": "14",
            "services": "Ambulante GGZ",
            "is_active": "on",
        },
    )
    org = Organisation.objects.get(name="GGZ Zandhoven")
    assert response.status_code == 302 and list(org.areas.all()) == [net.north]
    # A partner without a type is refused at the field.
    response = client.post(
        reverse("network:organisation_new"), {"kind": "partner", "name": "Zonder type", "expected_response_days": "5"}
    )
    assert response.status_code == 400 and not Organisation.objects.filter(name="Zonder type").exists()
    client.post(
        reverse("network:contact_new", args=[org.pk]),
        {"name": "Dr. Aydin", "function": "Psychiater", "is_active": "on"},
    )
    assert ContactPerson.objects.get(organisation=org).name == "Dr. Aydin"
    data = {"kind": "partner", "partner_type": "mental", "name": "GGZ Zandhoven", "expected_response_days": "14"}
    client.post(reverse("network:organisation_edit", args=[org.pk]), data)  # is_active unticked
    org.refresh_from_db()
    assert not org.is_active and org.areas.count() == 0
    assert "GGZ Zandhoven" not in names()
    assert AccessLogEntry.objects.filter(record_type="organisation", record_id=str(org.pk), username="fb").count() == 3


# -- the case page -----------------------------------------------------------------------------


def test_case_page_shows_the_network_picture_and_table(net, client, django_assert_max_num_queries):
    consent(net, domains=["substance", "finances"])
    consent(net, organisation=net.debt, domains=["finances"])
    r = refer(net, contact=net.contact)
    Referral.objects.filter(pk=r.pk).update(sent_at=r.sent_at - timedelta(days=8))
    client.force_login(net.pro_n)
    body = client.get(net.case_n.get_absolute_url()).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body and 'role="img"' in body
    assert "Who is engaged with the household" in body
    assert "No answer in time" in body and "overdue" in body  # the referral is late
    assert "Consent, not referred" in body  # debt counselling: consent only
    assert reverse("network:referral_new", args=[net.case_n.pk]) in body
    assert "style=" not in body.split('id="network"')[1].split("</section>")[0]  # CSP: no inline styles


def test_referral_through_the_page_is_refused_saying_why(net, client):
    client.force_login(net.pro_n)
    url = reverse("network:referral_new", args=[net.case_n.pk])
    assert client.get(url).status_code == 200
    data = {
        "organisation": net.addiction.pk,
        "reason": "Wil hulp bij drinken",
        "shared": "Naam en telefoon",
        "domains": ["substance"],
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "no consent" in response.content.decode()
    consent(net)
    response = client.post(url, data)
    assert response.status_code == 302 and Referral.objects.filter(case=net.case_n).count() == 1
    # Record the partner's answer from the case page.
    r = Referral.objects.get()
    client.post(reverse("network:referral_status", args=[net.case_n.pk, r.pk]), {"status": "in_progress"})
    r.refresh_from_db()
    assert r.status == "sent"  # refused: not allowed from sent
    client.post(reverse("network:referral_status", args=[net.case_n.pk, r.pk]), {"status": "accepted"})
    r.refresh_from_db()
    assert r.status == "accepted"


def test_other_team_and_other_roles_get_404(net, client):
    consent(net)
    r = refer(net)
    c = Consent.objects.get()
    post_urls = [
        reverse("network:consent_new", args=[net.case_n.pk]),
        reverse("network:consent_withdraw", args=[net.case_n.pk, c.pk]),
        reverse("network:referral_new", args=[net.case_n.pk]),
        reverse("network:referral_status", args=[net.case_n.pk, r.pk]),
    ]
    for user in (net.pro_s, net.mgr_s, net.colleague, net.admin):
        client.force_login(user)
        for url in post_urls:
            assert client.post(url, {"status": "accepted"}).status_code == 404
        assert client.get(reverse("network:consent_document", args=[net.case_n.pk, c.pk])).status_code == 404


def test_consent_with_document_is_served_only_through_the_case(net, client, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        client.force_login(net.pro_n)
        upload = SimpleUploadedFile("toestemming Piet Jansen.pdf", PDF, content_type="application/pdf")
        response = client.post(
            reverse("network:consent_new", args=[net.case_n.pk]),
            {
                "person": net.tenant_n.pk,
                "organisation": net.addiction.pk,
                "domains": ["substance"],
                "given_on": TODAY.isoformat(),
                "form": "written",
                "document": upload,
            },
        )
        assert response.status_code == 302
        c = Consent.objects.get()
        assert "Jansen" not in c.document.name and c.document.name.endswith(".pdf")
        url = reverse("network:consent_document", args=[net.case_n.pk, c.pk])
        assert url in client.get(net.case_n.get_absolute_url()).content.decode()
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert "Jansen" not in response["Content-Disposition"]
        assert AccessLogEntry.objects.filter(action="export", record_id=str(net.case_n.pk)).exists()
        client.force_login(net.pro_s)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["consent.exe", "consent.html"])
def test_consent_document_must_be_pdf_or_photo(net, client, name, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        client.force_login(net.pro_n)
        response = client.post(
            reverse("network:consent_new", args=[net.case_n.pk]),
            {
                "person": net.tenant_n.pk,
                "organisation": net.addiction.pk,
                "domains": ["substance"],
                "given_on": TODAY.isoformat(),
                "form": "written",
                "document": SimpleUploadedFile(name, b"x"),
            },
        )
        assert response.status_code == 400 and not Consent.objects.exists()


def test_withdraw_through_the_page(net, client):
    c = consent(net)
    client.force_login(net.pro_n)
    client.post(reverse("network:consent_withdraw", args=[net.case_n.pk, c.pk]), {"withdrawn_on": TODAY.isoformat()})
    c.refresh_from_db()
    assert c.withdrawn_on == TODAY
