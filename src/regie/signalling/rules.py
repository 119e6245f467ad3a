"""The detection rules as data: DETECTION.md's defaults, their validation and the version in force.

The functional administrator may change every number and the code-to-domain table; each change is
a new `RuleSet` row, so a flag can always name the rules that raised it. Amounts of months are
decimal strings ("1", "2.5") so comparisons stay exact.
"""

from copy import deepcopy
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Domain(models.TextChoices):
    FINANCES = "FINANCES", gettext_lazy("Finances")
    BEHAVIOUR = "BEHAVIOUR", gettext_lazy("Behaviour")
    LIVEABILITY = "LIVEABILITY", gettext_lazy("Liveability")
    CARE = "CARE", gettext_lazy("Care")


# The fixed order of domains wherever they are listed (the CSV of `regie detect` too).
DOMAINS = ("FINANCES", "BEHAVIOUR", "LIVEABILITY", "CARE")

_Z = "ZAAKTYPEDETAILSOORT."
_S = "SIGNALERINGDETAILSOORT."

DEFAULT_RULES: dict = {
    # Which event types belong to which domain (DETECTION.md, "Domains and the event types").
    "domains": {
        "FINANCES": [
            _Z + "HUA",
            _Z + "BET",
            _S + "BET",
            _S + "DEU",
            "REGIE.DAG",
            "REGIE.VON",
            "REGIE.ONT",
        ],
        "BEHAVIOUR": [_Z + c for c in ("GEL", "RUZ", "AGR", "STA", "VAN", "DIE", "DRU", "HEN")]
        + [_S + c for c in ("AGS", "FYS", "VEB", "SCH", "BRA", "GEL", "DRU", "HEN")],
        "LIVEABILITY": [_Z + c for c in ("VUI", "VUIL", "ONG", "ONV", "KLI")]
        + [_S + "VER", _S + "MUT", "REGIE.GTO", "REGIE.VWL"],
        "CARE": [_Z + "PSY", _Z + "VER", "REGIE.ZRG"],
    },
    # F1 arrears: fires at M >= band_1; severity 2 from band_2, 3 from band_3 (months of rent).
    "f1": {"band_1": "1", "band_2": "2", "band_3": "3"},
    # F2 legal steps: any of these codes within the window gives this severity.
    "f2": {"codes": ["REGIE.DAG", "REGIE.VON", "REGIE.ONT"], "window_days": 365, "severity": 3},
    # F3 other finance reports within the window: their highest severity.
    "f3": {"window_days": 365},
    # B1 nuisance: min_events within the window, or one with at least severe_severity.
    "b1": {"window_days": 180, "min_events": 2, "severe_severity": 3},
    # L1 no access: min_events of `code` within the window give this severity.
    "l1": {"code": "REGIE.GTO", "window_days": 365, "min_events": 2, "severity": 2},
    # L2 other liveability events within the window: their highest severity.
    "l2": {"window_days": 365},
    # C1 care events within the window: their highest severity.
    "c1": {"window_days": 365},
    # Multi-problem from this many active domains; score bonus for a scheduled eviction.
    "multi_min_domains": 2,
    "eviction_bonus": {"code": "REGIE.ONT", "window_days": 365, "points": 3},
    # The municipality signal (vroegsignalering).
    "wgs": {
        "reminder_code": "REGIE.AAN",
        "reminder_min_days": 14,
        "contact_code": "REGIE.CTP",
        "objection_code": "REGIE.BZW",
        "pause_days": 30,
    },
}


def defaults() -> dict:
    return deepcopy(DEFAULT_RULES)


def _positive_int(errors: dict, key: str, value, *, allow_zero: bool = False) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < (0 if allow_zero else 1):
        errors[key] = _("Enter a whole number of at least %(min)s.") % {"min": 0 if allow_zero else 1}


def _severity(errors: dict, key: str, value) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 3:
        errors[key] = _("Enter a severity of 1, 2 or 3.")


