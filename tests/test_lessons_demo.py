"""The demo's lessons and obstacles: a year of them, every obstacle status, tied to cases,
partners and measures; and the case pages suggest lessons."""

import random
from datetime import date

from regie.learning.models import Lesson, Obstacle
from regie.learning.selectors import suggestions
from regie.mandate.models import Measure
from regie.network.models import Organisation
from regie.plans.models import Goal
from tests.factories import TenancyFactory, open_case


def test_build_learning(world):
    from regie.core.demo.learning import build_learning

    for code in ("incassokosten", "regeling-bevriezen"):
        Measure.objects.create(code=code, name=code, parameter="none")
    Organisation.objects.create(kind="partner", partner_type="debt", name="Kredietbank")
    Organisation.objects.create(kind="partner", partner_type="admin", name="Bewind BV")
    cases = [
        open_case(household=TenancyFactory(unit__area=world.north), director=d) for d in (world.pro_n, world.pro_n2) * 4
    ]
    Goal.objects.create(case=cases[0], domain="finances", text="Schulden", created_by=world.pro_n)
    users = {u.username: u for u in (world.pro_n, world.pro_n2, world.mgr_n, world.admin)}
    today = date.today()
    made = build_learning(rng=random.Random(1), as_of=today, teams={"n": world.team_n}, cases=cases, users=users)
    assert made["lessons"] == Lesson.objects.count() >= 10
    assert made["obstacles"] == Obstacle.objects.count() >= 8
    assert set(Obstacle.objects.values_list("status", flat=True)) == set(Obstacle.Status.values)
    assert all(o.owner == world.mgr_n for o in Obstacle.objects.all())
    assert not Obstacle.objects.filter(status="resolved", resolution="").exists()
    assert Obstacle.objects.filter(cases__isnull=False).exists() and Lesson.objects.filter(cases__isnull=False).exists()
    assert (
        Lesson.objects.filter(partners__isnull=False).exists()
        and Lesson.objects.filter(measures__isnull=False).exists()
    )
    # A year, nothing on or after the reference day, steps after their obstacle was raised.
    dates = [x.created_at.date() for x in Lesson.objects.all()] + [o.raised_at.date() for o in Obstacle.objects.all()]
    assert min(dates) < date.fromordinal(today.toordinal() - 250) and max(dates) < today
    for o in Obstacle.objects.all():
        assert all(s.at >= o.raised_at for s in o.steps.all())
    assert suggestions(cases[0])
