"""A synthetic demo corporation, the same for the same seed and as-of date.

`generate()` fills an empty database: two areas with a team each, the demo accounts, ~2,000
units with their households, two years of rent-ledger snapshots, thousands of reports and
collection steps clustered on the multi-problem households, and 48 cases made through the case
services. Everything is invented; e-mail addresses are at example.nl.

The corporation's own data (units, tenancies, persons, arrears, events) is not written to the
database directly: it is written as the export files a corporation sends (`files.py`) and loaded
through the import, as a real corporation's data is. The organisation (areas, teams, accounts and
which district belongs to which area) comes first, so the import gives every unit its area; the
cases come last, through the case services.
"""

import random
import tempfile
from datetime import date
from pathlib import Path

from regie.cases.models import Case, Contact
from regie.core.demo.aftercare import build_aftercare
from regie.core.demo.arrears import assign_profiles, build_arrears, collection_steps
from regie.core.demo.cases import CaseBuilder
from regie.core.demo.events import Drafts, domain_events, everyday_events, past_tenancy_events
from regie.core.demo.files import write_files
from regie.core.demo.households import build_households
from regie.core.demo.learning import build_learning
from regie.core.demo.loading import DemoImportError, attach_saved, import_files
from regie.core.demo.mandate import build_mandate
from regie.core.demo.meetings import build_meetings
from regie.core.demo.names import DEMO_PASSWORD, USERS
from regie.core.demo.network import build_network
from regie.core.demo.plans import build_plans
from regie.core.demo.privacy import build_privacy
from regie.core.demo.results import build_results
from regie.core.demo.units import build_units
from regie.core.demo.users import build_district_map, build_organisation
from regie.housing.models import ArrearsSnapshot, Event, Unit

__all__ = ["DEMO_PASSWORD", "DEMO_USERNAMES", "MIN_UNITS", "DemoImportError", "generate"]

DEMO_USERNAMES = tuple(USERS)
MIN_UNITS = 100  # below this there are too few households for the demo's 48 cases


def generate(*, seed: int, as_of: date, units: int, folder: Path | None = None) -> dict[str, int]:
    """Create the demo corporation in the current (empty) database; return what was made.

    The export files are written to `folder` (kept, to look at or to upload again in the web
    app) or, without one, to a temporary folder that is removed afterwards.
    """
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="regie-demo-") as tmp:
            return _generate(seed=seed, as_of=as_of, units=units, folder=Path(tmp))
    return _generate(seed=seed, as_of=as_of, units=units, folder=folder)


def _generate(*, seed: int, as_of: date, units: int, folder: Path) -> dict[str, int]:
    rng = random.Random(seed)
    areas, teams, users = build_organisation()
    build_district_map(areas)

    unit_list = build_units(rng, units, areas)
    households = build_households(rng, unit_list, as_of)
    households.sort(key=lambda h: h.tenancy.tenancy_id)

    assign_profiles(rng, households)
    arrears = build_arrears(rng, households, as_of)

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
    events = drafts.events()

    paths = write_files(folder, units=unit_list, households=households, arrears=arrears, events=events)
    warnings = import_files(paths)
    attach_saved(households)

    cases = CaseBuilder(rng, as_of, users).build(households)
    # The network first (partner actions need a referral), then plans, then aftercare (which moves
    # one closed case per director back in time so its checks are due).
    # Fresh from the database: the case builder back-dates its cases with update(), which leaves
    # the objects it returns holding the clock's time.
    cases = list(
        Case.objects.filter(pk__in=[c.pk for c in cases]).select_related("household__unit", "director").order_by("pk")
    )
    extra = build_network(rng=rng, as_of=as_of, areas=areas, cases=cases, users=users)
    extra |= build_plans(rng=rng, as_of=as_of, cases=cases, users=users)
    extra |= build_aftercare(rng=rng, as_of=as_of, cases=cases, users=users)
    # Aftercare moves some closed cases back in time: read them again for what follows.
    cases = list(
        Case.objects.filter(pk__in=[c.pk for c in cases]).select_related("household__unit", "director").order_by("pk")
    )
    extra |= build_mandate(rng=rng, as_of=as_of, teams=teams, cases=cases, users=users)
    extra |= build_learning(rng=rng, as_of=as_of, teams=teams, cases=cases, users=users)
    extra |= build_meetings(rng=rng, as_of=as_of, teams=teams, cases=cases, users=users)
    extra |= build_results(rng=rng, as_of=as_of, teams=teams, users=users)
    # Last: the privacy officer's material reads what the others made, and seals the access log.
    extra |= build_privacy(rng=rng, as_of=as_of, users=users)
    return {
        "areas": len(areas),
        "teams": len(teams),
        "demo accounts": len(users),
        "units": Unit.objects.count(),
        "running tenancies": sum(h.running for h in households),
        "ended tenancies": sum(not h.running for h in households),
        "persons": sum(len(h.persons) for h in households),
        "arrears snapshots": ArrearsSnapshot.objects.count(),
        "events": Event.objects.count(),
        "cases": len(cases),
        "open cases": Case.objects.open().count(),
        "contacts": Contact.objects.count(),
        "import warnings": warnings,
        **extra,
    }
