"""The personal iCal feed of due actions: one all-day event per action on its due date.

Events carry the action and the address (what the worker needs to plan his day) and a link to the
action in Regie; never the case's question, notes or the household's members.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from regie.accounts.models import Role
from regie.plans.models import Action
from regie.plans.selectors import feed_actions


def _link(user, action: Action) -> str:
    name = "plans:work_item" if user.role == Role.DEPARTMENT else "plans:action"
    return settings.REGIE_BASE_URL + reverse(name, args=[action.pk])


def feed_bytes(user) -> tuple[bytes, list[Action]]:
    actions = feed_actions(user)
    cal = Calendar()
    cal.add("prodid", "-//Regie//acties//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Regie")
    now = timezone.now()
    for action in actions:
        unit = action.case.household.unit
        event = Event()
        event.add("uid", f"regie-action-{action.pk}@{settings.REGIE_BASE_URL.split('//')[-1]}")
        event.add("dtstamp", now)
        event.add("dtstart", action.due)
        event.add("dtend", action.due + timedelta(days=1))
        event.add("summary", action.what[:120])
        event.add("location", f"{unit.address}, {unit.postcode} {unit.city}")
        event.add("description", f"{action.what}\n\n{_link(user, action)}")
        event.add("url", _link(user, action))
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical(), actions
