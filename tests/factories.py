"""Factories for tests: synthetic people and places only."""

from datetime import date
from decimal import Decimal

import factory

from regie.accounts.models import Area, Role, Team, User
from regie.cases.models import Case
from regie.housing.models import ArrearsSnapshot, Event, Person, Tenancy, Unit


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Gebied {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    code = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")
    area = factory.SubFactory(AreaFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Medewerker{n}")
    role = Role.PROFESSIONAL
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    unit_id = factory.Sequence(lambda n: f"VHE{n:06d}")
    street = "Teststraat"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "1234 AB"
    city = "Teststad"
    area = factory.SubFactory(AreaFactory)


class TenancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenancy

    tenancy_id = factory.Sequence(lambda n: f"HO{n:07d}")
    unit = factory.SubFactory(UnitFactory)
    start_date = date(2020, 1, 1)
    monthly_rent = Decimal("650.00")
    name = factory.Sequence(lambda n: f"Huishouden {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    person_id = factory.Sequence(lambda n: f"R{n:07d}")
    tenancy = factory.SubFactory(TenancyFactory)
    role = "HUU"
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Bewoner{n}")


class ArrearsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArrearsSnapshot

    tenancy = factory.SubFactory(TenancyFactory)
    date = date(2026, 11, 1)
    balance = Decimal("0")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    source = "WIJ"
    event_id = factory.Sequence(lambda n: f"E{n}")
    date = date(2026, 11, 1)
    tenancy = factory.SubFactory(TenancyFactory)
    unit = factory.LazyAttribute(lambda o: o.tenancy.unit)
    type = "ZAAKTYPEDETAILSOORT.GEL"


def open_case(*, household=None, director, by=None, **kwargs) -> Case:
    """A case opened through the real service, as a user would."""
    from regie.cases.services import case_open

    return case_open(household=household or TenancyFactory(), director=director, by=by or director, **kwargs)
