"""Cases made the way a user makes them: through regie.cases.services, then moved back in time.

The services stamp `timezone.now()`; a demo needs a history. So each step runs through its
service and its timestamps (timeline entry, case team, contact) are then set to the step's planned
moment with queryset updates, all before as-of, in the order the steps happened.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from regie.accounts.models import User
from regie.cases import services
from regie.cases.models import Case, CaseMember, Contact, Status, TimelineEntry
from regie.core.demo import case_texts as T
from regie.core.demo.case_plan import Spec, plan_cases
from regie.core.demo.households import Household
from regie.core.demo.names import USERS
from regie.core.demo.texts import CASE_QUESTIONS
from regie.core.vera import CaseRole, HouseholdRole

S = Status
PREFERENCE = {"multi-heavy": 0, "multi": 0, "heavy": 1, "arrears": 2}


def _question(rng: random.Random, h: Household) -> str:
    domains = [d for d in h.domains if d in CASE_QUESTIONS] or ["FINANCES"]
    picked = rng.sample(domains, min(2, len(domains)))
    return " ".join(rng.choice(CASE_QUESTIONS[d]) for d in picked)


def _moments(rng: random.Random, first: date, last: date, count: int) -> list[datetime]:
    """`count` strictly increasing office-hour moments from `first` to `last`; the first on `first`."""
    tz = timezone.get_default_timezone()
    span = max(0, (last - first).days)
    offsets = [0] + sorted(rng.randint(0, span) for _ in range(count - 1))
    out: list[datetime] = []
    for offset in offsets:
        day = first + timedelta(days=offset)
        if day.weekday() >= 5 and day - timedelta(days=day.weekday() - 4) >= first:
            day -= timedelta(days=day.weekday() - 4)  # weekend work is rare: move it to Friday
        moment = datetime.combine(day, time(rng.randint(8, 16), rng.choice((0, 15, 30, 45))), tzinfo=tz)
        if out and moment <= out[-1]:
            moment = out[-1] + timedelta(minutes=rng.randint(5, 20))
        out.append(moment)
    return out


class CaseBuilder:
    def __init__(self, rng: random.Random, as_of: date, users: dict[str, User]):
        self.rng, self.as_of, self.users = rng, as_of, users

    # -- planning ----------------------------------------------------------------------------

    def steps(self, spec: Spec) -> list[tuple]:
        rng = self.rng
        director = spec.first_director or spec.director
        active, steps = {director}, [("open", director)]
        steps.append(("contact", spec.start, director))
        transfer_at = max(0, len(spec.path) // 2 - 1) if spec.first_director else -1
        status, closes = spec.start, iter(spec.outcomes)
        for i, to in enumerate(spec.path):
            for _ in range(rng.randint(0, 2) if status not in (S.SIGNALLED, S.CLOSED) else 0):
                steps.append(("contact", status, director))
            if to == S.CLOSED:
                steps.append(("close", next(closes), director))
            else:
                steps.append(("move", to, director))
            if i == transfer_at:
                steps.append(("transfer", spec.director, "demo-manager" if rng.random() < 0.5 else director))
                if not spec.keep_previous:
                    active.discard(director)
                director = spec.director
                active.add(director)
            if to in (S.PLAN, S.IN_PROGRESS) and rng.random() < 0.5:
                colleagues = [
                    u
                    for u, (_, _, role, _, teams) in USERS.items()
                    if role == "professional" and f"team-{spec.area}" in teams
                ]
                candidates = [u for u in ["demo-manager", *colleagues] if u not in active]
                if candidates:
                    member = rng.choice(candidates)
                    role = (
                        CaseRole.ADVISER
                        if member == "demo-manager"
                        else rng.choice((CaseRole.HANDLER, CaseRole.ADVISER))
                    )
                    steps.append(("member", member, role, director))
                    active.add(member)
            if to != S.CLOSED:
                steps.append(("contact", to, director))
            status = to
        if spec.is_open:
            steps.append(("contact", status, director))
            steps.append(("next", status, director))
        return steps

    def window(self, spec: Spec, successor_opened: date | None) -> tuple[date, date]:
        """The days a case's steps fall on: opened `spec.days` ago, last step before as-of."""
        rng = self.rng
        if successor_opened is not None:  # an old case, closed well before the new one opened
            last = successor_opened - timedelta(days=rng.randint(15, 60))
            return _working_day(last - timedelta(days=rng.randint(20, 90)), later=False), last
        low, high = spec.days
        ago = rng.randint(low, high)
        # Cases open on working days; a weekend moves towards the middle of the range.
        first = _working_day(self.as_of - timedelta(days=ago), later=ago > (low + high) / 2)
        if spec.is_open:
            last = self.as_of - timedelta(days=rng.randint(1, 4))
        else:
            last = self.as_of - timedelta(days=rng.randint(3, max(3, (self.as_of - first).days // 3)))
        return first, max(first, last)

    # -- running -----------------------------------------------------------------------------

    def run(self, spec: Spec, household: Household, first: date, last: date) -> Case:
        rng, users = self.rng, self.users
        steps = self.steps(spec)
        moments = _moments(rng, first, last, len(steps))
        adults = [p for p in household.persons if p.role != HouseholdRole.CHILD]
        case, closed_at, entry_mark, member_mark, contact_times, said = None, None, 0, 0, [], set()
        for step, when in zip(steps, moments, strict=True):
            kind, actor = step[0], users[step[-1]]
            before_members = []
            if kind == "open":
                case = services.case_open(
                    household=household.tenancy,
                    director=users[step[1]],
                    by=users[spec.opened_by],
                    question=_question(rng, household),
                    status=spec.start,
                )
            elif kind == "contact":
                options = [c for c in T.CONTACTS[step[1]] if c[1] not in said] or T.CONTACTS[step[1]]
                channels, summary = rng.choice(options)
                channel = rng.choice(channels.split())
                said.add(summary)
                # A letter or a message goes to the tenant; others in the household join visits and calls.
                persons = adults[:1] + [
                    p for p in adults[1:] if channel in ("BEZ", "BAL", "TEL") and rng.random() < 0.4
                ]
                contact = services.contact_add(
                    case=case,
                    at=min(when, timezone.now()),
                    channel=channel,
                    summary=summary,
                    by=actor,
                    persons=persons,
                    others=rng.choice(T.OTHERS) if channel in ("BEZ", "BAL", "INS") and rng.random() < 0.35 else "",
                )
                Contact.objects.filter(pk=contact.pk).update(at=when)
                contact_times.append(when)
            elif kind == "move":
                note = T.REOPEN_NOTE if case.status == S.CLOSED else T.NOTES.get(step[1], "")
                if case.status == S.EVALUATION and step[1] == S.IN_PROGRESS:
                    note = T.BACK_TO_WORK
                case = services.case_transition(case=case, to_status=step[1], by=actor, note=note)
            elif kind == "close":
                case = services.case_transition(
                    case=case, to_status=S.CLOSED, by=actor, outcome=step[1], outcome_note=T.OUTCOME_NOTES[step[1]]
                )
                closed_at = when
            elif kind == "transfer":
                before_members = list(
                    CaseMember.objects.filter(case=case, removed_at__isnull=True).values_list("pk", flat=True)
                )
                case = services.case_transfer_direction(
                    case=case,
                    to_user=users[step[1]],
                    by=actor,
                    note=rng.choice(T.TRANSFER_NOTES),
                    keep_previous_as_adviser=spec.keep_previous,
                )
            elif kind == "member":
                services.case_member_add(case=case, user=users[step[1]], role=step[2], by=actor)
            elif kind == "next":
                overdue = rng.random() < 0.35
                due = self.as_of + timedelta(days=-rng.randint(1, 21) if overdue else rng.randint(1, 28))
                services.case_next_step_set(case=case, next_step=rng.choice(T.NEXT_STEPS[step[1]]), due=due, by=actor)
            entry_mark = _restamp(TimelineEntry.objects.filter(case=case, pk__gt=entry_mark), "at", when, entry_mark)
            member_mark = _restamp(
                CaseMember.objects.filter(case=case, pk__gt=member_mark), "added_at", when, member_mark
            )
            if before_members:
                CaseMember.objects.filter(pk__in=before_members, removed_at__isnull=False).update(removed_at=when)
        Case.objects.filter(pk=case.pk).update(
            opened_at=moments[0],
            closed_at=closed_at if case.status == S.CLOSED else None,
            last_contact_at=max(contact_times, default=None),
        )
        return case

    def build(self, households: list[Household]) -> list[Case]:
        rng = self.rng
        specs = plan_cases(rng)
        candidates = {}
        for area in ("noord", "zuid"):
            pool = sorted((h for h in households if h.running and h.area == area), key=lambda h: h.tenancy.tenancy_id)
            rng.shuffle(pool)
            pool.sort(key=lambda h: PREFERENCE.get(h.profile, 3))
            candidates[area] = iter(pool)
        # A successor lives in its predecessor's household, and opened after that case closed.
        successors = {id(s.predecessor): s for s in specs if s.predecessor is not None}
        household_of, windows = {}, {}
        for spec in specs:
            if spec.predecessor is None:
                household_of[id(spec)] = next(candidates[spec.area])
            if id(spec) not in successors:
                windows[id(spec)] = self.window(spec, None)
        for spec in specs:
            if spec.predecessor is not None:
                household_of[id(spec)] = household_of[id(spec.predecessor)]
                windows[id(spec.predecessor)] = self.window(spec.predecessor, windows[id(spec)][0])
        # Closed cases come first in the plan, so an old case closes before its household's new one opens.
        return [self.run(spec, household_of[id(spec)], *windows[id(spec)]) for spec in specs]


def _working_day(day: date, *, later: bool) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1 if later else -1)
    return day


def _restamp(queryset, field: str, when: datetime, mark: int) -> int:
    """Set `field` to `when` on the rows a step just made; return the highest pk seen."""
    pks = list(queryset.values_list("pk", flat=True))
    if pks:
        queryset.model.objects.filter(pk__in=pks).update(**{field: when})
    return max(pks, default=mark)
