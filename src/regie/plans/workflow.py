"""The action workflow as an explicit transition table, enforced in one place (services)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def allowed_next(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def check_transition(from_status: str, to_status: str) -> None:
    allowed = allowed_next(from_status)
    if to_status not in allowed:
        raise ValidationError(
            {
                "status": _("An action can't go from “%(from)s” to “%(to)s”. Allowed: %(allowed)s.")
                % {
                    "from": A(from_status).label,
                    "to": A(to_status).label if to_status in A.values else to_status,
                    "allowed": ", ".join(str(A(s).label) for s in allowed),
                }
            }
        )
