"""The plan as a PDF for the tenant to read and sign, in plain Dutch (B1) whatever the reader's
interface language: his goals, who does what by when, and his contact person.

The words are written here and in plans/plan_pdf.html in Dutch on purpose, not through the
catalogue: the staff's terms ("Instrumentele ADL", "Financiën") are not the tenant's words.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from regie.accounts.models import Department
from regie.plans.models import Action, Goal, ZrmDomain
from regie.plans.selectors import latest_signature, plan_goals, signers

# The ZRM domains as a tenant would say them.
DOMAIN_WORDS = {
    ZrmDomain.FINANCES: "Geld en schulden",
    ZrmDomain.WORK: "Werk en opleiding",
    ZrmDomain.TIME_USE: "Dagbesteding",
    ZrmDomain.HOUSING: "Wonen",
    ZrmDomain.DOMESTIC: "Gezin en relaties thuis",
    ZrmDomain.MENTAL: "Hoe u zich voelt",
    ZrmDomain.PHYSICAL: "Lichamelijke gezondheid",
    ZrmDomain.SUBSTANCE: "Alcohol en drugs",
    ZrmDomain.BASIC_ADL: "Voor uzelf zorgen",
    ZrmDomain.INSTRUMENTAL_ADL: "Het huishouden",
    ZrmDomain.NETWORK: "Mensen om u heen",
    ZrmDomain.PARTICIPATION: "Meedoen in de buurt",
    ZrmDomain.JUSTICE: "Politie en justitie",
}
DEPARTMENT_WORDS = {
    Department.MAINTENANCE: "de afdeling Onderhoud",
    Department.COLLECTIONS: "de afdeling Huurincasso",
    Department.NEIGHBOURHOOD: "de wijkbeheerder",
    Department.LETTING: "de afdeling Verhuur",
    Department.LEGAL: "de afdeling Juridische Zaken",
    Department.CUSTOMER_CONTACT: "de Klantenservice",
    Department.SOCIAL: "het team Wonen en Zorg",
}
STATUS_WORDS = {
    Action.Status.OPEN: "Nog niet begonnen",
    Action.Status.IN_PROGRESS: "Bezig",
    Action.Status.DONE: "Klaar",
}
GOAL_STATUS_WORDS = {
    Goal.Status.OPEN: "",
    Goal.Status.ACHIEVED: "Gelukt",
    Goal.Status.PARTLY: "Voor een deel gelukt",
    Goal.Status.NOT_ACHIEVED: "Niet gelukt",
}


def _who(action: Action, director) -> str:
    if action.who == Action.Who.TENANT:
        return "U zelf"
    if action.who == Action.Who.DIRECTOR:
        return f"{director} (uw contactpersoon)"
    if action.who == Action.Who.DEPARTMENT:
        words = DEPARTMENT_WORDS.get(action.department, "de woningcorporatie")
        return words[:1].upper() + words[1:]
    if action.referral_id:
        return str(action.referral.organisation)
    return "Een andere organisatie"


def _nl_date(day) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def contact_person(case) -> dict:
    """The director with his phone and e-mail. Users have no phone of their own: a phone comes from
    the director's entry as a contact person in the network, else the corporation's number."""
    from regie.network.models import ContactPerson

    director = case.director
    entry = ContactPerson.objects.filter(user=director, is_active=True).exclude(phone="").first()
    return {
        "name": str(director),
        "phone": entry.phone if entry else "",
        "email": director.email,
        "corporation": settings.REGIE_CORPORATION_CONTACT,
    }


# A goal in a sensitive domain, printed by someone outside the case team (plans.sensitivity).
SHIELDED_DOMAIN = "Afgeschermd"
SHIELDED_TEXT = "Afgeschermd: alleen voor het casusteam"


def plan_document_context(case, *, sees_sensitive: bool = False) -> dict:
    """`sees_sensitive`: whether the one printing reads the sensitive domains; if not, those goals
    are printed as shielded (their actions still show: who does what)."""
    goals = [g for g in plan_goals(case) if g.status != Goal.Status.DROPPED]
    director = case.director
    unit = case.household.unit
    items = []
    for g in goals:
        actions = [
            {
                "what": a.what,
                "who": _who(a, director),
                "when": _nl_date(a.due) or "Zo snel mogelijk",
                "status": STATUS_WORDS.get(a.status, ""),
            }
            for a in g.actions.all()
            if a.status != Action.Status.CANCELLED
        ]
        shielded = g.is_sensitive and not sees_sensitive
        items.append(
            {
                "domain": SHIELDED_DOMAIN if shielded else DOMAIN_WORDS.get(g.domain, g.domain),
                "text": SHIELDED_TEXT if shielded else g.text,
                "target": _nl_date(g.target_date),
                "status": GOAL_STATUS_WORDS.get(g.status, ""),
                "actions": actions,
            }
        )
    signature = latest_signature(case)
    return {
        "case": case,
        "household": case.household,
        "address": f"{unit.address}, {unit.postcode} {unit.city}",
        "today": _nl_date(timezone.localdate()),
        "goals": items,
        "contact": contact_person(case),
        "signers": [p.full_name for p in signers(case)],
        "signature": (
            {"name": signature.person.full_name, "date": _nl_date(signature.signed_on)} if signature else None
        ),
    }


def plan_html(case, *, sees_sensitive: bool = False) -> str:
    with translation.override("nl"):
        return render_to_string("plans/plan_pdf.html", plan_document_context(case, sees_sensitive=sees_sensitive))


def plan_pdf_bytes(case, *, sees_sensitive: bool = False) -> bytes:
    from weasyprint import HTML

    # No base URL: the document loads nothing from outside itself.
    return HTML(string=plan_html(case, sees_sensitive=sees_sensitive)).write_pdf()
