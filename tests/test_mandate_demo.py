"""The demo's mandate: a catalogue with limits, budgets and decisions in every state."""

import random
from datetime import date

from django.core import mail

from regie.mandate.models import Decision, LimitsVersion, Measure
from regie.plans.models import Action
from tests.factories import TenancyFactory, open_case


def test_build_mandate(world, django_capture_on_commit_callbacks):
    from regie.core.demo.mandate import build_mandate

    world.admin.save()
    cases = [open_case(household=TenancyFactory(unit__area=world.north), director=world.pro_n) for _ in range(16)]
    users = {u.username: u for u in (world.pro_n, world.pro_n2, world.mgr_n, world.admin)}
    with django_capture_on_commit_callbacks(execute=True):
        made = build_mandate(
            rng=random.Random(1), as_of=date.today(), teams={"n": world.team_n}, cases=cases, users=users
        )
    assert mail.outbox == []  # the demo mails no one
    assert made["measures"] == Measure.objects.count() == 9
    assert LimitsVersion.objects.count() == 2
    assert set(Decision.objects.values_list("status", flat=True)) == set(Decision.Status.values)
    assert Decision.objects.filter(corrects__isnull=False).exists()
    assert Decision.objects.filter(limits_version__version=1).exists()
    assert Decision.objects.filter(limits_version__version=2).exists()
    assert Decision.objects.filter(required_level="board", status="effective").exists()
    assert Decision.objects.filter(required_level="board", status="pending").exists()
    assert Action.objects.filter(department="collections").exists()
    assert Measure.objects.get(code="regeling-bevriezen").vera_code == "BETALINGSREGELINGSTATUS.BEV"
