"""The rules editor's form: every number of the detection rules and the code-to-domain table.

A setting's dotted key in the configuration (`f1.band_2`, `domains.CARE`) is its form field's name
with `__` for the dot, so the ValidationError of `rules.validate` lands on the field it names.
The form parses and checks what one field can tell (a number, a known code); the rules decide the
rest (rising bands, one domain per code) when the service validates the whole configuration.
"""

import re
from copy import deepcopy
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regie.core.vera import REGIE_CODES, vera_exists
from regie.signalling.rules import DOMAINS, Domain

MONTHS, DAYS, COUNT, SEVERITY, POINTS, CODES, CODE = "months", "days", "count", "severity", "points", "codes", "code"

# (dotted key, label, kind), grouped as the page shows them. The labels are the rules' own words.
GROUPS: list[tuple[str, list[tuple[str, object, str]]]] = [
    (
        _("F1 arrears (months of rent)"),
        [
            ("f1.band_1", _("Fires from (severity 1)"), MONTHS),
            ("f1.band_2", _("Severity 2 from"), MONTHS),
            ("f1.band_3", _("Severity 3 from"), MONTHS),
        ],
    ),
    (
        _("F2 legal steps"),
        [
            ("f2.codes", _("Event types that are legal steps"), CODES),
            ("f2.window_days", _("Window (days)"), DAYS),
            ("f2.severity", _("Severity"), SEVERITY),
        ],
    ),
    (_("F3 other finance reports"), [("f3.window_days", _("Window (days)"), DAYS)]),
    (
        _("B1 nuisance"),
        [
            ("b1.window_days", _("Window (days)"), DAYS),
            ("b1.min_events", _("Fires from this many events"), COUNT),
            ("b1.severe_severity", _("Or one event of at least this severity"), SEVERITY),
        ],
    ),
    (
        _("L1 no access"),
        [
            ("l1.code", _("Event type"), CODE),
            ("l1.window_days", _("Window (days)"), DAYS),
            ("l1.min_events", _("Fires from this many events"), COUNT),
            ("l1.severity", _("Severity"), SEVERITY),
        ],
    ),
    (_("L2 other liveability events"), [("l2.window_days", _("Window (days)"), DAYS)]),
    (_("C1 care"), [("c1.window_days", _("Window (days)"), DAYS)]),
    (
        _("Flagging"),
        [
            ("multi_min_domains", _("Multi-problem from this many active domains"), COUNT),
            ("eviction_bonus.code", _("Event type that adds the eviction bonus"), CODE),
            ("eviction_bonus.window_days", _("Eviction bonus window (days)"), DAYS),
            ("eviction_bonus.points", _("Eviction bonus (points)"), POINTS),
        ],
    ),
    (
        _("Municipality signal"),
        [
            ("wgs.reminder_code", _("Event type of a written reminder"), CODE),
            ("wgs.reminder_min_days", _("Reminder at least this many days before the reference date"), POINTS),
            ("wgs.contact_code", _("Event type of a contact attempt"), CODE),
            ("wgs.objection_code", _("Event type of an objection"), CODE),
            ("wgs.pause_days", _("Collection pause after help is accepted (days)"), DAYS),
        ],
    ),
    (_("Event types per domain"), [(f"domains.{d}", Domain(d).label, CODES) for d in DOMAINS]),
]

SETTINGS: dict[str, tuple[object, str]] = {key: (label, kind) for _g, rows in GROUPS for key, label, kind in rows}

HELP = {
    MONTHS: _("Arrears as months of rent, such as 1 or 2.5."),
    CODES: _("One event type per line, as KIND.CODE (a VERA code or one of Regie's own REGIE codes)."),
    CODE: _("As KIND.CODE (a VERA code or one of Regie's own REGIE codes)."),
}

_QUALIFIED = re.compile(r"^[A-Z0-9_]+\.[A-Z0-9_]+$")


def field_name(key: str) -> str:
    return key.replace(".", "__")


def get(config: dict, key: str):
    value = config
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def months_text(value: Decimal) -> str:
    """`2.50` → "2.5", `10` → "10": the form the rules keep, so an untouched band is no change."""
    return format(value.normalize(), "f")


