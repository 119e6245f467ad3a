"""The demo corporation's network: ~40 partners of every type with what they must, may and cannot
do, internal departments with their contacts, and consents and referrals in every state on the
demo's cases.

Partners and departments are made through the directory services (as the functional administrator
would), consents and referrals through the case's services (so the consent gate holds for every
demo referral), then moved back in time with queryset updates, as regie.core.demo.cases does.
Everything is invented; e-mail addresses are at example.nl.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from regie.accounts.models import Area, Department, User
from regie.cases.models import Case, EntryKind, Status, TimelineEntry
from regie.core.demo.clock import office_moment as _at
from regie.network import services
from regie.network.models import Consent, ContactPerson, Organisation, PartnerType, Referral, ReferralEvent

T = PartnerType
# Per type: names (with the areas they serve: "" both/whole municipality), what they must, may and
# cannot do, services, route, criteria, expected response days, and whether an agreement is usual.
PARTNERS = {
    T.DEBT_COUNSELLING: (
        [
            ("Schuldhulpverlening Zandhoven", ""),
            ("Kredietbank Oost", ""),
            ("Schuldhulpmaatje Noord", "noord"),
            ("Schuldhulp Ter Weyde", "zuid"),
        ],
        "Binnen 4 weken een eerste gesprek voeren (Wgs); bij dreigende ontruiming binnen 3 werkdagen.",
        "Een moratorium aanvragen; met schuldeisers onderhandelen; een saneringskrediet aanbieden.",
        "Geen huurachterstand kwijtschelden; geen beslag opheffen zonder rechter.",
        "Schuldregeling, stabilisatie, budgetbeheer, vroegsignalering huurschulden.",
        "Aanmelden via het formulier van de gemeente of telefonisch met de huurder erbij.",
        "Inwoner van de gemeente; problematische schulden; bereid mee te werken.",
        10,
        True,
    ),
    T.ADDICTION: (
        [
            ("Verslavingszorg Oost", ""),
            ("Kliniek De Horst", "zuid"),
            ("Herstelhuis Molenwijk", "noord"),
            ("Preventieteam Verslaving", ""),
        ],
        "Een intake binnen 10 werkdagen; behandeling van alcohol-, drugs- en gokverslaving.",
        "Een BOPZ/Wvggz-traject adviseren; ambulant of klinisch behandelen.",
        "Geen behandeling zonder instemming; geen huisbezoek zonder afspraak.",
        "Ambulante behandeling, bemoeizorg, klinische opname, nazorg en lotgenotengroepen.",
        "Via de huisarts of het wijkteam; bij bemoeizorg rechtstreeks met toestemming.",
        "Problemen met alcohol, drugs of gokken; woonachtig in de regio.",
        7,
        True,
    ),
    T.CHILD_PROTECTION: (
        [("Veilig Thuis Regio Oost", ""), ("Jeugdbescherming Oost", ""), ("Centrum Jeugd en Gezin", "")],
        "Meldingen van huiselijk geweld en kindermishandeling onderzoeken; binnen 5 dagen een veiligheidsbeoordeling.",
        "Een onderzoek starten; de Raad voor de Kinderbescherming inschakelen.",
        "Geen woonruimte regelen; geen schulden oplossen.",
        "Advies aan professionals, meldingen, onderzoek, veiligheidsplan.",
        "Bellen met 0800-2000 (advies of melding); de meldcode volgen.",
        "Vermoeden van huiselijk geweld of kindermishandeling.",
        3,
        True,
    ),
    T.MENTAL_HEALTH: (
        [
            ("GGZ Oost", ""),
            ("FACT-team Noord", "noord"),
            ("FACT-team Zuid", "zuid"),
            ("Psychologenpraktijk Park", "zuid"),
        ],
        "Zorg bieden aan mensen met psychische problemen; bij crisis dezelfde dag.",
        "Crisisdienst inzetten; een zorgmachtiging voorbereiden (Wvggz).",
        "Geen zorg opleggen zonder wettelijke grond; geen woonbegeleiding zonder indicatie.",
        "Ambulante GGZ, FACT-behandeling, crisisdienst, dagbesteding.",
        "Verwijzing van de huisarts nodig; bemoeizorg via het wijkteam.",
        "Ernstige psychische aandoening; wonend in het werkgebied.",
        14,
        False,
    ),
    T.DISTRICT_TEAM: (
        [("Wijkteam Noord", "noord"), ("Wijkteam Zuid", "zuid"), ("Sociale Dienst Zandhoven", ""), ("Wmo-loket", "")],
        "Een keukentafelgesprek binnen 2 weken; een plan per huishouden.",
        "Wmo- en jeugdvoorzieningen toekennen; bijzondere bijstand verlenen.",
        "Geen medische behandeling; geen schuldregeling zelf uitvoeren.",
        "Keukentafelgesprek, ondersteuning thuis, bijzondere bijstand, uitkeringen, dagbesteding.",
        "Aanmelden via het wijkteam-telefoonnummer of samen met de huurder langsgaan.",
        "Iedere inwoner met een hulpvraag.",
        10,
        True,
    ),
    T.POLICE: (
        [("Politie Basisteam Zandhoven", ""), ("Wijkagent Noord", "noord"), ("Wijkagent Zuid", "zuid")],
        "Handhaven van de openbare orde; strafbare feiten opsporen.",
        "Een huisverbod opleggen (burgemeester); processen-verbaal opmaken.",
        "Geen hulpverlening; geen informatie delen buiten het convenant.",
        "Wijkagent, signalen van overlast, veiligheidshuis-overleg.",
        "Via de wijkagent of het veiligheidshuis; bij nood 112.",
        "Overlast, criminaliteit of onveiligheid.",
        5,
        True,
    ),
    T.GP: (
        [
            ("Huisartsenpraktijk De Molen", "noord"),
            ("Gezondheidscentrum Zuiderpark", "zuid"),
            ("Huisarts Van Dam", "noord"),
            ("Huisartsen Ter Weyde", "zuid"),
        ],
        "Huisartsgeneeskundige zorg voor ingeschreven patiënten.",
        "Doorverwijzen naar GGZ, verslavingszorg of ziekenhuis.",
        "Geen medische gegevens delen zonder toestemming van de patiënt.",
        "Spreekuur, POH-GGZ, huisbezoek, doorverwijzing.",
        "Alleen via de patiënt of met diens toestemming.",
        "Ingeschreven patiënten.",
        7,
        False,
    ),
    T.SOCIAL_WORK: (
        [
            ("Maatschappelijk Werk Zandhoven", ""),
            ("Humanitas Oost", ""),
            ("Leger des Heils Oost", ""),
            ("Welzijn Zandhoven", ""),
        ],
        "Hulp bij sociale en praktische problemen; binnen 2 weken een gesprek.",
        "Begeleiden bij regelingen; bemiddelen bij conflicten.",
        "Geen financiële middelen verstrekken; geen behandeling.",
        "Maatschappelijk werk, buurtbemiddeling, thuisadministratie, woonbegeleiding.",
        "Aanmelden per telefoon of e-mail; ook zonder verwijzing.",
        "Iedere inwoner; voorrang bij dreigende huisuitzetting.",
        10,
        False,
    ),
    T.BUDGET_COACHING: (
        [("Budgetcoaching Zandhoven", ""), ("Geldfit Oost", ""), ("Budgetmaatjes Zuid", "zuid")],
        "Een budgetplan opstellen binnen 3 weken.",
        "Een vast-lastenrekening inrichten; coachen bij de administratie.",
        "Geen schuldregeling; geen bewind.",
        "Budgetcoaching, administratie op orde, vaste lasten betalen.",
        "Aanmelden door de huurder of met toestemming door de regisseur.",
        "Geen problematische schulden (dan schuldhulpverlening).",
        14,
        False,
    ),
    T.FINANCIAL_ADMIN: (
        [("Bewindvoering Oost B.V.", ""), ("Stichting Beschermingsbewind", ""), ("Bewindkantoor Zuid", "zuid")],
        "Het inkomen en de betalingen beheren onder toezicht van de kantonrechter.",
        "Vaste lasten betalen, waaronder de huur; een schuldregeling aanvragen.",
        "Geen bewind zonder uitspraak van de rechter.",
        "Beschermingsbewind, inkomensbeheer, budgetbeheer.",
        "Een verzoek bij de kantonrechter; de huurder moet instemmen.",
        "Meerderjarig, niet in staat de eigen financiën te beheren.",
        14,
        True,
    ),
    T.OTHER: (
        [
            ("Voedselbank Zandhoven", ""),
            ("Stichting Thuisadministratie", ""),
            ("Buurtbemiddeling Oost", ""),
            ("Woonbegeleiding De Brug", ""),
        ],
        "Afhankelijk van de dienst; zie de omschrijving.",
        "Praktische hulp bieden.",
        "Geen geïndiceerde zorg.",
        "Voedselpakketten, hulp bij administratie, bemiddeling bij burenruzies, woonbegeleiding.",
        "Aanmelden via het wijkteam of maatschappelijk werk.",
        "Wisselend per dienst.",
        10,
        False,
    ),
}
DEPARTMENTS = [
    (Department.MAINTENANCE, "Onderhoud", "demo-collega", "Reparaties, klachtenonderhoud, woningaanpassing.", 5),
    (Department.COLLECTIONS, "Incasso", "demo-incasso", "Betalingsregelingen, huurachterstand, vroegsignalering.", 3),
    (Department.NEIGHBOURHOOD, "Wijkbeheer", None, "Woonomgeving, schoonmaak, overlast in de buurt.", 5),
    (Department.LETTING, "Verhuur", None, "Woningtoewijzing, urgentie, woningruil.", 10),
    (Department.LEGAL, "Juridische zaken", None, "Ontruiming, gerechtelijke procedures, tweede-kansovereenkomst.", 5),
    (Department.CUSTOMER_CONTACT, "Klantcontact", None, "Eerste aanspreekpunt voor huurders, telefoon en balie.", 2),
]
CONTACT_FIRST = ["Anouk", "Bram", "Chantal", "Dennis", "Esra", "Fleur", "Gijs", "Hanna", "Imran", "Joost", "Karin"]
CONTACT_LAST = ["Aydin", "Bakker", "Claassen", "Dijkman", "El Amrani", "Franken", "Gerritsen", "Hoeksema", "Janssen"]
FUNCTIONS = ["Consulent", "Intaker", "Coördinator", "Teamleider", "Casemanager"]

# The referral states to show, with (days before as-of sent, days to answer, later steps).
SCENARIOS = [
    ("sent", 2, None, []),  # waiting, not late
    ("overdue", 25, None, []),  # no answer in time
    ("reminded", 30, None, []),  # no answer, director reminded
    ("accepted", 40, 4, []),
    ("declined", 35, 6, []),
    ("in_progress", 90, 3, ["in_progress"]),
    ("ended", 160, 8, ["in_progress", "ended"]),
]
DOMAIN_BY_TYPE = {
    T.DEBT_COUNSELLING: ["finances"],
    T.ADDICTION: ["substance", "mental"],
    T.MENTAL_HEALTH: ["mental"],
    T.DISTRICT_TEAM: ["finances", "domestic", "participation"],
    T.BUDGET_COACHING: ["finances"],
    T.FINANCIAL_ADMIN: ["finances"],
    T.SOCIAL_WORK: ["domestic", "network"],
    T.GP: ["physical", "mental"],
    T.OTHER: ["finances", "instr_adl"],
}


def _email(name: str) -> str:
    slug = "".join(c for c in name.lower().replace(" ", ".") if c.isalnum() or c == ".")
    return f"{slug}@example.nl"


def build_directory(*, rng: random.Random, as_of: date, areas: dict[str, Area], users: dict[str, User]) -> list:
    admin = users["demo-beheerder"]
    partners = []
    for partner_type, (names, must, may, cannot, offer, route, criteria, days, agreement) in PARTNERS.items():
        for i, (name, area) in enumerate(names):
            has_agreement = agreement and i != 2  # the third of a type works without one
            org = services.organisation_create(
                by=admin,
                areas=[areas[area]] if area else [],
                kind="partner",
                partner_type=partner_type,
                name=name,
                working_area={"noord": "Zandhoven-Noord", "zuid": "Zandhoven-Zuid en Ter Weyde"}.get(
                    area, "Gemeente Zandhoven"
                ),
                must=must,
                may=may,
                cannot=cannot,
                services=offer,
                referral_route=route,
                referral_criteria=criteria,
                expected_response_days=days + rng.choice((-2, 0, 0, 3)) if days > 3 else days,
                data_sharing_agreement=has_agreement,
                agreement_until=as_of + timedelta(days=rng.randint(60, 700)) if has_agreement and i == 1 else None,
                phone=f"0570-{rng.randint(100000, 999999)}",
                email=_email(name.split()[0]) if i % 2 == 0 else "",
                website="",
                is_active=True,
            )
            for _ in range(rng.randint(1, 3)):
                person = f"{rng.choice(CONTACT_FIRST)} {rng.choice(CONTACT_LAST)}"
                services.contact_person_create(
                    organisation=org,
                    by=admin,
                    name=person,
                    function=rng.choice(FUNCTIONS),
                    phone=f"06-{rng.randint(10000000, 99999999)}",
                    email=_email(person),
                )
            partners.append(org)
    for code, name, username, offer, days in DEPARTMENTS:
        org = services.organisation_create(
            by=admin,
            kind="department",
            department=code,
            name=name,
            services=offer,
            working_area="Alle wijken",
            expected_response_days=days,
        )
        user = users.get(username) if username else None
        if user is not None:
            services.contact_person_create(
                organisation=org, by=admin, name=str(user), function=name, email=user.email, user=user
            )
        else:
            person = f"{rng.choice(CONTACT_FIRST)} {rng.choice(CONTACT_LAST)}"
            services.contact_person_create(organisation=org, by=admin, name=person, function=name, email=_email(person))
    return partners


def _restamp_entries(case: Case, kind: str, key: str, pk: int, change: str, when: datetime) -> None:
    TimelineEntry.objects.filter(case=case, kind=kind, **{f"data__{key}": pk, "data__change": change}).update(at=when)


def build_engagements(*, rng: random.Random, as_of: date, cases: list[Case], partners: list) -> dict[str, int]:
    """Consents and referrals on the working cases: every referral state, a legal-ground referral,
    and consents that are valid, expired, withdrawn or for a purpose."""
    working = [
        c
        for c in sorted(cases, key=lambda c: c.pk)
        if c.status in (Status.PLAN, Status.IN_PROGRESS, Status.EVALUATION, Status.AFTERCARE)
    ]
    by_type: dict[str, list] = {}
    for org in partners:
        by_type.setdefault(org.partner_type, []).append(org)
    # The demo's "now" is the end of its reference day, not the clock: the same seed and date give
    # the same history, and nothing lies after as_of.
    now = datetime.combine(as_of - timedelta(days=1), time(17, 0), tzinfo=timezone.get_default_timezone())
    made = {"consents": 0, "referrals": 0}
    for n, case in enumerate(working):
        persons = list(case.household.persons.order_by("pk"))
        if not persons:
            continue
        adult = persons[0]
        opened = timezone.localdate(case.opened_at)
        director = case.director
        scenario = SCENARIOS[n % len(SCENARIOS)]
        partner_type = rng.choice([t for t in DOMAIN_BY_TYPE if t in by_type])
        org = rng.choice(by_type[partner_type])
        domains = DOMAIN_BY_TYPE[partner_type]
        state, sent_ago, answer_days, later = scenario
        sent_day = max(opened + timedelta(days=3), as_of - timedelta(days=sent_ago))
        sent_day = min(sent_day, as_of)
        given_on = max(opened, sent_day - timedelta(days=rng.randint(0, 3)))
        consent = services.consent_record(
            case=case,
            person=adult,
            organisation=org,
            domains=domains,
            given_on=given_on,
            form=rng.choice(("written", "written", "spoken")),
            by=director,
        )
        made["consents"] += 1
        referral = services.referral_create(
            case=case,
            organisation=org,
            contact=org.people.order_by("pk").first(),
            reason="Het huishouden heeft hulp nodig bij " + ", ".join(domains) + "; de huurder wil dit zelf ook.",
            shared="Naam, adres, telefoonnummer, de hulpvraag en wat er al is geprobeerd.",
            domains=domains,
            by=director,
        )
        made["referrals"] += 1
        sent_at = min(_at(sent_day, rng), now)
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at)
        ReferralEvent.objects.filter(referral=referral).update(at=sent_at)
        _restamp_entries(case, EntryKind.REFERRAL, "referral", referral.pk, "sent", sent_at)
        _restamp_entries(case, EntryKind.CONSENT, "consent", consent.pk, "recorded", _at(given_on, rng))
        referral.refresh_from_db()
        moment = sent_at
        if answer_days is not None:
            first = "declined" if state == "declined" else "accepted"
            for step, status in enumerate([first, *later]):
                moment = min(moment + timedelta(days=answer_days if step == 0 else rng.randint(5, 40)), now)
                referral = services.referral_transition(referral=referral, to_status=status, at=moment, by=director)
        if state == "reminded":
            Referral.objects.filter(pk=referral.pk).update(
                reminded_at=sent_at + timedelta(days=org.expected_response_days + 1)
            )
        if state == "ended" and rng.random() < 0.5:
            withdrawn_on = max(given_on, min(timezone.localdate(moment), as_of - timedelta(days=1)))
            services.consent_withdraw(consent=consent, by=director, on=withdrawn_on)
            _restamp_entries(case, EntryKind.CONSENT, "consent", consent.pk, "withdrawn", _at(withdrawn_on, rng))
        if state == "declined":
            # The consent was for a set period that has run out since.
            Consent.objects.filter(pk=consent.pk).update(
                valid_until=min(as_of - timedelta(days=1), sent_day + timedelta(days=30))
            )
        # A purpose consent of another member on every third case.
        if n % 3 == 0 and len(persons) > 1:
            purpose_consent = services.consent_record(
                case=case,
                person=persons[1],
                purpose="Overleg met het wijkteam over de kinderen",
                domains=["domestic", "network"],
                given_on=given_on,
                form="spoken",
                valid_until=given_on + timedelta(days=365),
                by=director,
            )
            _restamp_entries(case, EntryKind.CONSENT, "consent", purpose_consent.pk, "recorded", _at(given_on, rng))
            made["consents"] += 1
    # The Meldcode route: one referral to Veilig Thuis on a legal ground, without consent.
    safe = next((o for o in by_type.get(T.CHILD_PROTECTION, []) if "Veilig Thuis" in o.name), None)
    if safe is not None and working:
        case = working[-1]
        meldcode = services.referral_create(
            case=case,
            organisation=safe,
            reason="Zorgen over de veiligheid van de kinderen na herhaalde meldingen van geweld.",
            shared="Adres, gezinssamenstelling en de meldingen van de afgelopen maanden.",
            domains=["domestic"],
            legal_ground="meldcode",
            legal_justification="Stap 5 van de meldcode: acute onveiligheid voor de kinderen; toestemming vragen "
            "zou hen in gevaar brengen. Besproken met de aandachtsfunctionaris.",
            by=case.director,
        )
        sent_at = min(_at(as_of - timedelta(days=12), rng), now)
        Referral.objects.filter(pk=meldcode.pk).update(sent_at=sent_at)
        ReferralEvent.objects.filter(referral=meldcode).update(at=sent_at)
        _restamp_entries(case, EntryKind.REFERRAL, "referral", meldcode.pk, "sent", sent_at)
        meldcode.refresh_from_db()
        services.referral_transition(
            referral=meldcode, to_status="accepted", at=min(sent_at + timedelta(days=2), now), by=case.director
        )
        made["referrals"] += 1
    return made


def build_network(*, rng: random.Random, as_of: date, areas: dict, cases: list, users: dict) -> dict[str, int]:
    partners = build_directory(rng=rng, as_of=as_of, areas=areas, users=users)
    made = build_engagements(rng=rng, as_of=as_of, cases=cases, partners=partners)
    return {
        "partners": len(partners),
        "departments": Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).count(),
        "contact people": ContactPerson.objects.count(),
        "consents": made["consents"],
        "referrals": made["referrals"],
    }
