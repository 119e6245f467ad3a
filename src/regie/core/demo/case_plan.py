"""Which cases the demo holds: 48, in every status, spread over the directors of both teams.

The plan is fixed (only the opener and a few choices vary with the seed), so a demo always has
the same shape: demo-regisseur directs 12 open cases in Noord and demo-regisseur2 10 in Zuid, in
every open status; 10 cases are closed with an outcome, three were re-opened, three changed
director, and two households have an old closed case next to a new one.
"""

import random
from dataclasses import dataclass, field

from regie.cases.models import Outcome, Status

S = Status
MAIN = [S.SIGNALLED, S.INTAKE, S.PLAN, S.IN_PROGRESS, S.EVALUATION, S.AFTERCARE]

# Open cases per area and status; the lead director's share of each status; the rest.
OPEN = {
    "noord": ([3, 3, 3, 5, 3, 3], "demo-regisseur", [2, 2, 2, 2, 2, 2], ["demo-noord-2", "demo-noord-3"]),
    "zuid": ([3, 3, 3, 3, 3, 3], "demo-regisseur2", [2, 2, 2, 2, 1, 1], ["demo-zuid-2", "demo-zuid-3"]),
}
# Five to one colleague, three to the other, alternating.
OTHER_PATTERN = [0, 1, 0, 0, 1, 0, 1, 0]
# Closed cases: (area, closed from, outcome, director).
CLOSED = [
    ("noord", S.SIGNALLED, Outcome.NO_CONTACT, "demo-noord-2"),
    ("noord", S.INTAKE, Outcome.DECLINED, "demo-regisseur"),
    ("noord", S.AFTERCARE, Outcome.RESOLVED, "demo-regisseur"),
    ("noord", S.IN_PROGRESS, Outcome.HANDED_OVER, "demo-noord-3"),
    ("noord", S.AFTERCARE, Outcome.STABLE, "demo-noord-2"),
    ("zuid", S.SIGNALLED, Outcome.DECLINED, "demo-zuid-2"),
    ("zuid", S.AFTERCARE, Outcome.RESOLVED, "demo-regisseur2"),
    ("zuid", S.EVALUATION, Outcome.HANDED_OVER, "demo-zuid-3"),
    ("zuid", S.IN_PROGRESS, Outcome.NO_CONTACT, "demo-regisseur2"),
    ("zuid", S.AFTERCARE, Outcome.STABLE, "demo-zuid-2"),
]


@dataclass
class Spec:
    area: str
    final: str
    director: str
    start: str = S.SIGNALLED
    path: list[str] = field(default_factory=list)  # the statuses it moves through after opening
    outcomes: list[str] = field(default_factory=list)  # one per CLOSED in the path
    first_director: str = ""  # who directed it before direction was passed on
    keep_previous: bool = False
    opened_by: str = ""
    predecessor: "Spec | None" = None  # an earlier, closed case of the same household
    days: tuple[int, int] = (5, 300)  # opened this many days before as-of

    @property
    def is_open(self) -> bool:
        return self.final != S.CLOSED


def _forward(start: str, to: str) -> list[str]:
    return MAIN[MAIN.index(start) + 1 : MAIN.index(to) + 1]


# How long ago cases in each status were opened, in days before as-of.
AGE = {
    S.SIGNALLED: (5, 25),
    S.INTAKE: (10, 60),
    S.PLAN: (25, 100),
    S.IN_PROGRESS: (50, 220),
    S.EVALUATION: (100, 260),
    S.AFTERCARE: (140, 300),
    S.CLOSED: (60, 300),
}


def _find(specs: list[Spec], area: str, final: str, director: str) -> Spec:
    return next(s for s in specs if (s.area, s.final, s.director) == (area, final, director) and not s.path)


def plan_cases(rng: random.Random) -> list[Spec]:
    """The 48 case specs, closed ones first so a household's old case closes before its new one opens."""
    closed, open_ = [], []
    for area, (counts, lead, lead_share, others) in OPEN.items():
        pattern = iter(OTHER_PATTERN)
        for status, count, share in zip(MAIN, counts, lead_share, strict=True):
            for j in range(count):
                director = lead if j < share else others[next(pattern)]
                open_.append(Spec(area=area, final=status, director=director, days=AGE[status]))
    for area, from_status, outcome, director in CLOSED:
        closed.append(Spec(area=area, final=S.CLOSED, director=director, days=AGE[S.CLOSED]))
        closed[-1].path, closed[-1].outcomes = _forward(S.SIGNALLED, from_status) + [S.CLOSED], [outcome]

    # Re-opened: one closed after aftercare and picked up again, one re-opened for a fresh intake,
    # and one re-opened and closed for good.
    spec = _find(open_, "noord", S.IN_PROGRESS, "demo-regisseur")
    spec.path, spec.outcomes = _forward(S.SIGNALLED, S.AFTERCARE) + [S.CLOSED, S.IN_PROGRESS], [Outcome.STABLE]
    spec.days = (230, 300)
    spec = _find(open_, "zuid", S.INTAKE, "demo-regisseur2")
    spec.path, spec.outcomes = [S.INTAKE, S.CLOSED, S.INTAKE], [Outcome.NO_CONTACT]
    spec.days = (120, 200)
    spec = closed[4]
    spec.path = _forward(S.SIGNALLED, S.AFTERCARE) + [S.CLOSED, S.IN_PROGRESS, S.EVALUATION, S.AFTERCARE, S.CLOSED]
    spec.outcomes, spec.days = [Outcome.RESOLVED, Outcome.STABLE], (250, 300)
    # Goals not met at evaluation: back to work, then on.
    for area, director in (("noord", "demo-noord-2"), ("zuid", "demo-zuid-2")):
        spec = _find(open_, area, S.AFTERCARE, director)
        spec.path = _forward(S.SIGNALLED, S.EVALUATION) + [S.IN_PROGRESS, S.EVALUATION, S.AFTERCARE]
    # Direction passed on.
    for area, final, director, first, keep in (
        ("noord", S.EVALUATION, "demo-regisseur", "demo-noord-3", True),
        ("noord", S.PLAN, "demo-noord-2", "demo-regisseur", False),
        ("zuid", S.IN_PROGRESS, "demo-regisseur2", "demo-zuid-3", True),
    ):
        spec = _find(open_, area, final, director)
        spec.first_director, spec.keep_previous = first, keep
        spec.path = _forward(S.SIGNALLED, final)
    # An old closed case next to a new open one in the same household.
    _find(open_, "noord", S.SIGNALLED, "demo-regisseur").predecessor = closed[0]
    _find(open_, "zuid", S.PLAN, "demo-regisseur2").predecessor = closed[5]

    for spec in closed + open_:
        if not spec.path:
            spec.start = S.INTAKE if spec.final != S.SIGNALLED and rng.random() < 0.3 else S.SIGNALLED
            spec.path = _forward(spec.start, spec.final)
        spec.opened_by = "demo-manager" if rng.random() < 0.2 else (spec.first_director or spec.director)
    return closed + open_
