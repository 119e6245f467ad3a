"""Evaluation moments, aftercare checks and recurrences for the demo's cases.

Runs after the cases (and the plans) are made. The case services already planned checks and
marked recurrences, but at the moment the demo ran; the cases were then moved back in time. So
this redoes both from the cases' final dates, relative to as-of: checks due long ago are done
(mostly "it holds", some concerns), recent ones wait on the director's caseload, and a check after
the household's next case opened was answered by that case.
"""

import random
from datetime import date, timedelta

from django.db import models
from django.utils import timezone

from regie.accounts.models import User
from regie.cases.models import Case, Status
from regie.core.demo.clock import office_moment as _moment
from regie.plans.aftercare import DUE_HORIZON_DAYS, NO_AFTERCARE, add_months, aftercare_months, is_recurrence
from regie.plans.models import AftercareCheck, Assessment, Evaluation

# A check due more than this many days before as-of was done; later ones are still open.
DONE_AFTER_DAYS = 10
LEAD_DIRECTORS = ("demo-regisseur", "demo-regisseur2")
NOTES = {
    AftercareCheck.Result.HOLDS: [
        "Huur wordt op tijd betaald, geen nieuwe meldingen.",
        "Huisbezoek: het gaat goed, bewindvoering loopt.",
        "Telefonisch contact, huurder redt het zelf.",
    ],
    AftercareCheck.Result.CONCERN: [
        "Eén maand huur te laat; afgesproken om over zes weken terug te bellen.",
        "Buren melden weer overlast; wijkbeheer houdt een oogje in het zeil.",
    ],
}


def build_aftercare(*, rng: random.Random, as_of: date, cases: list[Case], users: dict[str, User]) -> dict[str, int]:
    ids = [c.pk for c in cases]
    all_cases = list(Case.objects.filter(pk__in=ids).select_related("director").order_by("opened_at", "pk"))
    by_household: dict[int, list[Case]] = {}
    for case in all_cases:
        by_household.setdefault(case.household_id, []).append(case)

    for username in LEAD_DIRECTORS:
        if username in users:
            _age_one_closed_case(rng, as_of, all_cases, by_household, users[username])
    recurrences = _recurrences(by_household)
    checks_due, checks_done = _checks(rng, as_of, all_cases, by_household, users)
    evaluations_due, evaluations_done = _evaluations(rng, as_of, all_cases)
    return {
        "evaluations due": evaluations_due,
        "evaluations done": evaluations_done,
        "aftercare checks due": checks_due,
        "aftercare checks done": checks_done,
        "recurrences": recurrences,
    }


def _age_one_closed_case(rng, as_of, cases, by_household, director: User) -> None:
    """The demo's cases close in the last months before as-of, before a first check falls due; so
    one closed case of each lead director is moved back in time as a whole (its own dates and those
    of every row that points at it), far enough that its first check is due now."""
    first = min(aftercare_months(), default=None)
    mine = [
        c
        for c in cases
        if c.director_id == director.pk
        and c.status == Status.CLOSED
        and c.outcome not in NO_AFTERCARE
        and len(by_household[c.household_id]) == 1
    ]
    if first is None or not mine:
        return
    case = max(mine, key=lambda c: c.closed_at)
    target = add_months(as_of, -first) - timedelta(days=rng.randint(1, 6))
    delta = timezone.localdate(case.closed_at) - target
    if delta.days <= 0:
        return
    _shift(case, delta)
    for field in ("opened_at", "closed_at", "last_contact_at", "next_step_due"):
        if getattr(case, field) is not None:
            setattr(case, field, getattr(case, field) - delta)
    case.save(update_fields=["opened_at", "closed_at", "last_contact_at", "next_step_due"])


def _shift(case: Case, delta: timedelta) -> None:
    """Move every date of the rows that point at the case (timeline, contacts, team, plan, ...) by -delta."""
    for rel in Case._meta.related_objects:
        if not rel.one_to_many or rel.related_model is Case:
            continue
        model = rel.related_model
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateField) and not f.primary_key  # DateTimeField is a DateField too
        ]
        if not fields:
            continue
        for row in model._default_manager.filter(**{rel.field.name: case}).only("pk", *fields):
            changed = [f for f in fields if getattr(row, f) is not None]
            for f in changed:
                setattr(row, f, getattr(row, f) - delta)
            if changed:
                row.save(update_fields=changed)


