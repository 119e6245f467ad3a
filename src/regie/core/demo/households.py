"""Tenancies and the people living under them: a running household on most units, some past ones."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from regie.core.demo import names
from regie.core.vera import HouseholdRole
from regie.housing.models import Person, Tenancy, Unit

YEAR = 365.25


@dataclass
class Household:
    """One tenancy with its people, and what the generator decided about its troubles."""

    tenancy: Tenancy
    unit: Unit
    area: str
    persons: list[Person]
    running: bool
    profile: str = "quiet"  # quiet, arrears, heavy, multi
    domains: tuple[str, ...] = ()
    worst: bool = False  # heavy arrears heading for eviction
    arrears: list[tuple[date, int]] = field(default_factory=list)  # (snapshot date, balance in cents)

    @property
    def tenant(self) -> Person:
        return self.persons[0]


def cents(amount: int) -> Decimal:
    return Decimal(amount).scaleb(-2)


def _years_before(day: date, years: float, rng: random.Random) -> date:
    return day - timedelta(days=int(years * YEAR) + rng.randint(0, 364))


class PeopleMaker:
    """Makes persons with running person numbers; one instance per generated corporation."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.count = 0

    def _background(self) -> str:
        keys, weights = zip(*names.BACKGROUND_WEIGHTS, strict=True)
        return self.rng.choices(keys, weights)[0]

    def person(
        self, tenancy: Tenancy, role: str, background: str, birth: date, *, surname=None, female=None, child=False
    ):
        rng = self.rng
        female = rng.random() < 0.5 if female is None else female
        first = rng.choice(names.child_names(female) if child else names.first_names(background, female))
        prefix, last = surname or rng.choice(names.SURNAMES[background])
        self.count += 1
        phone = email = ""
        if not child:
            if rng.random() < 0.85:
                phone = f"06-{rng.randint(10000000, 99999999)}"
            if rng.random() < 0.55:
                local = f"{names.ascii_slug(first)}.{names.ascii_slug(prefix + last)}{rng.randint(1, 99)}"
                email = f"{local}@example.nl"
        return Person(
            person_id=f"R{10000 + self.count:08d}",
            tenancy=tenancy,
            role=role,
            first_name=first,
            name_prefix=prefix,
            last_name=last,
            birth_date=birth,
            phone=phone,
            email=email,
        )

    def household(self, tenancy: Tenancy, on: date) -> tuple[str, list[Person]]:
        """The people on a tenancy as they were on `on`, and the household's display name."""
        rng = self.rng
        background = self._background()
        kind = rng.choices(
            ["single", "couple", "family", "single_parent", "adult_child", "other"],
            [40, 18, 17, 15, 6, 4],
        )[0]
        young = kind in ("family", "single_parent")
        age = rng.uniform(25, 52) if young else rng.uniform(45, 80) if kind == "adult_child" else rng.uniform(20, 86)
        # The tenant signed the contract as an adult.
        born = min(_years_before(on, age, rng), _years_before(tenancy.start_date, 18, rng))
        tenant_is_female = rng.random() < 0.56
        tenant = self.person(tenancy, HouseholdRole.TENANT, background, born, female=tenant_is_female)
        people = [tenant]
        display = names.display_surname(tenant.name_prefix, tenant.last_name)
        if kind in ("couple", "family"):
            partner_bg = background if rng.random() < 0.75 else self._background()
            partner_born = min(born + timedelta(days=rng.randint(-2500, 2500)), _years_before(on, 18, rng))
            partner_female = tenant_is_female if rng.random() < 0.05 else not tenant_is_female
            if kind == "family" or rng.random() < 0.7:
                partner = self.person(tenancy, HouseholdRole.CO_TENANT, partner_bg, partner_born, female=partner_female)
                if partner.last_name != tenant.last_name:
                    display = f"{display}-{names.display_surname(partner.name_prefix, partner.last_name)}"
            else:
                partner = self.person(
                    tenancy, HouseholdRole.CO_RESIDENT, partner_bg, partner_born, female=partner_female
                )
            people.append(partner)
        if young:
            # Children are under 18 and born when the tenant was at least 18.
            oldest = min(17.9, (on - born).days / YEAR - 18)
            for _ in range(min(5 - len(people), rng.choices((1, 2, 3, 4), (40, 35, 18, 7))[0])):
                child_born = on - timedelta(days=int(rng.uniform(0.1, oldest) * YEAR))
                parent = (
                    people[1]
                    if len(people) > 1 and people[1].role != HouseholdRole.CHILD and rng.random() < 0.3
                    else tenant
                )
                surname = (parent.name_prefix, parent.last_name)
                people.append(
                    self.person(tenancy, HouseholdRole.CHILD, background, child_born, surname=surname, child=True)
                )
        if kind == "adult_child":
            child_born = min(born + timedelta(days=int(rng.uniform(20, 38) * YEAR)), _years_before(on, 18, rng))
            surname = (tenant.name_prefix, tenant.last_name)
            people.append(self.person(tenancy, HouseholdRole.CO_RESIDENT, background, child_born, surname=surname))
        if kind == "other":
            people.append(
                self.person(
                    tenancy, HouseholdRole.OTHER_ADULT, self._background(), _years_before(on, rng.uniform(19, 80), rng)
                )
            )
        return display, people


def build_households(rng: random.Random, units: list[Unit], as_of: date) -> list[Household]:
    """A running tenancy on ~95% of units; a past tenancy on the vacant ones and on about a fifth of the rest."""
    maker = PeopleMaker(rng)
    pending: list[tuple[Unit, date, date | None, int]] = []
    for unit in units:
        vacant = rng.random() < 0.05
        rent = rng.randint(45000, 95000)
        if vacant or rng.random() < 0.22:
            end = as_of - timedelta(days=rng.randint(3, 80) if vacant else rng.randint(30, 8 * 365))
            start = end - timedelta(days=rng.randint(365, 20 * 365))
            pending.append((unit, start, end, max(45000, rent - rng.randint(500, 9000))))
            if not vacant:
                pending.append(
                    (unit, min(end + timedelta(days=rng.randint(1, 45)), as_of - timedelta(days=7)), None, rent)
                )
        else:
            years = rng.choice((rng.uniform(0.3, 5), rng.uniform(2, 15), rng.uniform(5, 35)))
            pending.append((unit, as_of - timedelta(days=int(years * YEAR)), None, rent))
    # Contract numbers rise with the start date, as a corporation's own numbering does.
    order = sorted(range(len(pending)), key=lambda i: (pending[i][1], pending[i][0].unit_id))
    households: list[Household | None] = [None] * len(pending)
    for number, i in enumerate(order, start=1001):
        unit, start, end, rent = pending[i]
        tenancy = Tenancy(
            tenancy_id=f"HO{number:07d}", unit=unit, start_date=start, end_date=end, monthly_rent=cents(rent)
        )
        households[i] = Household(tenancy=tenancy, unit=unit, area=unit.area.code, persons=[], running=end is None)
    for household in households:
        display, people = maker.household(household.tenancy, household.tenancy.end_date or as_of)
        household.tenancy.name = display
        household.persons = people
    return households
