"""Stored codes of the access log shown as words in the reader's language."""

from django import template
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Role

register = template.Library()

RECORD_KINDS = {
    "case": _("Case"),
    "household": _("Household"),
    "action": _("Action"),
    "access_log": _("Access log"),
    "security_incident": _("Security incident"),
    "person": _("Person"),
    "user": _("Account"),
    "session": _("Session"),
    "hold": _("Hold"),
    "subject_request": _("Subject request"),
    "retention_rule": _("Retention rule"),
    "meeting": _("Team meeting"),
    "agreement": _("Result agreement"),
    "organisation": _("Organisation"),
    "measure": _("Measure"),
    "limits": _("Mandate limits"),
    "budget": _("Budget"),
    "district": _("District"),
    "results_report": _("Results report"),
}
PURPOSES = {
    "case_direction": _("Case direction"),
    "supervision": _("Supervision"),
    "task": _("Task"),
    "configuration": _("Configuration"),
    "privacy_audit": _("Privacy audit"),
    "emergency": _("Emergency override"),
    "retention": _("Retention"),
    "other": _("Other"),
}
CHANNELS = {"web": _("web app"), "api": _("API"), "cli": _("command line")}


def _label(table, value):
    return str(table.get(value, value))


@register.filter
def role_label(value: str) -> str:
    if value == "system":  # the nightly tasks (retention, the chain's sealer)
        return str(_("System (nightly task)"))
    return str(Role(value).label) if value in Role.values else value


@register.filter
def record_kind_label(value: str) -> str:
    return _label(RECORD_KINDS, value)


@register.filter
def purpose_label(value: str) -> str:
    return _label(PURPOSES, value)


@register.filter
def channel_label(value: str) -> str:
    return _label(CHANNELS, value)