def _recurrences(by_household: dict[int, list[Case]]) -> int:
    count = 0
    for cases in by_household.values():
        for i, case in enumerate(cases):
            earlier = [c for c in cases[:i] if c.closed_at is not None and c.closed_at <= case.opened_at]
            previous = max(earlier, key=lambda c: c.closed_at, default=None)
            recurrence = (
                previous if previous is not None and is_recurrence(previous.closed_at, case.opened_at) else None
            )
            Case.objects.filter(pk=case.pk).update(recurrence_of=recurrence)
            count += recurrence is not None
    return count


def _checks(rng, as_of, cases, by_household, users) -> tuple[int, int]:
    AftercareCheck.objects.filter(case__in=cases).delete()
    months = aftercare_months()
    made: list[AftercareCheck] = []
    for case in cases:
        if case.status != Status.CLOSED or case.closed_at is None or case.outcome in NO_AFTERCARE:
            continue
        closed_on = timezone.localdate(case.closed_at)
        successor = next((c for c in by_household[case.household_id] if c.opened_at > case.closed_at), None)
        for m in months:
            due = add_months(closed_on, m)
            check = AftercareCheck(case=case, due=due)
            if successor is not None and timezone.localdate(successor.opened_at) <= due:
                # The household came back before the check: the new case answered it.
                check.result, check.done_at, check.done_by_id = (
                    AftercareCheck.Result.REOPENED,
                    successor.opened_at,
                    successor.created_by_id,
                )
            elif (as_of - due).days > DONE_AFTER_DAYS:
                result = AftercareCheck.Result.CONCERN if rng.random() < 0.3 else AftercareCheck.Result.HOLDS
                check.result, check.note = result, rng.choice(NOTES[result])
                check.done_at = _moment(min(as_of, due + timedelta(days=rng.randint(0, 7))), rng)
                check.done_by_id = case.director_id
            made.append(check)
    # Each lead director finds at least one check waiting on his caseload, where the dates allow.
    for username in LEAD_DIRECTORS:
        user = users.get(username)
        mine = [c for c in made if user and c.case.director_id == user.pk]
        if user is None or any(c.done_at is None and c.due <= as_of for c in mine):
            continue
        past = [c for c in mine if c.due <= as_of and c.result != AftercareCheck.Result.REOPENED]
        if past:
            latest = max(past, key=lambda c: c.due)
            latest.result, latest.note, latest.done_at, latest.done_by_id = "", "", None, None
    AftercareCheck.objects.bulk_create(made)
    horizon = as_of + timedelta(days=DUE_HORIZON_DAYS)
    due = sum(c.done_at is None and c.due <= horizon for c in made)
    return due, sum(c.done_at is not None for c in made)


def _evaluations(rng, as_of, cases) -> tuple[int, int]:
    open_cases = [
        c for c in cases if c.status in (Status.PLAN, Status.IN_PROGRESS, Status.EVALUATION, Status.AFTERCARE)
    ]
    assessed: dict[int, list[Assessment]] = {}
    for a in Assessment.objects.filter(case__in=open_cases, moment=Assessment.Moment.EVALUATION).order_by(
        "assessed_on"
    ):
        assessed.setdefault(a.case_id, []).append(a)
    taken = set(Evaluation.objects.filter(assessment__isnull=False).values_list("assessment_id", flat=True))
    due = done = 0
    for case in open_cases:
        # The evaluations held: each evaluation assessment answered a planned moment a few days before.
        for a in assessed.get(case.pk, []):
            if a.pk in taken:
                continue
            Evaluation.objects.create(
                case=case,
                due=a.assessed_on - timedelta(days=rng.randint(0, 5)),
                assessment=a,
                done_at=_moment(a.assessed_on, rng),
            )
            done += 1
        if case.status == Status.EVALUATION and not assessed.get(case.pk):
            day = as_of + timedelta(days=rng.randint(-10, 10))  # the evaluation is now: overdue or this week
        elif case.status == Status.IN_PROGRESS:
            day = as_of + timedelta(days=rng.randint(3, 60))
        elif case.status == Status.PLAN:
            day = as_of + timedelta(days=rng.randint(30, 90))
        else:
            continue
        Evaluation.objects.create(case=case, due=day)
        due += (day - as_of).days <= DUE_HORIZON_DAYS
    return due, done
