"""The demo's result agreements: each manager agrees targets with each professional in his teams,
for the last half year and for the current year. Progress is not made up: it is computed from the
demo's cases like any other (regie.results.indicators)."""

import random
from datetime import date

from regie.accounts.models import Role
from regie.results import services
from regie.results.models import Indicator, Target

NOTES = [
    "Afgesproken in het functioneringsgesprek.",
    "Nadruk op snel eerste contact na een signaal.",
    "Meer aandacht voor nazorg na afsluiten.",
    "",
]


def _targets(rng: random.Random) -> dict:
    at_least, at_most = Target.Direction.AT_LEAST, Target.Direction.AT_MOST
    targets = {
        Indicator.CASELOAD.value: (at_most, rng.randint(18, 25)),
        Indicator.EVICTIONS_PREVENTED.value: (at_least, rng.randint(1, 3)),
        Indicator.ARREARS_PAID_DOWN.value: (at_least, 500 * rng.randint(4, 12)),
        Indicator.CLOSED_SELF_SUFFICIENT.value: (at_least, rng.randint(2, 5)),
        Indicator.DAYS_TO_CONTACT.value: (at_most, rng.randint(7, 14)),
        Indicator.AFTERCARE_HOLDS.value: (at_least, rng.randint(1, 4)),
    }
    # Not every agreement covers the whole catalogue.
    for key in rng.sample(sorted(targets), k=rng.randint(0, 2)):
        del targets[key]
    return targets


def build_results(*, rng: random.Random, as_of: date, teams, users) -> dict:
    periods = [
        (date(as_of.year - 1, 7, 1), date(as_of.year - 1, 12, 31)),
        (date(as_of.year, 1, 1), date(as_of.year, 12, 31)),
    ]
    made = 0
    people = list(users.values())
    for team in teams.values():
        manager = next((u for u in people if u.role == Role.MANAGER and team in u.teams.all()), None)
        if manager is None:
            continue
        for pro in people:
            if pro.role != Role.PROFESSIONAL or team not in pro.teams.all():
                continue
            for start, end in periods:
                if services.agreements_exist(professional=pro, start=start, end=end):
                    continue
                services.create_agreement(
                    manager=manager,
                    professional=pro,
                    start=start,
                    end=end,
                    note=rng.choice(NOTES),
                    targets=_targets(rng),
                )
                made += 1
    return {"result agreements": made}
