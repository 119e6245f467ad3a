"""The personal iCal feed: events for due actions, parsed back with icalendar; a revoked link is 404."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from regie.plans.models import CalendarFeed
from regie.plans.services import calendar_feed_get, calendar_feed_revoke
from tests.test_plan_support import goal_with_actions, plan_case

pytestmark = pytest.mark.django_db


def events(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_director_feed_has_his_due_actions(client, world):
    case, _ = plan_case(world)
    goal, dept, tenant_action = goal_with_actions(case, world.pro_n)
    feed = calendar_feed_get(user=world.pro_n)
    found = {str(e["SUMMARY"]): e for e in events(client.get(reverse("plans:feed", args=[feed.token])))}
    assert set(found) == {dept.what, tenant_action.what}
    assert found[dept.what].decoded("DTSTART") == dept.due
    assert world.hh_n.unit.address in str(found[dept.what]["LOCATION"])
    assert case.question not in client.get(reverse("plans:feed", args=[feed.token])).content.decode()


def test_department_feed_has_only_his_departments_actions(client, world):
    case, _ = plan_case(world)
    goal, dept, tenant_action = goal_with_actions(case, world.pro_n)
    feed = calendar_feed_get(user=world.colleague)
    summaries = [str(e["SUMMARY"]) for e in events(client.get(reverse("plans:feed", args=[feed.token])))]
    assert summaries == [dept.what]


def test_revoked_token_is_404_and_the_new_one_works(client, world):
    old = calendar_feed_get(user=world.pro_n).token
    new = calendar_feed_revoke(user=world.pro_n).token
    assert old != new
    assert client.get(reverse("plans:feed", args=[old])).status_code == 404
    assert client.get(reverse("plans:feed", args=[new])).status_code == 200
    assert client.get(reverse("plans:feed", args=["not-a-token"])).status_code == 404


def test_calendar_page_makes_and_revokes_the_link(client, world):
    client.force_login(world.pro_n)
    url = reverse("plans:calendar")
    assert client.get(url).status_code == 200
    client.post(url)
    token = CalendarFeed.objects.get(user=world.pro_n).token
    assert token in client.get(url).content.decode()
    client.post(url, {"revoke": "1"})
    assert CalendarFeed.objects.get(user=world.pro_n).token != token
    client.force_login(world.admin)
    assert client.get(url).status_code == 404
