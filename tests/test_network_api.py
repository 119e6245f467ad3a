# ruff: noqa: F811 - the shared fixtures are imported from tests.test_network_setup
"""The network API: the directory, a case's consents and referrals through the consent gate, with
the same need-to-know (404 for a case you may not see, 403 for a change you may not make)."""

import pytest
from rest_framework.test import APIClient

from regie.audit.models import AccessLogEntry
from regie.network.models import Consent, Referral
from tests.test_network_setup import TODAY, consent, english, net, refer  # noqa: F401


@pytest.fixture
def api(net):
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def as_user(api, user):
    api.force_authenticate(user)
    return api


def test_directory_search_and_detail(net, api):
    consent(net)
    refer(net)
    as_user(api, net.colleague)
    data = api.get("/api/organisations/", {"q": "alcohol"}).json()
    assert [o["name"] for o in data["results"]] == ["Verslavingszorg Oost"]
    assert data["results"][0]["partner_type"] == "addiction" and data["results"][0]["areas"] == ["noord"]
    assert api.get("/api/organisations/", {"area": "nope"}).status_code == 400
    detail = api.get(f"/api/organisations/{net.addiction.pk}/").json()
    assert detail["people"][0]["name"] == "Mila Hoek" and detail["cases"] == []  # no case content for him
    as_user(api, net.pro_n)
    detail = api.get(f"/api/organisations/{net.addiction.pk}/").json()
    assert [c["case"] for c in detail["cases"]] == [net.case_n.pk]
    assert detail["response_times"]["waiting"] == 1
    as_user(api, net.pro_s)
    assert api.get(f"/api/organisations/{net.addiction.pk}/").json()["cases"] == []


def test_consent_and_referral_through_the_api(net, api):
    as_user(api, net.pro_n)
    base = f"/api/cases/{net.case_n.pk}"
    refer_body = {"organisation": net.addiction.pk, "reason": "Hulp", "shared": "Naam", "domains": ["substance"]}
    response = api.post(f"{base}/referrals/", refer_body, format="json")
    assert response.status_code == 400 and "no consent" in response.json()["consent"][0]
    response = api.post(
        f"{base}/consents/",
        {
            "person": net.tenant_n.pk,
            "organisation": net.addiction.pk,
            "domains": ["substance"],
            "given_on": TODAY.isoformat(),
            "form": "spoken",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["valid_today"] is True
    consent_id = response.json()["id"]
    response = api.post(f"{base}/referrals/", refer_body, format="json")
    assert response.status_code == 201
    r = response.json()
    assert r["consent"] == consent_id and r["status"] == "sent" and r["allowed_next"] == ["accepted", "declined"]
    response = api.post(f"{base}/referrals/{r['id']}/transition/", {"status": "ended"}, format="json")
    assert response.status_code == 400 and "can only move to" in response.json()["status"][0]
    response = api.post(f"{base}/referrals/{r['id']}/transition/", {"status": "accepted"}, format="json")
    assert response.json()["answered_at"] is not None
    assert [e["status"] for e in response.json()["events"]] == ["sent", "accepted"]
    assert api.get(f"{base}/referrals/").json()["count"] == 1
    assert api.get(f"{base}/consents/").json()["results"][0]["form"] == "spoken"
    response = api.post(f"{base}/consents/{consent_id}/withdraw/", {}, format="json")
    assert response.json()["withdrawn_on"] == TODAY.isoformat()
    assert AccessLogEntry.objects.filter(username="pro-n", record_id=str(net.case_n.pk), action="read").exists()


def test_legal_ground_through_the_api(net, api):
    as_user(api, net.pro_n)
    body = {
        "organisation": net.safe_home.pk,
        "reason": "Zorg om de kinderen",
        "shared": "Adres en gezinssamenstelling",
        "domains": ["domestic"],
        "legal_ground": "meldcode",
    }
    response = api.post(f"/api/cases/{net.case_n.pk}/referrals/", body, format="json")
    assert response.status_code == 400 and "legal_justification" in response.json()
    body["legal_justification"] = "Kinderen gezien in onveilige situatie; toestemming vragen brengt ze in gevaar."
    assert api.post(f"/api/cases/{net.case_n.pk}/referrals/", body, format="json").status_code == 201


def test_need_to_know(net, api):
    c = consent(net)
    r = refer(net)
    base = f"/api/cases/{net.case_n.pk}"
    for user in (net.pro_s, net.mgr_s, net.colleague, net.admin, net.privacy):
        as_user(api, user)
        assert api.get(f"{base}/consents/").status_code == 404
        assert api.get(f"{base}/referrals/").status_code == 404
        assert api.post(f"{base}/consents/{c.pk}/withdraw/", {}, format="json").status_code == 404
        assert api.post(f"{base}/referrals/{r.pk}/transition/", {"status": "accepted"}).status_code == 404
    # Everyone who may see a case may add to it (director, case team, the team's manager).
    as_user(api, net.mgr_n)
    assert api.get(f"{base}/referrals/").status_code == 200
    # A case of the other team's consent can't be used here, and an unknown person is refused alike.
    as_user(api, net.pro_n)
    response = api.post(
        f"{base}/consents/",
        {
            "person": net.tenant_s.pk,
            "organisation": net.addiction.pk,
            "domains": ["substance"],
            "given_on": TODAY.isoformat(),
            "form": "written",
        },
        format="json",
    )
    assert response.status_code == 400
    assert Consent.objects.count() == 1 and Referral.objects.count() == 1


def test_schema_lists_the_network_paths(net, api):
    as_user(api, net.pro_n)
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for path in (
        "/api/organisations/",
        "/api/organisations/{id}/",
        "/api/cases/{case_pk}/consents/",
        "/api/cases/{case_pk}/consents/{id}/withdraw/",
        "/api/cases/{case_pk}/referrals/",
        "/api/cases/{case_pk}/referrals/{id}/transition/",
    ):
        assert path in paths, path
    assert paths["/api/cases/{case_pk}/referrals/"]["post"]["tags"] == ["network"]
