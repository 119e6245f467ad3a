"""The read endpoints of evaluation moments and aftercare checks (regie.plans.api_aftercare).

Mounted here under /api/ through a test URLconf, so they are tested before the plan API
registers them; the paths are the same."""

from datetime import timedelta

import pytest
from django.urls import include, path
from django.utils import timezone

from regie.cases import services
from regie.cases.models import Status
from regie.plans import aftercare
from regie.plans.models import AftercareCheck
from tests.factories import open_case

pytestmark = pytest.mark.django_db

urlpatterns = [
    path("api/", include("regie.plans.api_aftercare")),
    path("", include("regie.urls")),
]


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = __name__


def test_evaluations_and_checks_of_a_case(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    aftercare.evaluation_plan(case=case, due=timezone.localdate() + timedelta(days=3), by=world.pro_n)
    case = services.case_transition(case=case, to_status=Status.CLOSED, by=world.pro_n, outcome="resolved")
    aftercare.aftercare_check_record(
        check=AftercareCheck.objects.filter(case=case).first(), result="concern", note="Let op", by=world.pro_n
    )
    client.force_login(world.pro_n)
    evaluations = client.get(f"/api/cases/{case.pk}/evaluations/").json()
    assert [e["state"] for e in evaluations] == ["due"]
    checks = client.get(f"/api/cases/{case.pk}/aftercare-checks/").json()
    assert [(c["result"], c["state"]) for c in checks] == [("concern", "done"), ("", "planned")]
    whole = client.get(f"/api/cases/{case.pk}/aftercare/").json()
    assert whole["closure_assessment"] is None and len(whole["aftercare_checks"]) == 2


def test_the_endpoints_need_to_know(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    for user in (world.pro_s, world.colleague):
        client.force_login(user)
        for tail in ("evaluations", "aftercare-checks", "aftercare"):
            assert client.get(f"/api/cases/{case.pk}/{tail}/").status_code == 404
    client.logout()
    assert client.get(f"/api/cases/{case.pk}/evaluations/").status_code in (401, 403)
