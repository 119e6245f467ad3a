"""The case workflow as an explicit transition table, enforced in one place."""

from django.utils.translation import gettext_lazy

from regie.cases.models import Status
from regie.core.workflow import Workflow

S = Status
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SIGNALLED: (S.INTAKE, S.CLOSED),
    S.INTAKE: (S.PLAN, S.CLOSED),
    S.PLAN: (S.IN_PROGRESS, S.INTAKE, S.CLOSED),
    S.IN_PROGRESS: (S.EVALUATION, S.PLAN, S.CLOSED),
    S.EVALUATION: (S.AFTERCARE, S.IN_PROGRESS, S.PLAN, S.CLOSED),
    # Aftercare falls back to in progress when the problems return.
    S.AFTERCARE: (S.CLOSED, S.IN_PROGRESS),
    # Re-opening: back to intake for a fresh look, or straight on with the work.
    S.CLOSED: (S.INTAKE, S.IN_PROGRESS),
}


WORKFLOW = Workflow(
    Status,
    TRANSITIONS,
    refused=gettext_lazy("A case can't go from “%(from)s” to “%(to)s”. Allowed: %(allowed)s."),
)
allowed_next = WORKFLOW.allowed_next
check_transition = WORKFLOW.check
