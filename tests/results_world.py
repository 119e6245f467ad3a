"""Helpers to build small hand-computed worlds for the results tests."""

import itertools
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from regie.cases.models import Case, CaseMember, Contact
from regie.housing.models import ArrearsSnapshot, Event
from regie.plans.models import Assessment, AssessmentScore
from regie.signalling.models import DetectionRun, Flag, RuleSet
from tests.factories import TenancyFactory, UnitFactory

_ids = itertools.count(1)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def household(area, name="Huishouden"):
    return TenancyFactory(unit=UnitFactory(area=area), name=name)


def case(hh, director, team, opened: date, closed: date | None = None, outcome: str = "resolved") -> Case:
    c = Case.objects.create(
        household=hh,
        director=director,
        team=team,
        created_by=director,
        opened_at=at(opened),
        closed_at=at(closed) if closed else None,
        status="closed" if closed else "in_progress",
        outcome=outcome if closed else "",
    )
    CaseMember.objects.create(case=c, user=director, role="ZAA")
    return c


def legal(hh, day: date, code="REGIE.DAG") -> Event:
    return Event.objects.create(
        source="INC", event_id=f"E{next(_ids)}", date=day, tenancy=hh, unit=hh.unit, type=code, severity=3
    )


def snap(hh, day: date, balance) -> ArrearsSnapshot:
    return ArrearsSnapshot.objects.create(tenancy=hh, date=day, balance=Decimal(str(balance)))


def assess(c, moment: str, day: date, scores: dict) -> Assessment:
    a = Assessment.objects.create(case=c, moment=moment, assessed_on=day, by=c.director)
    for domain, s in scores.items():
        AssessmentScore.objects.create(assessment=a, domain=domain, score=s)
    return a


def contact(c, day: date) -> Contact:
    return Contact.objects.create(case=c, at=at(day), channel="BEZ", summary="Gesprek", by=c.director)


def flag(hh, as_of: date) -> Flag:
    rules = RuleSet.objects.first() or RuleSet.objects.create(version=1, config={})
    run = DetectionRun.objects.create(as_of=as_of, rule_set=rules, trigger="manual")
    return Flag.objects.create(run=run, tenancy=hh, domains="FINANCES", score=1, multi_problem=False)
