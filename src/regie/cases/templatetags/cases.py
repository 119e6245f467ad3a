"""Timeline entries told in the reader's language from the facts stored with them."""

from django import template
from django.utils.translation import gettext as _

from regie.cases.models import EntryKind, Outcome, Status
from regie.core.vera import CaseRole, Channel

register = template.Library()


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


@register.filter
def _decision_sentence(d: dict) -> str:
    """The mandate's timeline entries (regie.mandate.services writes `change` and `measure`)."""
    measure = d.get("measure") or ""
    sentences = {
        "recorded": _("Decision recorded: %(measure)s"),
        "approve": _("Decision approved: %(measure)s"),
        "decline": _("Decision declined: %(measure)s"),
        "question": _("Question about a decision: %(measure)s"),
        "reply": _("Question answered: %(measure)s"),
        "escalate": _("Decision passed to the board: %(measure)s"),
        "withdrawn": _("Decision withdrawn: %(measure)s"),
        "spent": _("Spent from the budget: %(measure)s"),
    }
    sentence = sentences.get(d.get("change"))
    return sentence % {"measure": measure} if sentence else ""


def _plan_sentence(d: dict) -> str:
    """The plan's timeline entries (regie.plans.services and .aftercare write `change`/`event`)."""
    from regie.plans.models import Action

    change = d.get("change") or d.get("event")
    if change == "action_status":
        return _("Action: %(status)s") % {"status": _label(Action.Status, d.get("status"))}
    sentences = {
        "goal_added": _("Goal added"),
        "goal_changed": _("Goal changed"),
        "action_added": _("Action added"),
        "action_changed": _("Action changed"),
        "action_accepted": _("Action taken up by the department"),
        "action_progress": _("Progress on an action"),
        "signed": _("Plan signed by the tenant"),
        "evaluation_planned": _("Evaluation planned"),
        "evaluation_cancelled": _("Evaluation cancelled"),
    }
    return str(sentences.get(change, ""))


def describe_entry(entry) -> str:
    d = entry.data or {}
    kind = entry.kind
    if kind == EntryKind.OPENED:
        return _("Case opened at “%(status)s”, directed by %(director)s") % {
            "status": _label(Status, d.get("status")),
            "director": d.get("director_name", ""),
        }
    if kind in (EntryKind.STATUS, EntryKind.REOPENED):
        text = _("Case re-opened: %(from)s → %(to)s") if kind == EntryKind.REOPENED else _("Status: %(from)s → %(to)s")
        text = text % {"from": _label(Status, d.get("from")), "to": _label(Status, d.get("to"))}
        if d.get("outcome"):
            text += " (" + _label(Outcome, d["outcome"]) + ")"
        return text
    if kind == EntryKind.CONTACT:
        return _("Contact: %(channel)s") % {"channel": _label(Channel, d.get("channel"))}
    if kind == EntryKind.TEAM:
        text = (
            _("%(user)s joined the case team as %(role)s")
            if d.get("change") == "added"
            else _("%(user)s left the case team (%(role)s)")
        )
        return text % {"user": d.get("user_name", ""), "role": _label(CaseRole, d.get("role"))}
    if kind == EntryKind.DIRECTOR:
        return _("Direction passed from %(from)s to %(to)s") % {
            "from": d.get("from_name", ""),
            "to": d.get("to_name", ""),
        }
    if kind == EntryKind.QUESTION:
        return _("The tenant's question recorded")
    if kind == EntryKind.NEXT_STEP:
        return _("Next step set") if entry.text else _("Next step cleared")
    if kind == EntryKind.DECISION:
        return _decision_sentence(d) or _label(EntryKind, kind)
    if kind == EntryKind.ASSESSMENT:
        from regie.plans.models import Assessment

        return _("Self-sufficiency assessed (%(moment)s)") % {"moment": _label(Assessment.Moment, d.get("moment"))}
    if kind == EntryKind.PLAN:
        return _plan_sentence(d) or _label(EntryKind, kind)
    if kind in (EntryKind.CONSENT, EntryKind.REFERRAL):
        from regie.network.timeline import describe

        return describe(entry) or _label(EntryKind, kind)
    if kind == EntryKind.AFTERCARE:
        event = d.get("event")
        if event == "scheduled":
            return _("Aftercare checks scheduled")
        if event == "recorded":
            from regie.plans.models import AftercareCheck

            return _("Aftercare check recorded: %(result)s") % {
                "result": _label(AftercareCheck.Result, d.get("result"))
            }
        return _label(EntryKind, kind)
    if kind == EntryKind.SIGNAL:
        from regie.signalling.rules import Domain

        domains = ", ".join(_label(Domain, code) for code in d.get("domains", []))
        text = (
            _("Signal of another household linked to this case")
            if d.get("linked_household")
            else _("Opened from the signal inbox")
        )
        if domains:
            text += " — " + _("%(domains)s; score %(score)s (rules version %(version)s)") % {
                "domains": domains,
                "score": d.get("score"),
                "version": d.get("rules_version"),
            }
        return text
    return _label(EntryKind, kind)