def check_code(code: str) -> str | None:
    """Why `code` can't be used, or None when it is a known qualified code."""
    if not _QUALIFIED.match(code):
        return str(_("“%(code)s” is not written as KIND.CODE.") % {"code": code})
    if not (vera_exists(code) or code in REGIE_CODES):
        return str(_("“%(code)s” is neither a VERA code nor one of Regie's own codes.") % {"code": code})
    return None


class CodesField(forms.CharField):
    """A textarea with one qualified code per line; cleans to a list without blanks or repeats."""

    widget = forms.Textarea(attrs={"rows": 6, "spellcheck": "false"})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value):
        text = super().clean(value) or ""
        codes = list(dict.fromkeys(line.strip().upper() for line in text.splitlines() if line.strip()))
        problems = [p for p in (check_code(c) for c in codes) if p]
        if problems:
            raise ValidationError(problems)
        return codes


class CodeField(forms.CharField):
    def clean(self, value):
        code = (super().clean(value) or "").strip().upper()
        problem = check_code(code)
        if problem:
            raise ValidationError(problem)
        return code


def _field(key: str, label, kind: str) -> forms.Field:
    help_text = HELP.get(kind, "")
    if kind == MONTHS:
        return forms.DecimalField(
            label=label,
            help_text=help_text,
            max_digits=6,
            decimal_places=2,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )
    if kind == CODES:
        # The legal steps need a code; a domain may be empty (it then activates on nothing).
        return CodesField(label=label, help_text=help_text, required=not key.startswith("domains."))
    if kind == CODE:
        return CodeField(label=label, help_text=help_text, max_length=60)
    # Bounds are the rules' to check (rules.validate), so the messages are the same everywhere.
    attrs = {"min": 1, "max": 3} if kind == SEVERITY else {"min": 0 if kind == POINTS else 1}
    return forms.IntegerField(label=label, widget=forms.NumberInput(attrs=attrs))


class RulesForm(forms.Form):
    """All settings of one rule version, plus the required note on why it changes."""

    note = forms.CharField(
        label=_("Why this change"),
        help_text=_("Kept with the new version, for whoever later asks why a household was flagged."),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, config: dict, **kwargs):
        self.base_config = config
        kwargs.setdefault("initial", {field_name(key): get(config, key) for key in SETTINGS})
        super().__init__(*args, **kwargs)
        note = self.fields.pop("note")
        for key, (label, kind) in SETTINGS.items():
            self.fields[field_name(key)] = _field(key, label, kind)
        self.fields["note"] = note

    def clean(self):
        # The rules refuse this too, naming the domain by its key; here both fields get it, in words.
        seen: dict[str, str] = {}
        for domain in DOMAINS:
            name = field_name(f"domains.{domain}")
            for code in self.cleaned_data.get(name) or ():
                other = seen.setdefault(code, domain)
                if other != domain:
                    message = _("%(code)s is in both %(a)s and %(b)s; a code has one domain.") % {
                        "code": code,
                        "a": Domain(other).label,
                        "b": Domain(domain).label,
                    }
                    for field in (field_name(f"domains.{other}"), name):
                        if field in self.cleaned_data:
                            self.add_error(field, message)
        return self.cleaned_data

    def groups(self) -> list[tuple[str, list]]:
        return [(title, [self[field_name(key)] for key, _l, _k in rows]) for title, rows in GROUPS]

    def config(self) -> dict:
        """The whole configuration the form describes: the version it was opened on, edited."""
        config = deepcopy(self.base_config)
        for key, (_label, kind) in SETTINGS.items():
            value = self.cleaned_data[field_name(key)]
            if kind == MONTHS:
                value = months_text(value)
            *parents, last = key.split(".")
            target = config
            for part in parents:
                target = target.setdefault(part, {})
            target[last] = value
        return config


def error_fields(error: ValidationError) -> dict:
    """The rules' dotted error keys as form field names, for apply_validation_error."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({field_name(key): errs for key, errs in error.error_dict.items()})
