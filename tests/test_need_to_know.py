"""The need-to-know matrix: each role against its own team's records and another team's, in the
web app. What a user may not see answers 404, exactly like a record that does not exist."""

import re

import pytest
from django.urls import reverse

from regie.audit.models import AccessLogEntry
from tests.factories import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    return {
        "own": open_case(household=world.hh_n, director=world.pro_n),
        "other": open_case(household=world.hh_s, director=world.pro_s),
    }


# role -> (own team's case, other team's case, own area's household, other area's household)
MATRIX = {
    "pro_n": (200, 404, 200, 404),
    "pro_n2": (404, 404, 200, 404),  # same team, but neither director nor on the case team
    "mgr_n": (200, 404, 200, 404),
    "colleague": (404, 404, 404, 404),
    "admin": (404, 404, 404, 404),
    "privacy": (404, 404, 404, 404),
}


@pytest.mark.parametrize("who", MATRIX)
def test_matrix(client, world, cases, who):
    client.force_login(getattr(world, who))
    got = (
        client.get(reverse("cases:detail", args=[cases["own"].pk])).status_code,
        client.get(reverse("cases:detail", args=[cases["other"].pk])).status_code,
        client.get(reverse("housing:household", args=[world.hh_n.pk])).status_code,
        client.get(reverse("housing:household", args=[world.hh_s.pk])).status_code,
    )
    assert got == MATRIX[who]


def test_forbidden_and_missing_look_the_same(client, world, cases):
    client.force_login(world.pro_n)
    forbidden = client.get(reverse("cases:detail", args=[cases["other"].pk]))
    missing = client.get(reverse("cases:detail", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404
    # Identical but for the per-render CSRF mask and the language switch's return path.
    strip = lambda r: re.sub(rb'name="(csrfmiddlewaretoken|next)"( type="hidden")? value="[^"]+"', b"", r.content)  # noqa: E731
    assert strip(forbidden) == strip(missing)


def test_a_refused_read_is_logged_as_denied(client, world, cases):
    client.force_login(world.pro_n)
    client.get(reverse("cases:detail", args=[cases["other"].pk]))
    entry = AccessLogEntry.objects.get(record_type="case", record_id=str(cases["other"].pk), action="read")
    assert (entry.username, entry.outcome, entry.action) == ("pro-n", "denied", "read")


def test_joining_the_case_team_opens_the_case(client, world, cases):
    from regie.cases.services import case_member_add

    client.force_login(world.pro_n2)
    url = reverse("cases:detail", args=[cases["own"].pk])
    assert client.get(url).status_code == 404
    case_member_add(case=cases["own"], user=world.pro_n2, role="ADV", by=world.pro_n)
    assert client.get(url).status_code == 200


def test_team_member_may_contribute_but_not_steer(client, world, cases):
    from regie.cases.services import case_member_add

    case_member_add(case=cases["own"], user=world.pro_n2, role="ADV", by=world.pro_n)
    client.force_login(world.pro_n2)
    page = client.get(reverse("cases:detail", args=[cases["own"].pk])).content.decode()
    assert reverse("cases:contact", args=[cases["own"].pk]) in page
    assert reverse("cases:transition", args=[cases["own"].pk]) not in page
    response = client.post(reverse("cases:transition", args=[cases["own"].pk]), {"status": "intake"})
    assert response.status_code == 403
    cases["own"].refresh_from_db()
    assert cases["own"].status == "signalled"


def test_manager_steers_his_teams_case(client, world, cases):
    client.force_login(world.mgr_n)
    response = client.post(reverse("cases:transition", args=[cases["own"].pk]), {"status": "intake"})
    assert response.status_code == 302
    cases["own"].refresh_from_db()
    assert cases["own"].status == "intake"


def test_caseload_shows_only_visible_cases(client, world, cases):
    client.force_login(world.mgr_s)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert "De Vries" in page and "Jansen" not in page


def test_search_stays_within_the_area(client, world, cases):
    client.force_login(world.pro_n)
    page = client.post(reverse("housing:search"), {"q": "De Vries"}).content.decode()
    assert reverse("housing:household", args=[world.hh_s.pk]) not in page
    assert "0 households found" in page or "0 huishoudens gevonden" in page
    page = client.post(reverse("housing:search"), {"q": "Jansen"}).content.decode()
    assert reverse("housing:household", args=[world.hh_n.pk]) in page


@pytest.mark.parametrize("who", ["colleague", "admin", "privacy"])
def test_roles_without_case_content_get_no_caseload_or_search(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("cases:caseload")).status_code == 404
    assert client.post(reverse("housing:search"), {"q": "Jansen"}).status_code == 404


def test_only_the_privacy_officer_reads_the_access_log(client, world):
    for who, status in [("privacy", 200), ("pro_n", 404), ("mgr_n", 404), ("admin", 404)]:
        client.force_login(getattr(world, who))
        assert client.get(reverse("audit:log")).status_code == status


def test_a_refused_change_is_logged_as_a_denied_update(client, world, cases):
    from rest_framework.test import APIClient

    from regie.cases.services import case_member_add

    case_member_add(case=cases["own"], user=world.pro_n2, role="ADV", by=world.pro_n)
    client.force_login(world.pro_n2)
    assert client.post(reverse("cases:transition", args=[cases["own"].pk]), {"status": "intake"}).status_code == 403
    api = APIClient()
    api.force_authenticate(world.pro_n2)
    url = f"/api/cases/{cases['own'].pk}/transition/"
    assert api.post(url, {"status": "intake"}, format="json").status_code == 403
    refused = AccessLogEntry.objects.filter(record_id=str(cases["own"].pk), action="update", outcome="denied")
    assert sorted(refused.values_list("username", "channel")) == [("pro-n2", "api"), ("pro-n2", "web")]


def test_a_household_outside_the_area_is_visible_through_ones_case(client, world):
    from tests.factories import UserFactory

    case = open_case(household=world.hh_n, director=world.pro_s, by=world.pro_s)
    client.force_login(world.pro_s)
    assert client.get(reverse("housing:household", args=[world.hh_n.pk])).status_code == 200
    other = UserFactory(username="pro-s2", role="professional", teams=[world.team_s])
    client.force_login(other)
    assert client.get(reverse("housing:household", args=[world.hh_n.pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
