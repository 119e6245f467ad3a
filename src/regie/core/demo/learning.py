"""The demo's lessons (leerpunten) and obstacles (knelpunten): a year of them, made through the
learning services (so links, owners, steps and the access log are as in real use), then dated back.

Each lesson comes from a case of its author and is tagged with domains, and with the partner and
measure of that case where it has a referral or a decision, so the case pages suggest them. The
obstacles cover every status: raised, being worked on (with steps, one overdue), resolved and
"cannot be solved now", each linked to the cases it hurts. No text names a person.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from regie.accounts.models import Role, Team, User
from regie.cases.models import Case
from regie.core.demo.clock import office_moment as _moment
from regie.learning import services
from regie.learning.models import Lesson, Obstacle, ObstacleStep
from regie.mandate.models import Decision, Measure
from regie.network.models import Organisation, Referral

S = Obstacle.Status

# title, what happened, what worked or failed, next time, domains, partner type, measure code
LESSONS = [
    (
        "Ontruiming voorkomen met een tweedekanscontract",
        "Na een vonnis tot ontruiming bleek de huurder al maanden begeleiding te krijgen, alleen wist niemand "
        "van elkaar.",
        "Een gezamenlijk gesprek met begeleider, incasso en de huurder leverde een tweedekanscontract op.",
        "Bij een dreigende ontruiming eerst navragen welke hulpverlening er al loopt.",
        ["housing", "finances"],
        "social",
        "tweedekanscontract",
    ),
    (
        "Schuldhulp sneller aan tafel via de budgetcoach",
        "De wachtlijst bij schuldhulp was drie maanden; de huurachterstand liep intussen op.",
        "Een budgetcoach stabiliseerde de situatie binnen twee weken; schuldhulp kon daarna instromen.",
        "Budgetcoaching meteen inzetten als overbrugging, niet pas na afwijzing.",
        ["finances"],
        "budget",
        "regeling-bevriezen",
    ),
    (
        "Betalingsregeling bevriezen tot bewind start",
        "De huurder had net bewind aangevraagd, maar de regeling liep door en viel steeds uit.",
        "Bevriezen tot de eerste betaling van de bewindvoerder voorkwam een nieuwe aanmaning.",
        "Vraag bij aanvraag van bewind direct naar de verwachte startdatum en bevries tot dan.",
        ["finances"],
        "admin",
        "regeling-bevriezen",
    ),
    (
        "Huisbezoek samen met de wijkagent bij overlastmeldingen",
        "Meldingen over geluidsoverlast stapelden zich op; brieven werden niet beantwoord.",
        "Een gezamenlijk huisbezoek gaf een ander beeld: er speelde psychische nood, geen onwil.",
        "Bij herhaalde overlast eerst op bezoek, niet eerst een waarschuwingsbrief.",
        ["domestic", "mental", "housing"],
        "police",
        "",
    ),
    (
        "Vervuilde woning: schoonmaak uit het maatwerkbudget",
        "De woning was zo vervuild dat de huurder zich schaamde om hulp te vragen.",
        "Een eenmalige schoonmaak uit het maatwerkbudget opende de deur voor de GGZ.",
        "Eerst het probleem wegnemen dat de schaamte veroorzaakt, dan de hulpvraag stellen.",
        ["housing", "mental", "instr_adl"],
        "mental",
        "maatwerkbudget",
    ),
    (
        "Incassokosten kwijtschelden als de huurder meewerkt",
        "De incassokosten waren hoger dan de achterstand zelf; de huurder haakte af.",
        "Kwijtschelden onder voorwaarde van een sluitende regeling hield hem aan boord.",
        "Kwijtschelding aanbieden als beloning voor meewerken, en dat zo benoemen.",
        ["finances"],
        "debt",
        "incassokosten",
    ),
    (
        "Verslaving: niet wachten op de hulpvraag",
        "We wachtten tot de huurder zelf hulp wilde; ondertussen groeide de achterstand.",
        "De verslavingszorg kwam langs via een warme overdracht; dat werkte beter dan een folder.",
        "Een warme overdracht regelen, samen met de huurder bellen.",
        ["substance", "finances"],
        "addiction",
        "",
    ),
    (
        "Veilig Thuis eerder inschakelen",
        "Signalen van huiselijk geweld werden pas laat gedeeld, omdat niemand zeker wist of het mocht.",
        "Na overleg met Veilig Thuis volgens de meldcode kon er snel worden gehandeld.",
        "Bij twijfel altijd de meldcode volgen en advies vragen; dat mag zonder toestemming.",
        ["domestic", "justice"],
        "child",
        "",
    ),
    (
        "Afwijken van het aanmaningstraject",
        "Het standaardtraject stuurde de zaak naar de deurwaarder terwijl er net een regeling was afgesproken.",
        "Het traject tijdelijk stilzetten gaf rust en de regeling hield stand.",
        "Afspraken direct vastleggen bij incasso, zodat het traject niet automatisch doorloopt.",
        ["finances", "housing"],
        "",
        "afwijken-procedure",
    ),
    (
        "Eenzaamheid achter de huurachterstand",
        "Een oudere huurder betaalde niet meer; de oorzaak bleek eenzaamheid en verwarring.",
        "Het wijkteam regelde dagbesteding en een maatje; de huur werd weer betaald.",
        "Bij ouderen met een plotselinge achterstand ook naar het netwerk vragen.",
        ["network", "participation", "finances"],
        "district",
        "",
    ),
    (
        "Urgente herhuisvesting bij een onhoudbare burenruzie",
        "De situatie tussen buren escaleerde, bemiddeling was twee keer mislukt.",
        "Een urgente verhuizing naar een andere wijk loste het op; bemiddeling eerder stoppen had tijd gescheeld.",
        "Na een tweede mislukte bemiddeling meteen herhuisvesting bespreken.",
        ["housing", "domestic"],
        "",
        "urgente-herhuisvesting",
    ),
    (
        "Werk en inkomen: flexwerk maakt regelingen wankel",
        "De huurder werkte via een uitzendbureau; de regeling viel uit in maanden zonder werk.",
        "Een regeling met een lager bedrag in magere maanden bleef overeind.",
        "Bij wisselend inkomen een regeling met twee bedragen afspreken.",
        ["work", "finances"],
        "debt",
        "regeling-langer",
    ),
]

# title, description, where, outside, partner type, status, (steps: text, days after raising, due in days or None, done)
OBSTACLES = [
    (
        "Wachtlijst schuldhulpverlening van drie maanden",
        "Huurders met een achterstand wachten drie maanden op een intake; in die tijd loopt de achterstand op en "
        "start het incassotraject.",
        "partner",
        True,
        "debt",
        S.IN_PROGRESS,
        [("Gesprek met de gemeente over een voorrangsroute", 10, 30, True), ("Voorstel voorrangsroute", 40, 20, False)],
    ),
    (
        "Incasso start automatisch ondanks afspraken met de regisseur",
        "Het aanmaningstraject loopt door terwijl de regisseur een regeling of bevriezing heeft afgesproken.",
        "procedure",
        False,
        "",
        S.RESOLVED,
        [("Overleg met teamleider incasso", 7, 14, True), ("Vlag 'regie actief' in het incassosysteem", 20, 30, True)],
    ),
    (
        "Geen gegevensdeling met de GGZ-instelling",
        "Er is geen convenant; de GGZ deelt niets en wij weten niet of een huurder in zorg is.",
        "partner",
        True,
        "mental",
        S.RAISED,
        [],
    ),
    (
        "Woningtoewijzing kent geen voorrang bij dreigende ontruiming",
        "Een kleinere, goedkopere woning zou ontruiming voorkomen, maar de toewijzingsregels geven geen voorrang.",
        "rule",
        False,
        "",
        S.NOT_SOLVABLE,
        [("Navraag bij verhuur en de gemeente", 5, 21, True)],
    ),
    (
        "Bewindvoerders reageren traag op verzoeken",
        "Verzoeken om een betaling of een gesprek blijven weken liggen bij enkele bewindvoerders.",
        "partner",
        True,
        "admin",
        S.IN_PROGRESS,
        [("Lijst van trage reacties bijhouden", 3, 10, True), ("Gesprek met de kantoren", 25, -5, False)],
    ),
    (
        "Onderhoud plant reparaties zonder de regisseur te informeren",
        "Monteurs komen langs bij kwetsbare huurders zonder dat de regisseur het weet; afspraken mislukken.",
        "department",
        False,
        "",
        S.RAISED,
        [],
    ),
    (
        "Landelijke beslagvrije voet te laag bij hoge woonlasten",
        "Bij beslag blijft te weinig over om de huur te betalen; dat ligt buiten onze invloed.",
        "rule",
        True,
        "",
        S.NOT_SOLVABLE,
        [],
    ),
    (
        "Wijkteam Zuid bereikbaar op twee ochtenden per week",
        "Overdrachten lopen vertraging op doordat het wijkteam maar beperkt bereikbaar is.",
        "partner",
        True,
        "district",
        S.RESOLVED,
        [("Vaste contactpersoon gevraagd", 4, 14, True)],
    ),
    (
        "Huurders met een taalbarrière begrijpen de aanmaningsbrieven niet",
        "De brieven zijn alleen in formeel Nederlands; huurders reageren niet omdat ze het niet begrijpen.",
        "procedure",
        False,
        "",
        S.RAISED,
        [],
    ),
]
RESOLUTIONS = {
    "Incasso start automatisch ondanks afspraken met de regisseur": "Incasso zet een vlag 'regie actief'; het "
    "traject pauzeert dan automatisch tot de regisseur het vrijgeeft.",
    "Wijkteam Zuid bereikbaar op twee ochtenden per week": "Vaste contactpersoon bij het wijkteam met een eigen "
    "telefoonnummer; overdrachten binnen twee werkdagen.",
    "Woningtoewijzing kent geen voorrang bij dreigende ontruiming": "De toewijzingsregels liggen vast in de "
    "regionale verordening; we brengen het in bij de prestatieafspraken van volgend jaar.",
    "Landelijke beslagvrije voet te laag bij hoge woonlasten": "Landelijke regelgeving; gemeld bij Aedes via de "
    "koepel.",
}


def _people(users: dict[str, User], team: Team, role: str) -> list[User]:
    return sorted((u for u in users.values() if u.role == role and team in u.teams.all()), key=lambda u: u.username)


def build_learning(*, rng: random.Random, as_of: date, teams: dict[str, Team], cases: list[Case], users) -> dict:
    partners_by_type: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.filter(kind=Organisation.Kind.PARTNER, is_active=True).order_by("pk"):
        partners_by_type.setdefault(org.partner_type, []).append(org)
    measures = {m.code: m for m in Measure.objects.all()}
    cap = datetime.combine(as_of - timedelta(days=1), time(16, 0), tzinfo=timezone.get_default_timezone())
    made_lessons, made_obstacles = 0, 0

    ordered = sorted(teams.values(), key=lambda t: t.code)
    for t_index, team in enumerate(ordered):
        pros = _people(users, team, Role.PROFESSIONAL)
        managers = _people(users, team, Role.MANAGER)
        if not pros:
            continue
        team_cases = [c for c in cases if c.team_id == team.pk]
        by_director = {p.pk: [c for c in team_cases if c.director_id == p.pk] for p in pros}

        # Lessons: spread over the year, each from a case of its author.
        for i, (title, happened, worked, nxt, domains, ptype, mcode) in enumerate(LESSONS):
            if i % len(ordered) != t_index:
                continue
            author = pros[i % len(pros)]
            own = by_director.get(author.pk) or []
            linked = [rng.choice(own)] if own else []
            partners = []
            if linked:
                referral = Referral.objects.filter(case=linked[0]).select_related("organisation").first()
                if referral is not None:
                    partners.append(referral.organisation)
            if ptype and partners_by_type.get(ptype) and not partners:
                partners.append(rng.choice(partners_by_type[ptype]))
            chosen = [measures[mcode]] if mcode in measures else []
            if linked and not chosen:
                decision = Decision.objects.filter(case=linked[0]).select_related("measure").first()
                if decision is not None:
                    chosen.append(decision.measure)
            lesson = services.lesson_record(
                by=author,
                team=team,
                title=title,
                what_happened=happened,
                what_worked=worked,
                next_time=nxt,
                domains=domains,
                partners=partners,
                measures=chosen,
                cases=linked,
            )
            days = 360 - i * 28 - rng.randint(0, 10)
            at = min(_moment(as_of - timedelta(days=max(days, 2)), rng), cap)
            if linked:
                at = max(at, min(linked[0].opened_at + timedelta(hours=4), cap))
            Lesson.objects.filter(pk=lesson.pk).update(created_at=at)
            made_lessons += 1

        # Obstacles: every status, linked to the cases they hurt.
        for i, (title, desc, where, outside, ptype, status, steps) in enumerate(OBSTACLES):
            if i % len(ordered) != t_index and status in (S.RESOLVED, S.RAISED):
                continue  # the other statuses every team has
            raiser = pros[(i + 1) % len(pros)]
            visible = by_director.get(raiser.pk) or []
            hurt = rng.sample(visible, min(len(visible), rng.randint(1, 4))) if visible else []
            partner = (
                rng.choice(partners_by_type[ptype]) if where == "partner" and partners_by_type.get(ptype) else None
            )
            if where == "partner" and partner is None:
                where = "other"
            obstacle = services.obstacle_raise(
                by=raiser,
                team=team,
                title=title,
                description=desc,
                where=where,
                outside=outside,
                partner=partner,
                cases=hurt,
            )
            made_obstacles += 1
            # The remaining team members add cases it hurts too.
            for other in pros:
                extra = [c for c in by_director.get(other.pk, []) if c not in hurt]
                if other != raiser and extra and rng.random() < 0.5:
                    services.obstacle_link_cases(obstacle=obstacle, cases=[rng.choice(extra)], by=other)
            if not managers:
                continue
            manager = obstacle.owner or managers[0]
            raised_day = as_of - timedelta(days=330 - i * 35 - t_index * 6)
            moments = [(None, raised_day)]  # (step, day): the raising step first
            if status != S.RAISED:
                services.obstacle_transition(
                    obstacle=obstacle,
                    to_status=S.IN_PROGRESS if status != S.NOT_SOLVABLE else S.NOT_SOLVABLE,
                    by=manager,
                    note="Opgepakt in het werkoverleg" if status != S.NOT_SOLVABLE else "",
                    resolution=RESOLUTIONS.get(title, "") if status == S.NOT_SOLVABLE else "",
                )
            for text, after, due_in, done in steps:
                if status == S.RESOLVED and not done:
                    continue
                day = raised_day + timedelta(days=after)
                due = day + timedelta(days=due_in) if due_in is not None else None
                if due is not None and due_in < 0:
                    due = as_of + timedelta(days=due_in)  # overdue now
                step = services.obstacle_step_add(obstacle=obstacle, text=text, due=due, by=manager)
                if done:
                    services.obstacle_step_done(step=step, by=manager)
                moments.append((step, day))
            if status == S.RESOLVED:
                services.obstacle_transition(
                    obstacle=obstacle, to_status=S.RESOLVED, by=manager, resolution=RESOLUTIONS[title]
                )
            _date_back(obstacle, raised_day, moments, as_of, cap, rng)
    return {"lessons": made_lessons, "obstacles": made_obstacles}


def _date_back(obstacle: Obstacle, raised_day: date, moments, as_of: date, cap: datetime, rng) -> None:
    """Move the obstacle, its steps and status changes back in time, in their order."""
    raised_at = min(_moment(raised_day, rng), cap)
    Obstacle.objects.filter(pk=obstacle.pk).update(raised_at=raised_at)
    dated = {step.pk: min(_moment(day, rng), cap) for step, day in moments if step is not None}
    last = raised_at
    for step in ObstacleStep.objects.filter(obstacle=obstacle).order_by("pk"):
        if step.pk in dated:
            at = max(dated[step.pk], last)
        elif step.status == S.RAISED:
            at = raised_at
        else:
            at = min(last + timedelta(days=rng.randint(2, 9)), cap)
        fields = {"at": at}
        if step.done_at is not None:
            fields["done_at"] = min(at + timedelta(days=rng.randint(1, 12)), cap)
        ObstacleStep.objects.filter(pk=step.pk).update(**fields)
        last = at
    obstacle.refresh_from_db()
    if obstacle.resolved_at is not None:
        final = ObstacleStep.objects.filter(obstacle=obstacle, status=obstacle.status).order_by("-pk").first()
        Obstacle.objects.filter(pk=obstacle.pk).update(resolved_at=final.at if final else last)
