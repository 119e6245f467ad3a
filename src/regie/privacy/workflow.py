"""The subject request's statuses as an explicit transition table (ARCHITECTURE.md, 5)."""

from django.utils.translation import gettext_lazy

from regie.core.workflow import Workflow
from regie.privacy.models import RequestStatus

S = RequestStatus
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.IN_PROGRESS, S.REFUSED, S.WITHDRAWN),
    S.IN_PROGRESS: (S.GRANTED, S.PARTLY, S.REFUSED, S.WITHDRAWN),
    # A decision is final: a new request is a new row.
    S.GRANTED: (),
    S.PARTLY: (),
    S.REFUSED: (),
    S.WITHDRAWN: (),
}

WORKFLOW = Workflow(
    RequestStatus,
    TRANSITIONS,
    refused=gettext_lazy("A request can't go from “%(from)s” to “%(to)s”. Allowed: %(allowed)s."),
    final=gettext_lazy("The request is “%(from)s”: it is closed."),
)
allowed_next = WORKFLOW.allowed_next
check_transition = WORKFLOW.check
