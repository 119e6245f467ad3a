"""The demo's plans: built through the services on the demo corporation, in every status."""

from datetime import date

import pytest
from django.db.models import Count

from regie.accounts.models import User
from regie.core.demo import generate
from regie.plans.models import Action, Assessment, Goal, PlanSignature

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 15)


def test_build_plans_on_the_demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    counts = generate(seed=7, as_of=AS_OF, units=120)  # the demo builds the plans (build_plans)
    users = {u.username: u for u in User.objects.all()}
    assert counts["assessments"] == Assessment.objects.count() > 10
    # The mandate's decisions add goals of their own ("Besluit: …") for the actions they create.
    assert (
        counts["goals"]
        == Goal.objects.exclude(text__startswith="Besluit:")
        .exclude(text__startswith="Afspraak uit werkoverleg")
        .count()
        > 10
    )
    assert (
        counts["actions"]
        == Action.objects.exclude(goal__text__startswith="Besluit:")
        .exclude(goal__text__startswith="Afspraak uit werkoverleg")
        .count()
        > 20
    )
    assert counts["signed plans"] == PlanSignature.objects.count() > 0
    statuses = set(Action.objects.values_list("status", flat=True))
    assert statuses == {"open", "in_progress", "done", "cancelled"}
    whos = set(Action.objects.values_list("who", flat=True))
    assert {"tenant", "director", "department"} <= whos
    assert Action.objects.filter(department="maintenance", assignee=users["demo-collega"]).exists()
    assert Action.objects.filter(department="collections").exists()
    # Every assessment lies on or before as-of; no case has two intakes.
    assert not Assessment.objects.filter(assessed_on__gt=AS_OF).exists()
    assert (
        not Assessment.objects.filter(moment="intake").values("case").annotate(n=Count("pk")).filter(n__gt=1).exists()
    )
    # Only cases past intake have a plan.
    assert (
        not Goal.objects.exclude(text__startswith="Besluit:")
        .exclude(text__startswith="Afspraak uit werkoverleg")
        .filter(case__status__in=["signalled", "intake"])
        .exists()
    )


def plan_goals():
    """The goals the plan builder made: decisions ("Besluit: …") and team meetings ("Afspraak uit
    werkoverleg") add goals of their own for the actions they create."""
    return Goal.objects.exclude(text__startswith="Besluit:").exclude(text__startswith="Afspraak uit werkoverleg")
