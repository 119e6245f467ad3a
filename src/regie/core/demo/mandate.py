"""The demo's room to act: a catalogue of custom measures with realistic limits per level, a custom
budget per team for the year, and decisions in every state on the demo's open cases, made through
the mandate services (so the actions, timeline and access log are as in real use), then dated back.

Limits come in two versions: the waiving limit was raised later, so older decisions show the
version they were taken under. No e-mail goes out while the demo is built.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from regie.accounts.models import Role, Team, User
from regie.cases.models import Case, EntryKind, TimelineEntry
from regie.core.demo.clock import office_moment as _moment
from regie.mandate import notify, services
from regie.mandate.models import Approval, Decision, Level, Measure
from regie.plans.models import Action

P, M, B = Level.PROFESSIONAL, Level.MANAGER, Level.BOARD

# code, name, description, parameter, VERA code, department, budget, departure; limits per level.
CATALOGUE = [
    (
        "regeling-langer",
        "Betalingsregeling langer dan de standaardtermijn",
        "Een regeling over meer maanden dan de standaard 12, als de huurder dat aantoonbaar niet sneller kan.",
        "months",
        "",
        "collections",
        False,
        False,
        {P: Decimal(18), M: Decimal(36), B: None},
    ),
    (
        "regeling-bevriezen",
        "Betalingsregeling bevriezen",
        "De regeling tijdelijk stilzetten, bijvoorbeeld tot schuldhulp of bewind loopt.",
        "date",
        "BETALINGSREGELINGSTATUS.BEV",
        "collections",
        False,
        False,
        {P: None},
    ),
    (
        "ontruiming-opschorten",
        "Ontruiming of juridische stap opschorten",
        "Een aangezegde ontruiming of een gerechtelijke procedure tijdelijk stilzetten.",
        "date",
        "",
        "legal",
        False,
        False,
        {M: None},
    ),
    (
        "incassokosten",
        "Incassokosten kwijtschelden",
        "Buitengerechtelijke incassokosten laten vallen als de huurder meewerkt aan een oplossing.",
        "amount",
        "",
        "collections",
        False,
        False,
        {P: Decimal(250), M: Decimal(1500), B: None},
    ),
    (
        "achterstand-afboeken",
        "Huurachterstand (deels) afboeken",
        "Een deel van de achterstand afboeken als dat een ontruiming voorkomt.",
        "amount",
        "",
        "collections",
        False,
        False,
        {M: Decimal(2500), B: None},
    ),
    (
        "tweedekanscontract",
        "Tweedekanshuurovereenkomst",
        "Een voorwaardelijk huurcontract met begeleiding, na een ontruiming of bij dreigende ontruiming.",
        "months",
        "",
        "letting",
        False,
        False,
        {M: Decimal(24), B: None},
    ),
    (
        "urgente-herhuisvesting",
        "Urgente herhuisvesting of woningruil",
        "Met voorrang een andere woning of een ruil, buiten de gewone woningzoekendenroute.",
        "none",
        "",
        "letting",
        False,
        False,
        {M: None},
    ),
    (
        "maatwerkbudget",
        "Uitgave uit het maatwerkbudget",
        "Bijvoorbeeld schoonmaak na vervuiling, een borg, of een kleine reparatie voor rekening van de huurder.",
        "amount",
        "",
        "",
        True,
        False,
        {P: Decimal(750), M: Decimal(5000), B: None},
    ),
    (
        "afwijken-procedure",
        "Afwijken van een standaardprocedure",
        "Een stap uit een vaste procedure (aanmaningstraject, inspectie, toewijzing) overslaan of anders doen.",
        "none",
        "",
        "",
        False,
        True,
        {P: None},
    ),
]
BUDGET_PER_TEAM = Decimal(15000)
PROBLEMS = [
    "Huurachterstand loopt op terwijl de aanvraag bij schuldhulp nog loopt.",
    "Dreigende ontruiming; huurder heeft net hulp van GGZ geaccepteerd.",
    "Woning vervuild; huurder kan schoonmaak niet zelf betalen.",
    "Gezin met jonge kinderen, inkomen wisselend door flexwerk.",
]
JUSTIFICATIONS = [
    "De standaardprocedure leidt hier tot ontruiming, met hogere kosten voor iedereen.",
    "Huurder werkt mee sinds de huisbezoeken; een haalbare regeling houdt dat vast.",
    "Ketenpartners zijn betrokken; even ruimte geeft hun hulp de kans te werken.",
]
EFFECTS = [
    "Achterstand stabiel binnen drie maanden, daarna afbouw.",
    "Geen nieuwe achterstand; huurder houdt zijn woning.",
    "Woning weer schoon en veilig; overlast stopt.",
]
DEPARTURES = ["Standaard aanmaningstraject (3 brieven, dan deurwaarder)", "Standaard woninginspectie vooraf"]
REASONS = {
    Approval.Answer.APPROVE: ["Akkoord, goed onderbouwd.", "Akkoord; evalueer over drie maanden."],
    Approval.Answer.DECLINE: [
        "Niet akkoord: eerst schuldhulp laten starten.",
        "Te ruim; kom met een kleiner voorstel.",
    ],
    Approval.Answer.QUESTION: ["Wat doet de huurder zelf in deze periode?", "Is bewindvoering al aangevraagd?"],
    Approval.Answer.REPLY: [
        "Bewind is aangevraagd; de zitting is over drie weken.",
        "Huurder betaalt de lopende huur.",
    ],
    Approval.Answer.ESCALATE: ["Bedrag boven wat ik mag; naar de bestuurder."],
}


def _board(users: dict[str, User]) -> User:
    """The demo's board member; made here when the published accounts have none."""
    board = next((u for u in users.values() if u.role == Role.BOARD), None)
    if board is None:
        donor = next(iter(users.values()))
        board = User.objects.create(
            username="demo-bestuurder",
            first_name="Henk",
            last_name="Postma",
            email="demo-bestuurder@example.nl",
            role=Role.BOARD,
            is_demo=True,
            password=donor.password,
        )
    return board


