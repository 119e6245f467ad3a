"""Dutch words for the demo's cases: contact summaries, status notes, outcomes and next steps.

All synthetic; they name roles ("het wijkteam"), never people.
"""

from regie.cases.models import Outcome, Status

S = Status

# Contact moments per stage of a case: (the channels it can take place through, summary). A
# visit reads as a visit, a call as a call. Channels are VERA COMMUNICATIEKANAAL codes.
VISIT, TALK, WRITE = "BEZ BAL", "BEZ BAL TEL", "EMA APP SMS"
CONTACTS: dict[str, tuple[tuple[str, str], ...]] = {
    S.SIGNALLED: (
        ("TEL", "Eerste contact gezocht naar aanleiding van de signalen; huurder staat open voor een gesprek."),
        ("TEL", "Gebeld, niet opgenomen. Bericht achtergelaten met het verzoek terug te bellen."),
        ("BRI", "Brief gestuurd met een uitnodiging voor een kennismakingsgesprek."),
        ("SMS", "Sms gestuurd met het voorstel om kennis te maken."),
        ("BEZ", "Langsgegaan, niemand thuis; kaartje met telefoonnummer achtergelaten."),
    ),
    S.INTAKE: (
        ("BEZ", "Kennismaking thuis. Huurder vertelt over de schulden en de spanning met de buren."),
        (
            TALK,
            "Intakegesprek: vraag van de huurder opgeschreven, toestemming gevraagd voor overleg met het wijkteam.",
        ),
        ("BEZ", "Gesprek aan de keukentafel; huurder schaamt zich voor de achterstand maar wil hulp."),
        ("BAL", "Huurder kwam naar kantoor met een tas vol ongeopende post; samen gesorteerd."),
    ),
    S.PLAN: (
        (VISIT, "Plan samen doorgenomen; huurder kiest zelf de eerste stap."),
        (TALK, "Afspraken gemaakt over budgetbeheer en een betalingsregeling."),
        (VISIT, "Driegesprek met schuldhulpverlening over de aanmelding."),
        ("EMA", "Conceptplan gemaild; huurder reageert met twee aanvullingen."),
    ),
    S.IN_PROGRESS: (
        (VISIT, "Samen met schuldhulpverlening de papieren geordend."),
        (TALK, "Voortgang besproken: de huur is deze maand op tijd betaald."),
        ("TEL", "Huurder belt zelf, het gaat beter met de kinderen."),
        ("BEZ INS", "Woning bekeken met de wijkbeheerder; opruimactie afgesproken."),
        ("APP", "Huurder stuurt een foto van de opgeruimde tuin."),
        ("BAL", "Gesprek met huurder en buren onder begeleiding van buurtbemiddeling."),
        (WRITE, "Huurder heeft de afspraak bij de GGZ gemist; nieuwe afspraak gemaakt."),
        ("INT", "Huurder meldt via het klantportaal dat de regeling is getekend."),
    ),
    S.EVALUATION: (
        (VISIT, "Evaluatie: de meeste doelen gehaald, de regeling loopt."),
        (VISIT, "Terugblik met huurder en wijkteam; huurder wil zelf verder."),
        ("TEL", "Evaluatiegesprek voorbereid; huurder noemt zelf wat beter gaat."),
    ),
    S.AFTERCARE: (
        ("TEL APP", "Nazorgcontact: huur betaald, geen nieuwe klachten."),
        ("BEZ", "Even langsgegaan; het gaat goed en de woning is op orde."),
        ("EMA", "Huurder mailt dat de betalingsregeling bijna is afgelost."),
    ),
}

OTHERS = (
    "medewerker schuldhulpverlening",
    "wijkteam",
    "collega incasso",
    "wijkbeheerder",
    "begeleider GGZ",
    "jeugdconsulent",
    "buurtbemiddeling",
)

NOTES: dict[str, str] = {
    S.INTAKE: "Huurder wil meewerken; intake gepland.",
    S.PLAN: "Intake afgerond, plan wordt samen opgesteld.",
    S.IN_PROGRESS: "Plan vastgesteld met de huurder.",
    S.EVALUATION: "Tijd om de doelen samen te evalueren.",
    S.AFTERCARE: "Doelen gehaald; drie maanden nazorg.",
}
BACK_TO_WORK = "Doelen nog niet gehaald; verder met het plan."
REOPEN_NOTE = "Nieuwe signalen: de achterstand loopt weer op en de buren klagen opnieuw."
TRANSFER_NOTES = (
    "Regie overgedragen wegens herverdeling van de caseload.",
    "Huurder heeft een betere klik met de nieuwe regisseur.",
    "Overgedragen omdat de problematiek beter past bij de expertise van de collega.",
)

OUTCOME_NOTES: dict[str, str] = {
    Outcome.RESOLVED: "Schulden in beeld, regeling loopt en de huurder redt het zelf.",
    Outcome.STABLE: "Situatie stabiel; geen regie meer nodig.",
    Outcome.HANDED_OVER: "Overgedragen aan het wijkteam voor langdurige begeleiding.",
    Outcome.DECLINED: "Huurder wil geen hulp; signalen blijven we volgen.",
    Outcome.NO_CONTACT: "Na herhaalde pogingen geen contact gekregen.",
}

NEXT_STEPS: dict[str, tuple[str, ...]] = {
    S.SIGNALLED: ("Huisbezoek afleggen voor kennismaking", "Huurder bellen voor een eerste gesprek"),
    S.INTAKE: ("ZRM-scores invullen met de huurder", "Toestemming vragen voor overleg met het wijkteam"),
    S.PLAN: ("Plan bespreken en laten ondertekenen", "Afspraak met schuldhulpverlening inplannen"),
    S.IN_PROGRESS: (
        "Betalingsregeling controleren bij incasso",
        "Driegesprek met GGZ en huurder",
        "Opruimactie afstemmen met wijkbeheer",
    ),
    S.EVALUATION: ("Evaluatiegesprek met huurder en partners",),
    S.AFTERCARE: ("Nazorgcontact na drie maanden", "Laatste controle huurbetaling"),
}
