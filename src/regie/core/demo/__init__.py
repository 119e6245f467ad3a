"""A synthetic demo corporation, the same for the same seed and as-of date.

`generate()` fills an empty database: two areas with a team each, the demo accounts, ~2,000
units with their households, two years of rent-ledger snapshots, thousands of reports and
collection steps clustered on the multi-problem households, and 48 cases made through the case
services. Everything is invented; e-mail addresses are at example.nl.
"""

import random
from datetime import date

from regie.cases.models import Case, Contact
from regie.core.demo.arrears import assign_profiles, build_arrears, collection_steps
from regie.core.demo.cases import CaseBuilder
from regie.core.demo.events import Drafts, domain_events, everyday_events, past_tenancy_events
from regie.core.demo.households import build_households
from regie.core.demo.names import DEMO_PASSWORD, USERS
from regie.core.demo.units import build_units
from regie.core.demo.users import build_organisation
from regie.housing.models import ArrearsSnapshot, Event, Person, Tenancy, Unit

__all__ = ["DEMO_PASSWORD", "DEMO_USERNAMES", "MIN_UNITS", "generate"]

DEMO_USERNAMES = tuple(USERS)
MIN_UNITS = 100  # below this there are too few households for the demo's 48 cases
BATCH = 2000


def generate(*, seed: int, as_of: date, units: int) -> dict[str, int]:
    """Create the demo corporation in the current (empty) database; return what was made."""
    rng = random.Random(seed)
    areas, teams, users = build_organisation()

    unit_list = build_units(rng, units, areas)
    Unit.objects.bulk_create(unit_list, batch_size=BATCH)
    households = build_households(rng, unit_list, as_of)
    households.sort(key=lambda h: h.tenancy.tenancy_id)
    Tenancy.objects.bulk_create([h.tenancy for h in households], batch_size=BATCH)
    Person.objects.bulk_create([p for h in households for p in h.persons], batch_size=BATCH)

    assign_profiles(rng, households)
    ArrearsSnapshot.objects.bulk_create(build_arrears(rng, households, as_of), batch_size=BATCH)

    drafts = Drafts(rng, as_of)
    occupied = {h.unit.unit_id for h in households if h.running}
    for h in households:
        if not h.running:
            past_tenancy_events(rng, h, drafts, vacant=h.unit.unit_id not in occupied)
            continue
        collection_steps(rng, h, drafts)
        if h.profile.startswith("multi"):
            domain_events(rng, h, drafts)
        everyday_events(rng, h, drafts)
    Event.objects.bulk_create(drafts.events(), batch_size=BATCH)

    cases = CaseBuilder(rng, as_of, users).build(households)
    return {
        "areas": len(areas),
        "teams": len(teams),
        "demo accounts": len(users),
        "units": len(unit_list),
        "running tenancies": sum(h.running for h in households),
        "ended tenancies": sum(not h.running for h in households),
        "persons": sum(len(h.persons) for h in households),
        "arrears snapshots": ArrearsSnapshot.objects.count(),
        "events": Event.objects.count(),
        "cases": len(cases),
        "open cases": Case.objects.open().count(),
        "contacts": Contact.objects.count(),
    }
