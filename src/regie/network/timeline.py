"""How consent and referral entries on a case's timeline read, from the facts stored with them
(services write EntryKind.CONSENT and EntryKind.REFERRAL with `data`). For
regie.cases.templatetags.cases.describe_entry to call for those kinds."""

from django.utils.translation import gettext as _

from regie.network.models import Referral
from regie.network.services import domain_labels


def _status(code) -> str:
    try:
        return str(Referral.Status(code).label)
    except ValueError:
        return code or ""


def describe(entry) -> str | None:
    """The sentence for a consent or referral entry; None for other kinds."""
    d = entry.data or {}
    kind = entry.kind
    to = d.get("organisation_name") or d.get("purpose", "")
    if kind == "consent":
        if d.get("change") == "withdrawn":
            return _("Consent for %(to)s withdrawn") % {"to": to}
        return _("Consent recorded for %(to)s (%(domains)s)") % {
            "to": to,
            "domains": domain_labels(d.get("domains", [])),
        }
    if kind == "referral":
        if d.get("change") == "sent":
            text = _("Referred to %(to)s (%(domains)s)") % {"to": to, "domains": domain_labels(d.get("domains", []))}
            if d.get("legal_ground"):
                text += " — " + _("on a legal ground, without consent")
            return text
        return _("Referral to %(to)s: %(from)s → %(status)s") % {
            "to": to,
            "from": _status(d.get("from")),
            "status": _status(d.get("to")),
        }
    return None
