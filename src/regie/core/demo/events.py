"""Reports and collection steps: clustered on the multi-problem households, sparse elsewhere."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from regie.core.demo.texts import EVENT_TEXTS
from regie.housing.models import Event, Unit

if TYPE_CHECKING:
    from regie.core.demo.households import Household

# The kinds of report per problem domain (DETECTION.md), with who records them and how serious
# they usually are: (type, sources, severities, weight).
BEHAVIOUR = [
    ("ZAAKTYPEDETAILSOORT.GEL", ("KCC", "WIJ", "HUU"), (1, 1, 2), 10),
    ("ZAAKTYPEDETAILSOORT.RUZ", ("KCC", "WIJ"), (1, 2, 2), 6),
    ("ZAAKTYPEDETAILSOORT.AGR", ("KCC", "POL"), (2, 3), 3),
    ("ZAAKTYPEDETAILSOORT.STA", ("WIJ", "HUU"), (1, 2), 2),
    ("ZAAKTYPEDETAILSOORT.DIE", ("KCC", "WIJ"), (1, 1, 2), 2),
    ("ZAAKTYPEDETAILSOORT.VAN", ("WIJ",), (1, 2), 2),
    ("ZAAKTYPEDETAILSOORT.DRU", ("POL",), (3,), 1),
    ("ZAAKTYPEDETAILSOORT.HEN", ("POL",), (3,), 1),
    ("SIGNALERINGDETAILSOORT.AGS", ("KCC",), (2,), 2),
    ("SIGNALERINGDETAILSOORT.VEB", ("KCC", "WIJ"), (2,), 2),
    ("SIGNALERINGDETAILSOORT.FYS", ("WIJ",), (3,), 1),
    ("SIGNALERINGDETAILSOORT.SCH", ("KCC",), (2,), 1),
]
LIVEABILITY = [
    ("ZAAKTYPEDETAILSOORT.VUI", ("WIJ", "OHD"), (1, 2, 2), 6),
    ("ZAAKTYPEDETAILSOORT.ONG", ("OHD", "KCC"), (1, 2), 4),
    ("SIGNALERINGDETAILSOORT.VER", ("WIJ", "OHD"), (2, 3), 3),
    ("REGIE.VWL", ("OHD", "WIJ"), (2, 3), 3),
    ("ZAAKTYPEDETAILSOORT.KLI", ("WIJ",), (1,), 2),
    ("ZAAKTYPEDETAILSOORT.ONV", ("WIJ",), (1, 2), 1),
]
CARE = [
    ("ZAAKTYPEDETAILSOORT.PSY", ("PAR",), (2, 3), 4),
    ("ZAAKTYPEDETAILSOORT.VER", ("PAR",), (2, 2, 3), 3),
    ("REGIE.ZRG", ("PAR",), (1, 2, 3), 5),
]
# What an ordinary household reports or meets now and then over two years.
EVERYDAY = [
    ("REGIE.GTO", ("OHD",), (1,), 10),
    ("ZAAKTYPEDETAILSOORT.GEL", ("KCC", "HUU", "WIJ"), (1,), 8),
    ("ZAAKTYPEDETAILSOORT.ONG", ("OHD", "KCC"), (1,), 5),
    ("ZAAKTYPEDETAILSOORT.OVE", ("KCC", "HUU"), (1,), 6),
    ("ZAAKTYPEDETAILSOORT.HUR", ("HUU", "KCC"), (1,), 4),
    ("ZAAKTYPEDETAILSOORT.KLI", ("WIJ",), (1,), 3),
    ("ZAAKTYPEDETAILSOORT.DIE", ("KCC",), (1,), 2),
    ("ZAAKTYPEDETAILSOORT.RUZ", ("KCC",), (1,), 2),
    ("ZAAKTYPEDETAILSOORT.VUI", ("WIJ",), (1,), 2),
]
VACANT = [
    ("ZAAKTYPEDETAILSOORT.VUI", ("WIJ",), (1, 2), 3),
    ("ZAAKTYPEDETAILSOORT.VAN", ("WIJ", "POL"), (1, 2), 2),
    ("ZAAKTYPEDETAILSOORT.ONG", ("OHD",), (1,), 1),
]
ID_PREFIX = {"INC": "INC-", "OHD": "OH", "WIJ": "WB-", "KCC": "KCC", "PAR": "PAR-", "POL": "POL-", "HUU": "WEB"}


@dataclass
class Draft:
    day: date
    source: str
    type: str
    severity: int
    household: Household | None
    unit: Unit
    description: str


class Drafts:
    """Events before they get their numbers; dates outside the two years up to as-of are dropped."""

    def __init__(self, rng: random.Random, as_of: date):
        self.rng, self.as_of = rng, as_of
        self.first = as_of - timedelta(days=730)
        self.items: list[Draft] = []

    def add(self, day: date, source: str, type_: str, severity: int, household=None, unit=None) -> None:
        unit = unit or household.unit
        if household is not None:
            lo, hi = household.tenancy.start_date, household.tenancy.end_date or self.as_of
        else:
            lo, hi = self.first, self.as_of
        if not (max(lo, self.first) <= day <= min(hi, self.as_of)):
            return
        text = self.rng.choice(EVENT_TEXTS[type_])
        self.items.append(Draft(day, source, type_, severity, household, unit, text))

    def pick(self, kinds, day: date, household=None, unit=None) -> None:
        type_, sources, severities, _ = self.rng.choices(kinds, [k[3] for k in kinds])[0]
        self.add(day, self.rng.choice(sources), type_, self.rng.choice(severities), household, unit)

    def days_ago(self, low: int, high: int) -> date:
        return self.as_of - timedelta(days=self.rng.randint(low, high))

    def events(self) -> list[Event]:
        """Number each source's events in date order, as each system would."""
        order = sorted(
            self.items,
            key=lambda d: (
                d.day,
                d.source,
                d.unit.unit_id,
                d.type,
                d.household.tenancy.tenancy_id if d.household else "",
            ),
        )
        counters: dict[str, int] = {}
        out = []
        for d in order:
            counters[d.source] = counters.get(d.source, 0) + 1
            out.append(
                Event(
                    source=d.source,
                    event_id=f"{ID_PREFIX[d.source]}{d.day.year}{counters[d.source]:06d}",
                    date=d.day,
                    tenancy=d.household.tenancy if d.household else None,
                    unit=d.unit,
                    type=d.type,
                    severity=d.severity,
                    description=d.description,
                )
            )
        return out