def build_mandate(*, rng: random.Random, as_of: date, teams: dict[str, Team], cases: list[Case], users) -> dict:
    admin = next(u for u in users.values() if u.role == Role.ADMIN)
    board = _board(users)
    measures = {
        code: services.measure_save(
            by=admin,
            code=code,
            name=name,
            description=desc,
            parameter=param,
            vera_code=vera,
            department=dept,
            uses_budget=budget,
            deviates_from_procedure=departs,
        )
        for code, name, desc, param, vera, dept, budget, departs, _limits in CATALOGUE
    }
    limits = {(code, lvl): v for code, *_rest, lims in CATALOGUE for lvl, v in lims.items()}
    first = dict(limits)
    first[("incassokosten", P)] = Decimal(150)  # raised to 250 in the second version
    services.limits_update(changes=first, by=admin, note="Mandaatregeling vastgesteld door de directie")
    years = {as_of.year, timezone.localdate().year}
    for team in teams.values():
        for year in years:
            services.budget_set(team=team, year=year, amount=BUDGET_PER_TEAM, by=admin)

    open_cases = [c for c in cases if c.is_open]
    rng.shuffle(open_cases)
    managers = {
        t.pk: next((u for u in users.values() if u.role == Role.MANAGER and t in u.teams.all()), None)
        for t in teams.values()
    }
    made: list[tuple[Decision, int]] = []  # decision, days before as-of

    def decide(case, code, value=None, on_date=None, days=30, corrects=None):
        measure = measures[code]
        d = services.decision_record(
            case=case,
            measure=measure,
            value=value,
            on_date=on_date,
            problem=rng.choice(PROBLEMS),
            justification=rng.choice(JUSTIFICATIONS),
            expected_effect=rng.choice(EFFECTS),
            deviates_from=rng.choice(DEPARTURES) if measure.deviates_from_procedure else "",
            corrects=corrects,
            by=case.director,
        )
        made.append((d, days))
        return d

    def answer(d, kind, by):
        return services.decision_answer(decision=d, answer=kind, reason=rng.choice(REASONS[kind]), by=by)

    plan = [
        # within the mandate, in effect at once (under the first version for the older ones)
        lambda c: decide(c, "regeling-langer", 15, days=70),
        lambda c: decide(c, "incassokosten", 120, days=65),
        lambda c: decide(c, "regeling-bevriezen", on_date=as_of + timedelta(days=90), days=40),
        lambda c: decide(c, "maatwerkbudget", Decimal("640.00"), days=55),
        lambda c: decide(c, "afwijken-procedure", days=35),
        # beyond it: approved, declined, a question, waiting, escalated, withdrawn
        lambda c: answer(decide(c, "regeling-langer", 24, days=45), "approve", managers[c.team_id]),
        lambda c: answer(
            decide(c, "ontruiming-opschorten", on_date=as_of + timedelta(days=60), days=20),
            "approve",
            managers[c.team_id],
        ),
        lambda c: answer(decide(c, "achterstand-afboeken", Decimal(1800), days=30), "decline", managers[c.team_id]),
        lambda c: answer(decide(c, "incassokosten", Decimal(600), days=9), "question", managers[c.team_id]),
        lambda c: decide(c, "tweedekanscontract", 12, days=4),
        lambda c: decide(c, "urgente-herhuisvesting", days=11),
        lambda c: decide(c, "achterstand-afboeken", Decimal(4200), days=5),  # straight to the board
        lambda c: answer(decide(c, "achterstand-afboeken", Decimal(2000), days=6), "escalate", managers[c.team_id]),
        lambda c: services.decision_withdraw(
            decision=decide(c, "maatwerkbudget", Decimal(900), days=15),
            reason="Opgelost via bijzondere bijstand.",
            by=c.director,
        ),
    ]
    with notify.silenced():
        for i, step in enumerate(plan):
            if i >= len(open_cases):
                break
            step(open_cases[i])
        # The second version of the limits; the decisions above keep the first.
        services.limits_update(
            changes={("incassokosten", P): Decimal(250)}, by=admin, note="Kwijtschelden tot € 250 zelf beslissen"
        )
        if open_cases:
            case = open_cases[0]
            decide(case, "incassokosten", Decimal(200), days=3)  # within the raised limit
            board_case = next((c for c in open_cases[1:] if c.team_id), None)
            if board_case is not None:
                e = decide(board_case, "achterstand-afboeken", Decimal(3000), days=8)
                answer(e, "approve", board)
            budget = next((x for x, _days in made if x.budget_id and x.status == Decision.Status.EFFECTIVE), None)
            if budget is not None:
                services.decision_spend(decision=budget, amount=Decimal("480.00"), by=budget.case.director)
                decide(budget.case, "maatwerkbudget", Decimal("520.00"), days=2, corrects=budget)
    _date_back(made, as_of, rng)
    return {
        "measures": len(measures),
        "limits versions": 2,
        "budgets": len(teams) * len(years),
        "decisions": len(made),
        "decisions waiting": sum(x.status in ("pending", "question") for x, _d in made),
    }


