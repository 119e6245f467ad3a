"""The sector's VERA reference codes (CC0, see reference/README.md), and the subsets Regie uses.

A code is always named with its kind (`ZAAKTYPEDETAILSOORT.VER` is addiction, `SIGNALERINGDETAILSOORT.VER`
pollution), so lookups take the qualified form.
"""

import csv
from functools import lru_cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

REFERENCE_CSV = Path(__file__).parent / "reference" / "vera-referentiedata.csv"


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    with REFERENCE_CSV.open(encoding="utf-8-sig", newline="") as f:
        return {f"{row['Soort']}.{row['Code']}": row["Naam"] for row in csv.DictReader(f, delimiter=";")}


def vera_name(qualified_code: str) -> str:
    """The Dutch VERA name of `KIND.CODE`; Regie's own `REGIE.*` codes and unknown codes fall back."""
    if qualified_code in REGIE_CODES:
        return str(REGIE_CODES[qualified_code])
    return _codes().get(qualified_code, qualified_code)


def vera_exists(qualified_code: str) -> bool:
    return qualified_code in _codes()


class HouseholdRole(models.TextChoices):
    """VERA RELATIEROLSOORT: the roles people have in a household (IMPORT.md, persons)."""

    TENANT = "HUU", _("Tenant")
    CO_TENANT = "MDH", _("Co-tenant")
    CO_RESIDENT = "MBW", _("Co-resident")
    CHILD = "KIN", _("Child")
    OTHER_ADULT = "VOL", _("Other adult")


class CaseRole(models.TextChoices):
    """VERA ZAAKROL: the roles people have in a case."""

    COORDINATOR = "ZAA", _("Case coordinator")
    HANDLER = "BEH", _("Handler")
    ADVISER = "ADV", _("Adviser")
    DECIDER = "BES", _("Decision maker")
    STAKEHOLDER = "BEL", _("Stakeholder")
    INITIATOR = "INI", _("Initiator")
    CUSTOMER_CONTACT = "KLA", pgettext_lazy("case role", "Customer contact")
    OTHER = "OVE", _("Other party involved")


class Channel(models.TextChoices):
    """VERA COMMUNICATIEKANAAL: how a contact took place."""

    HOME_VISIT = "BEZ", _("Home visit")
    PHONE = "TEL", _("Phone")
    OFFICE = "BAL", _("Office (front desk)")
    EMAIL = "EMA", _("E-mail")
    WHATSAPP = "APP", _("WhatsApp")
    SMS = "SMS", _("Text message")
    LETTER = "BRI", _("Letter")
    PORTAL = "INT", _("Internet / customer portal")
    INSPECTION = "INS", _("Inspection")


# Regie's own event codes where VERA has none (IMPORT.md, "Regie's own codes").
REGIE_CODES = {
    "REGIE.AAN": _("Written arrears reminder"),
    "REGIE.CTP": _("Attempt at personal contact about arrears"),
    "REGIE.BZW": _("Objection to sharing the arrears signal"),
    "REGIE.DAG": _("Summons issued"),
    "REGIE.VON": _("Judgment for termination or eviction"),
    "REGIE.ONT": _("Eviction scheduled"),
    "REGIE.GTO": _("Maintenance visit found no access"),
    "REGIE.VWL": _("Neglected dwelling observed"),
    "REGIE.ZRG": _("Care worry from a partner"),
}

# Events that mean a tenancy is heading for court or eviction: an urgency mark on the caseload.
LEGAL_STEP_CODES = ("REGIE.DAG", "REGIE.VON", "REGIE.ONT")


class EventSource(models.TextChoices):
    COLLECTIONS = "INC", _("Collections")
    MAINTENANCE = "OHD", _("Maintenance")
    NEIGHBOURHOOD = "WIJ", _("Neighbourhood management")
    CUSTOMER_CONTACT = "KCC", _("Customer contact")
    PARTNER = "PAR", _("Partner organisation")
    POLICE = "POL", _("Police")
    TENANT = "HUU", _("Tenant")
