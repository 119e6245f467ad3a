"""The action workflow as an explicit transition table, enforced in one place (services)."""

from django.utils.translation import gettext_lazy

from regie.core.workflow import Workflow
from regie.plans.models import Action

A = Action.Status
TRANSITIONS: dict[str, tuple[str, ...]] = {
    A.OPEN: (A.IN_PROGRESS, A.DONE, A.CANCELLED),
    # Handed back (e.g. the colleague can't do it after all) returns it to open.
    A.IN_PROGRESS: (A.DONE, A.CANCELLED, A.OPEN),
    # A finished action that turns out not to hold is picked up again.
    A.DONE: (A.IN_PROGRESS,),
    A.CANCELLED: (A.OPEN,),
}
ACTIVE = (A.OPEN, A.IN_PROGRESS)


WORKFLOW = Workflow(
    A,
    TRANSITIONS,
    refused=gettext_lazy("An action can't go from “%(from)s” to “%(to)s”. Allowed: %(allowed)s."),
)
allowed_next = WORKFLOW.allowed_next
check_transition = WORKFLOW.check