def _date_back(made: list[tuple[Decision, int]], as_of: date, rng: random.Random) -> None:
    """Move each decision, its answers, its timeline entries and the action it made back in time."""
    # Nothing may lie on or after the reference day: the latest moment is the afternoon before.
    cap = datetime.combine(as_of - timedelta(days=1), time(16, 0), tzinfo=timezone.get_default_timezone())
    for decision, days in made:
        decision.refresh_from_db()
        # Not before the case was opened, nor after the afternoon before the reference day.
        opened = decision.case.opened_at + timedelta(hours=2)
        start = min(max(_moment(as_of - timedelta(days=days), rng), opened), cap)
        fields = {"created_at": start}
        answers = list(decision.approvals.order_by("at", "pk"))
        at = start
        for a in answers:
            at = min(at + timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 4)), cap)
            Approval.objects.filter(pk=a.pk).update(at=at)
        if decision.effective_at is not None:
            fields["effective_at"] = at
        Decision.objects.filter(pk=decision.pk).update(**fields)
        entries = TimelineEntry.objects.filter(
            case=decision.case_id, kind=EntryKind.DECISION, data__decision=decision.pk
        )
        for entry in entries.order_by("at", "pk"):
            change = entry.data.get("change")
            TimelineEntry.objects.filter(pk=entry.pk).update(at=start if change == "recorded" else at)
            action_id = entry.data.get("action")
            if action_id:
                Action.objects.filter(pk=action_id).update(created_at=at)
                # The action's own plan entries, and the goal's if the decision made it.
                goal_id = Action.objects.filter(pk=action_id).values_list("goal_id", flat=True).first()
                TimelineEntry.objects.filter(case=decision.case_id, kind=EntryKind.PLAN, data__action=action_id).update(
                    at=at
                )
                TimelineEntry.objects.filter(
                    case=decision.case_id, kind=EntryKind.PLAN, data__goal=goal_id, at__gt=cap
                ).update(at=at)
        if decision.measure.parameter == Measure.Parameter.DATE and decision.on_date and decision.on_date < as_of:
            Decision.objects.filter(pk=decision.pk).update(on_date=as_of + timedelta(days=30))
