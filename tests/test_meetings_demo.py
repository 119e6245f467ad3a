"""The demo's team meetings: a year of case reviews with agendas, advice and decisions on the
case timelines, follow-up actions, and the next review planned with a drafted agenda."""

import random
from datetime import date, timedelta

from django.utils import timezone

from regie.cases.models import Case, EntryKind, TimelineEntry
from regie.meetings.models import AgendaItem, CaseQuestion, Meeting, Rhythm
from regie.plans.models import Action
from tests.factories import TenancyFactory, open_case


def test_build_meetings(world):
    from regie.core.demo.meetings import build_meetings

    as_of = timezone.localdate()
    cases = [open_case(household=TenancyFactory(unit__area=world.north), director=world.pro_n) for _ in range(8)]
    year_ago = timezone.now() - timedelta(days=400)
    Case.objects.filter(pk__in=[c.pk for c in cases[:6]]).update(opened_at=year_ago)
    cases = list(Case.objects.filter(pk__in=[c.pk for c in cases]).select_related("household").order_by("pk"))
    users = {u.username: u for u in (world.pro_n, world.pro_n2, world.mgr_n, world.admin)}
    made = build_meetings(rng=random.Random(1), as_of=as_of, teams={"n": world.team_n}, cases=cases, users=users)

    assert Rhythm.objects.filter(team=world.team_n).count() == 2
    reviews = Meeting.objects.filter(team=world.team_n, kind="review")
    assert reviews.filter(status="closed").count() == 52
    assert reviews.filter(status="planned", starts_at__date__gt=as_of).count() == 1
    assert Meeting.objects.filter(kind="daily").exists()
    first = reviews.order_by("starts_at").first()
    assert (as_of - timezone.localdate(first.starts_at)).days > 350
    assert made["meetings"] == Meeting.objects.count()
    assert AgendaItem.objects.exclude(advice="").count() > 52
    assert TimelineEntry.objects.filter(kind=EntryKind.MEETING, data__change="record").count() > 52
    assert not TimelineEntry.objects.filter(kind=EntryKind.MEETING, at__date__gt=as_of).exists()
    assert made["follow-up actions"] >= 1 and Action.objects.filter(goal__text="Afspraak uit werkoverleg").exists()
    assert CaseQuestion.objects.filter(handled_in__isnull=True).count() == 1
    upcoming = reviews.get(status="planned")
    assert upcoming.items.filter(source="put_forward").count() == 1
    assert date.today() <= timezone.localdate(upcoming.starts_at)
