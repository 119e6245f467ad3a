"""Assessments on the 13 ZRM domains: the service's rules, the history, the chart and the change since intake."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from regie.cases.models import TimelineEntry
from regie.plans.charts import zrm_svg
from regie.plans.models import Assessment
from regie.plans.selectors import assessment_history, assessments_of
from regie.plans.services import assessment_record
from tests.test_plan_support import plan_case, today

pytestmark = pytest.mark.django_db


def test_assessment_records_scores_and_change_since_intake(world):
    case, _ = plan_case(world)
    assessment_record(
        case=case,
        moment="intake",
        scores={"finances": (1, "Schulden"), "housing": (2, "")},
        by=world.pro_n,
        assessed_on=today() - timedelta(days=90),
    )
    assessment_record(
        case=case, moment="evaluation", scores={"finances": (3, "Regeling loopt"), "housing": (2, "")}, by=world.pro_n
    )
    history = assessment_history(assessments_of(case))
    rows = {r.domain: r for r in history.rows}
    assert len(history.rows) == 13
    assert rows["finances"].scores == [1, 3] and rows["finances"].change == 2
    assert rows["housing"].change == 0
    assert rows["justice"].change is None
    assert TimelineEntry.objects.filter(case=case, kind="assessment").count() == 2


def test_second_intake_and_bad_scores_are_refused(world):
    case, _ = plan_case(world)
    assessment_record(case=case, moment="intake", scores={"finances": (2, "")}, by=world.pro_n)
    with pytest.raises(ValidationError) as err:
        assessment_record(case=case, moment="intake", scores={"finances": (3, "")}, by=world.pro_n)
    assert "moment" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        assessment_record(case=case, moment="evaluation", scores={"finances": (6, "")}, by=world.pro_n)
    assert "scores" in err.value.message_dict
    with pytest.raises(ValidationError):
        assessment_record(case=case, moment="evaluation", scores={}, by=world.pro_n)
    assert Assessment.objects.filter(case=case).count() == 1


def test_chart_is_accessible_svg_with_a_bar_per_score(world):
    case, _ = plan_case(world)
    assessment_record(case=case, moment="intake", scores={"finances": (1, ""), "mental": (4, "")}, by=world.pro_n)
    svg = str(zrm_svg(assessment_history(assessments_of(case))))
    assert svg.startswith("<svg") and 'role="img"' in svg and "aria-labelledby" in svg
    assert svg.count("<rect") == 2 + 1  # two bars and one legend swatch
    assert "style=" not in svg  # the CSP forbids inline styles


def test_case_page_shows_chart_table_and_change(client, world):
    case, _ = plan_case(world)
    assessment_record(
        case=case,
        moment="intake",
        scores={"finances": (1, "")},
        by=world.pro_n,
        assessed_on=today() - timedelta(days=30),
    )
    assessment_record(case=case, moment="evaluation", scores={"finances": (4, "")}, by=world.pro_n)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    page = client.get(case.get_absolute_url()).content.decode()
    assert "<svg" in page and "Change since intake" in page and "+3" in page


def test_assessment_form_page(client, world):
    case, _ = plan_case(world)
    client.force_login(world.pro_n)
    url = reverse("plans:assess", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"moment": "intake", "assessed_on": today().isoformat(), "score_finances": "2", "note_finances": "Schulden"},
    )
    assert response.status_code == 302
    score = Assessment.objects.get(case=case).scores.get()
    assert (score.domain, score.score, score.note) == ("finances", 2, "Schulden")
    # Nothing scored: the form comes back with the service's message.
    response = client.post(url, {"moment": "evaluation", "assessed_on": today().isoformat()})
    assert response.status_code == 400


def test_outsiders_cannot_assess(client, world):
    case, _ = plan_case(world)
    url = reverse("plans:assess", args=[case.pk])
    for user in (world.pro_s, world.colleague, world.admin):
        client.force_login(user)
        assert client.get(url).status_code == 404
