"""The demo's plans: ZRM assessments, goals in the tenant's words and actions for the tenant, the
director and the departments, in every status; some plans signed. Made through regie.plans.services
and then moved back in time (as the case builder does), so the history lies before as-of.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from regie.accounts.models import User
from regie.cases.models import Case, Status, TimelineEntry
from regie.core.demo.clock import office_moment as _at
from regie.plans import services
from regie.plans.models import Action, ActionUpdate, Assessment, Goal, PlanSignature, ZrmDomain

S = Status
PAST_INTAKE = (S.PLAN, S.IN_PROGRESS, S.EVALUATION, S.AFTERCARE)
LATER = (S.EVALUATION, S.AFTERCARE)

# Goals in the tenant's own words, per domain.
GOALS = {
    "finances": [
        "Ik wil van mijn schulden af.",
        "Ik wil elke maand mijn huur op tijd betalen.",
        "Ik wil weten wat er binnenkomt en wat eruit gaat.",
    ],
    "housing": [
        "Ik wil dat de schimmel in de badkamer weg is.",
        "Ik wil mijn huis weer netjes hebben.",
        "Ik wil hier blijven wonen.",
    ],
    "domestic": ["Ik wil minder ruzie thuis.", "Ik wil dat de kinderen rust hebben."],
    "mental": ["Ik wil me minder somber voelen.", "Ik wil weer hulp voor mijn hoofd."],
    "substance": ["Ik wil minder drinken.", "Ik wil stoppen met blowen."],
    "network": ["Ik wil beter omgaan met de buren.", "Ik wil iemand hebben die ik kan bellen."],
    "time_use": ["Ik wil overdag iets te doen hebben."],
    "instr_adl": ["Ik wil mijn post weer zelf bijhouden."],
    "work": ["Ik wil weer aan het werk, een paar dagen per week."],
}
ACTIONS = {
    "finances": [
        ("department", "collections", "Betalingsregeling afspreken voor de huurachterstand"),
        ("tenant", "", "Alle post over geld verzamelen en meenemen naar het gesprek"),
        ("director", "", "Aanmelding schuldhulpverlening samen met huurder invullen"),
        ("partner", "", "Intakegesprek schuldhulpverlening"),
    ],
    "housing": [
        ("department", "maintenance", "Schimmel in de badkamer verhelpen en ventilatie controleren"),
        ("department", "maintenance", "Lekkage aan de keukenkraan verhelpen"),
        ("department", "neighbourhood", "Tuin samen met huurder opruimen, container regelen"),
        ("tenant", "", "Elke dag 15 minuten ramen open voor ventilatie"),
    ],
    "domestic": [
        ("partner", "", "Gesprek met het wijkteam over de situatie thuis"),
        ("director", "", "Huisbezoek samen met het wijkteam"),
    ],
    "mental": [("partner", "", "Aanmelding bij de GGZ"), ("tenant", "", "Afspraak maken bij de huisarts")],
    "substance": [("partner", "", "Intake bij de verslavingszorg"), ("tenant", "", "Bijhouden hoeveel ik drink")],
    "network": [
        ("department", "neighbourhood", "Buurtbemiddeling voorstellen aan beide buren"),
        ("director", "", "Gesprek met de buren over de afspraken"),
    ],
    "time_use": [("director", "", "Samen kijken naar vrijwilligerswerk in de wijk")],
    "instr_adl": [
        ("partner", "", "Aanvraag budgetcoach"),
        ("tenant", "", "Post elke week openmaken met de budgetcoach"),
    ],
    "work": [("partner", "", "Gesprek bij het werkplein van de gemeente")],
}
OUTCOMES = {
    "department": ["Klus uitgevoerd, huurder tevreden.", "Gedaan, huurder was thuis en werkte mee."],
    "tenant": ["Huurder heeft het gedaan.", "Gelukt, samen besproken bij het huisbezoek."],
    "director": ["Gedaan en besproken met de huurder.", "Aanmelding verstuurd."],
    "partner": ["Partner heeft de intake gedaan.", "Hulp is gestart."],
}
# What a department reports when it is done, by department.
DEPARTMENT_OUTCOMES = {
    "collections": [
        "Regeling getroffen: € 50 per maand extra bovenop de huur.",
        "Regeling van 12 maanden afgesproken.",
    ],
    "maintenance": ["Klus uitgevoerd, huurder tevreden.", "Hersteld; over zes weken nog eens kijken."],
    "neighbourhood": ["Gedaan samen met de huurder.", "Buren hebben afspraken gemaakt."],
}
NOTES = ["Gaat beter dan bij de intake.", "Nog zorgen, maar huurder werkt mee.", ""]


def _day(d: date, as_of: date) -> date:
    return min(d, as_of, timezone.localdate())


def build_plans(*, rng: random.Random, as_of: date, cases: list[Case], users: dict[str, User]) -> dict[str, int]:
    counts = {"assessments": 0, "goals": 0, "actions": 0, "signed plans": 0}
    by_department = {u.department: u for u in users.values() if u.role == "department"}
    for case in sorted(cases, key=lambda c: c.pk):
        case.refresh_from_db()
        if case.status not in PAST_INTAKE and not (
            case.status == S.CLOSED and case.outcome in ("resolved", "stable", "partly")
        ):
            continue
        _build_case(rng, as_of, case, by_department, counts)
    return counts


def _build_case(rng, as_of, case, by_department, counts) -> None:
    from regie.network.models import Referral

    director = case.director
    opened = timezone.localdate(case.opened_at)
    end = timezone.localdate(case.closed_at) if case.closed_at else as_of
    span = max(10, (end - opened).days)
    mark = TimelineEntry.objects.filter(case=case).order_by("-pk").values_list("pk", flat=True).first() or 0
    # Intake: a few low domains, the rest middling.
    domains = rng.sample(list(GOALS), k=rng.randint(2, 4))
    intake = {d.value: (rng.randint(1, 2) if d.value in domains else rng.randint(3, 5), "") for d in ZrmDomain}
    for d in domains:
        intake[d] = (intake[d][0], rng.choice(["Acute zorgen.", "Huurder ziet het zelf ook.", "Speelt al lang."]))
    intake_day = _day(opened + timedelta(days=min(14, span // 5)), as_of)
    services.assessment_record(
        case=case,
        moment="intake",
        scores=intake,
        by=director,
        assessed_on=intake_day,
        note="Eerste gesprek aan de keukentafel.",
    )
    counts["assessments"] += 1
    later = case.status in LATER or case.status == S.CLOSED
    if later or rng.random() < 0.3:
        evaluation = {d: (min(5, s + rng.choice((0, 1, 1, 2))), "") for d, (s, _n) in intake.items()}
        services.assessment_record(
            case=case,
            moment="evaluation",
            scores=evaluation,
            by=director,
            assessed_on=_day(opened + timedelta(days=span * 2 // 3), as_of),
            note=rng.choice(NOTES),
        )
        counts["assessments"] += 1
        if case.status == S.CLOSED:
            closure = {d: (min(5, s + rng.choice((0, 1))), "") for d, (s, _n) in evaluation.items()}
            services.assessment_record(
                case=case, moment="closure", scores=closure, by=director, assessed_on=_day(end, as_of)
            )
            counts["assessments"] += 1
    referrals = list(Referral.objects.filter(case=case))
    was_open = case.is_open
    if not was_open and Case.objects.open().filter(household_id=case.household_id).exists():
        return  # its household has a new case (one open case per household): assessments only
    if not was_open:  # plans are written while the case runs; a closed case is opened for it only in memory
        Case.objects.filter(pk=case.pk).update(status=S.IN_PROGRESS)
        case.status = S.IN_PROGRESS
    goal_day = _day(intake_day + timedelta(days=3), as_of)
    for domain in domains:
        goal = services.goal_add(
            case=case,
            domain=domain,
            text=rng.choice(GOALS[domain]),
            by=director,
            target_date=as_of + timedelta(days=rng.randint(20, 150)),
        )
        counts["goals"] += 1
        Goal.objects.filter(pk=goal.pk).update(created_at=_at(goal_day, rng))
        options = [o for o in ACTIONS.get(domain, []) if o[0] != "partner" or referrals]
        for who, department, what in rng.sample(options, k=min(len(options), rng.randint(1, 3))):
            due = as_of + timedelta(days=rng.randint(-25, 30))
            action = services.action_add(
                goal=goal,
                what=what,
                who=who,
                department=department,
                referral=rng.choice(referrals) if who == "partner" else None,
                due=due,
                by=director,
            )
            counts["actions"] += 1
            Action.objects.filter(pk=action.pk).update(created_at=_at(goal_day, rng))
            _progress(rng, action, director, by_department, later or not was_open)
        if later and rng.random() < 0.5:
            services.goal_update(
                goal=goal, by=director, status=rng.choice(["achieved", "partly"]), target_date=goal.target_date
            )
    if not was_open:
        Case.objects.filter(pk=case.pk).update(status=S.CLOSED)
        case.status = S.CLOSED
    tenant = case.household.persons.filter(role__in=["HUU", "MDH"]).order_by("role", "pk").first()
    if tenant and (later or rng.random() < 0.5):
        services.plan_sign(
            case=case, person=tenant, signed_on=_day(goal_day + timedelta(days=rng.randint(1, 10)), as_of), by=director
        )
        counts["signed plans"] += 1
        if rng.random() < 0.4:  # the plan changed after signing: a new action's date moved
            action = Action.objects.filter(case=case, status__in=["open", "in_progress"]).first()
            if action:
                services.action_update(
                    action=action, by=director, what=action.what, due=(action.due or as_of) + timedelta(days=7)
                )
    # The services stamped now: the plan's history lies between intake and as-of.
    entries = TimelineEntry.objects.filter(case=case, pk__gt=mark)
    for pk in entries.values_list("pk", flat=True):
        TimelineEntry.objects.filter(pk=pk).update(
            at=_at(_day(goal_day + timedelta(days=rng.randint(0, 10)), as_of), rng)
        )
    for model in (ActionUpdate,):
        for pk in model.objects.filter(action__case=case).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(at=_at(_day(goal_day + timedelta(days=rng.randint(1, 20)), as_of), rng))
    PlanSignature.objects.filter(case=case).update(recorded_at=_at(goal_day, rng))
    Assessment.objects.filter(case=case).update(created_at=_at(intake_day, rng))


def _progress(rng, action: Action, director, by_department, older: bool) -> None:
    """Move an action on: every status occurs (open, in progress, done, cancelled)."""
    roll = rng.random()
    worker = by_department.get(action.department) if action.who == "department" else None
    if roll < (0.45 if older else 0.25):
        if worker:
            services.action_accept(action=action, by=worker)
            outcomes = DEPARTMENT_OUTCOMES.get(action.department, OUTCOMES["department"])
            services.action_complete(action=action, by=worker, outcome=rng.choice(outcomes))
        else:
            services.action_transition(
                action=action,
                to_status="done",
                by=director,
                outcome=rng.choice(DEPARTMENT_OUTCOMES.get(action.department, OUTCOMES[action.who])),
            )
    elif roll < 0.65:
        if worker:
            services.action_accept(action=action, by=worker)
            if rng.random() < 0.5:
                services.action_progress(action=action, by=worker, text="Afspraak met huurder gemaakt.")
        else:
            services.action_transition(action=action, to_status="in_progress", by=director)
    elif roll < 0.72:
        services.action_transition(action=action, to_status="cancelled", by=director, text="Niet meer nodig.")