def _months(errors: dict, key: str, value) -> Decimal | None:
    try:
        months = Decimal(str(value))
    except InvalidOperation:
        months = None
    if months is None or not months.is_finite() or months <= 0:
        errors[key] = _("Enter a number of months above 0, such as 1 or 2.5.")
        return None
    return months


def validate(config: dict) -> dict:
    """Check a whole rule configuration; raise ValidationError naming each wrong field.

    Field names are dotted paths (`f1.band_2`, `domains.CARE`) so forms can put a message on the
    field that caused it.
    """
    errors: dict[str, str] = {}
    merged = defaults()
    for key, value in config.items():
        if key not in merged:
            errors[key] = _("Unknown setting.")
        elif isinstance(merged[key], dict) and isinstance(value, dict):
            merged[key].update(value)
        else:
            merged[key] = value

    domains = merged["domains"]
    if set(domains) != set(DOMAINS):
        errors["domains"] = _("Give the event types of exactly these domains: %(d)s.") % {"d": ", ".join(DOMAINS)}
    else:
        seen: dict[str, str] = {}
        for domain in DOMAINS:
            codes = domains[domain]
            if not isinstance(codes, list) or not all(isinstance(c, str) and "." in c for c in codes):
                errors[f"domains.{domain}"] = _("Give qualified codes (KIND.CODE), one per line.")
                continue
            for code in codes:
                if code in seen and seen[code] != domain:
                    errors[f"domains.{domain}"] = _("%(code)s is already in %(other)s; a code has one domain.") % {
                        "code": code,
                        "other": seen[code],
                    }
                seen[code] = domain

    bands = [_months(errors, f"f1.band_{i}", merged["f1"].get(f"band_{i}")) for i in (1, 2, 3)]
    if all(b is not None for b in bands) and not bands[0] <= bands[1] <= bands[2]:
        errors["f1.band_3"] = _("The bands must rise: band 1 ≤ band 2 ≤ band 3.")

    for rule in ("f2", "f3", "b1", "l1", "l2", "c1"):
        _positive_int(errors, f"{rule}.window_days", merged[rule].get("window_days"))
    _severity(errors, "f2.severity", merged["f2"].get("severity"))
    _severity(errors, "l1.severity", merged["l1"].get("severity"))
    _severity(errors, "b1.severe_severity", merged["b1"].get("severe_severity"))
    _positive_int(errors, "b1.min_events", merged["b1"].get("min_events"))
    _positive_int(errors, "l1.min_events", merged["l1"].get("min_events"))
    if not isinstance(merged["f2"].get("codes"), list) or not merged["f2"]["codes"]:
        errors["f2.codes"] = _("Give at least one code.")
    _positive_int(errors, "multi_min_domains", merged["multi_min_domains"])
    if isinstance(merged["multi_min_domains"], int) and merged["multi_min_domains"] > len(DOMAINS):
        errors["multi_min_domains"] = _("There are only %(n)s domains.") % {"n": len(DOMAINS)}
    _positive_int(errors, "eviction_bonus.window_days", merged["eviction_bonus"].get("window_days"))
    _positive_int(errors, "eviction_bonus.points", merged["eviction_bonus"].get("points"), allow_zero=True)
    _positive_int(errors, "wgs.reminder_min_days", merged["wgs"].get("reminder_min_days"), allow_zero=True)
    _positive_int(errors, "wgs.pause_days", merged["wgs"].get("pause_days"))
    if errors:
        raise ValidationError(errors)
    return merged


def current():
    """The rule set in force: the newest version, version 1 (the defaults) when there is none."""
    from regie.signalling.models import RuleSet

    rule_set = RuleSet.objects.order_by("-version").first()
    if rule_set is None:
        with transaction.atomic():
            rule_set, _created = RuleSet.objects.get_or_create(
                version=1, defaults={"config": defaults(), "note": "DETECTION.md defaults"}
            )
    return rule_set