def domain_events(rng: random.Random, h: Household, drafts: Drafts) -> None:
    """The non-financial troubles of a multi-problem household, recent enough for the rules to see."""
    if "BEHAVIOUR" in h.domains:
        for _ in range(rng.randint(2, 6)):
            drafts.pick(BEHAVIOUR, drafts.days_ago(1, 170), h)
        for _ in range(rng.randint(0, 3)):  # an older history of complaints
            drafts.pick(BEHAVIOUR, drafts.days_ago(180, 700), h)
    if "LIVEABILITY" in h.domains:
        if rng.random() < 0.5:
            for _ in range(rng.randint(2, 3)):
                drafts.add(drafts.days_ago(5, 350), "OHD", "REGIE.GTO", 1, h)
        for _ in range(rng.randint(1, 3)):
            drafts.pick(LIVEABILITY, drafts.days_ago(1, 340), h)
    if "CARE" in h.domains:
        for _ in range(rng.randint(1, 3)):
            drafts.pick(CARE, drafts.days_ago(1, 330), h)


def everyday_events(rng: random.Random, h: Household, drafts: Drafts) -> None:
    for _ in range(rng.choices((0, 1, 2, 3, 4, 5), (20, 22, 20, 16, 12, 10))[0]):
        drafts.pick(EVERYDAY, drafts.days_ago(0, 729), h)


def past_tenancy_events(rng: random.Random, h: Household, drafts: Drafts, vacant: bool) -> None:
    """Damage found at the end of a tenancy; reports on an empty unit belong to no household."""
    end = h.tenancy.end_date
    if rng.random() < 0.3:
        drafts.add(end, "OHD", "SIGNALERINGDETAILSOORT.MUT", rng.choice((1, 2)), h)
    if vacant:
        for _ in range(rng.randint(0, 2)):
            day = end + timedelta(days=rng.randint(1, max(1, (drafts.as_of - end).days)))
            drafts.pick(VACANT, day, None, h.unit)
