"""Helpers for the plan's tests (no tests here): a case with a plan made through the services."""

from datetime import timedelta

from django.utils import timezone

from regie.plans import services
from tests.factories import PersonFactory, open_case


def today():
    return timezone.localdate()


def plan_case(world, *, director=None):
    """A case of hh_n directed by pro_n, with a tenant who has a phone and e-mail."""
    director = director or world.pro_n
    case = open_case(household=world.hh_n, director=director, question="Geheime vraag over mijn schulden")
    tenant = PersonFactory(
        tenancy=world.hh_n,
        role="HUU",
        first_name="Anna",
        last_name="Jansen",
        phone="06-12345678",
        email="anna@example.nl",
    )
    return case, tenant


def goal_with_actions(case, by):
    goal = services.goal_add(
        case=case,
        domain="housing",
        text="Ik wil dat de schimmel weg is",
        by=by,
        target_date=today() + timedelta(days=60),
    )
    dept = services.action_add(
        goal=goal,
        what="Schimmel in badkamer verhelpen",
        who="department",
        department="maintenance",
        due=today() + timedelta(days=5),
        by=by,
    )
    tenant = services.action_add(
        goal=goal, what="Elke dag ventileren", who="tenant", due=today() - timedelta(days=2), by=by
    )
    return goal, dept, tenant
