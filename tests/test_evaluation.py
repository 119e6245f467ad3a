"""Evaluation moments: planning, done by an evaluation assessment, due on the caseload."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from regie.cases import services
from regie.cases.models import Status
from regie.plans import aftercare
from regie.plans.models import Assessment, Evaluation
from tests.factories import open_case

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def assess(case, by, days, moment=Assessment.Moment.EVALUATION):
    return Assessment.objects.create(case=case, moment=moment, assessed_on=today() + timedelta(days=days), by=by)


def states(case):
    return [(ev.due, ev.state) for ev in aftercare.case_aftercare(case).evaluations]


def test_plan_and_states(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    soon = aftercare.evaluation_plan(case=case, due=today() + timedelta(days=5), by=world.pro_n)
    later = aftercare.evaluation_plan(case=case, due=today() + timedelta(days=60), by=world.pro_n)
    Evaluation.objects.create(case=case, due=today() - timedelta(days=3))
    assert [s for _d, s in states(case)] == ["overdue", "due", "planned"]
    assert {soon.pk, later.pk} <= set(Evaluation.objects.filter(case=case).values_list("pk", flat=True))


def test_plan_is_refused_in_the_past_twice_on_a_day_and_on_a_closed_case(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    with pytest.raises(ValidationError):
        aftercare.evaluation_plan(case=case, due=today() - timedelta(days=1), by=world.pro_n)
    aftercare.evaluation_plan(case=case, due=today() + timedelta(days=9), by=world.pro_n)
    with pytest.raises(ValidationError):
        aftercare.evaluation_plan(case=case, due=today() + timedelta(days=9), by=world.pro_n)
    case = services.case_transition(case=case, to_status=Status.CLOSED, by=world.pro_n, outcome="resolved")
    with pytest.raises(ValidationError):
        aftercare.evaluation_plan(case=case, due=today() + timedelta(days=20), by=world.pro_n)


def test_an_evaluation_assessment_in_its_window_makes_it_done(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    Evaluation.objects.create(case=case, due=today() - timedelta(days=10))
    assess(case, world.pro_n, -18)  # 8 days before: too early, it answers an earlier moment
    assess(case, world.pro_n, 0, moment=Assessment.Moment.INTAKE)  # not an evaluation
    assert states(case)[0][1] == "overdue"
    assess(case, world.pro_n, -17)  # 7 days before: counts
    ev = aftercare.case_aftercare(case).evaluations[0]
    assert ev.state == "done" and ev.done_on == today() - timedelta(days=17)


def test_evaluation_complete_and_settle_store_the_link(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    ev = Evaluation.objects.create(case=case, due=today())
    early = assess(case, world.pro_n, -30)
    with pytest.raises(ValidationError):
        aftercare.evaluation_complete(evaluation=ev, assessment=early, by=world.pro_n)
    assert aftercare.evaluations_settle(assessment=assess(case, world.pro_n, 0, "intake"), by=world.pro_n) is None
    done = aftercare.evaluations_settle(assessment=assess(case, world.pro_n, 1), by=world.pro_n)
    assert done.pk == ev.pk and done.done_at is not None and done.assessment.assessed_on == today() + timedelta(days=1)
    with pytest.raises(ValidationError):
        aftercare.evaluation_cancel(evaluation=done, by=world.pro_n)


def test_cancel_a_planned_evaluation(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    ev = aftercare.evaluation_plan(case=case, due=today() + timedelta(days=3), by=world.pro_n)
    aftercare.evaluation_cancel(evaluation=ev, by=world.pro_n)
    assert not Evaluation.objects.filter(case=case).exists()


def test_due_evaluations_on_the_directors_caseload_only_until_done(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    aftercare.evaluation_plan(case=case, due=today() + timedelta(days=3), by=world.pro_n)
    aftercare.evaluation_plan(case=case, due=today() + timedelta(days=40), by=world.pro_n)  # not due yet
    client.force_login(world.pro_n)
    response = client.get(reverse("cases:caseload"))
    assert [ev.case_id for ev in response.context["due_evaluations"]] == [case.pk]
    assert 'id="due-aftercare-h"' in response.content.decode()
    client.force_login(world.pro_s)
    assert client.get(reverse("cases:caseload")).context["due_evaluations"] == []
    assess(case, world.pro_n, 0)
    client.force_login(world.pro_n)
    assert client.get(reverse("cases:caseload")).context["due_evaluations"] == []


def test_director_plans_an_evaluation_on_the_case_page(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    due = today() + timedelta(days=14)
    response = client.post(reverse("aftercare:evaluation_plan", args=[case.pk]), {"due": due.isoformat()})
    assert response.status_code == 302 and response.url.endswith("#aftercare-h")
    assert Evaluation.objects.filter(case=case, due=due).exists()
    page = client.get(case.get_absolute_url())
    assert [ev.due for ev in page.context["aftercare"].evaluations] == [due]
    bad = client.post(reverse("aftercare:evaluation_plan", args=[case.pk]), {"due": "2001-01-01"})
    assert bad.status_code == 400 and bad.context["form"].errors["due"]


def test_evaluation_views_need_to_know(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    ev = aftercare.evaluation_plan(case=case, due=today() + timedelta(days=14), by=world.pro_n)
    url = reverse("aftercare:evaluation_plan", args=[case.pk])
    data = {"due": (today() + timedelta(days=20)).isoformat()}
    for outsider in (world.pro_s, world.pro_n2, world.mgr_s, world.colleague):
        client.force_login(outsider)
        assert client.post(url, data).status_code == 404
        assert client.post(reverse("aftercare:evaluation_cancel", args=[ev.pk])).status_code == 404
    services.case_member_add(case=case, user=world.pro_n2, role="ADV", by=world.pro_n)
    client.force_login(world.pro_n2)  # on the team, but not steering the case
    assert client.post(url, data).status_code == 403
    client.force_login(world.mgr_n)
    assert client.post(url, data).status_code == 302
    assert client.post(reverse("aftercare:evaluation_cancel", args=[ev.pk])).status_code == 302
    assert list(Evaluation.objects.filter(case=case).values_list("due", flat=True)) == [today() + timedelta(days=20)]
