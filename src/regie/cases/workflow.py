"""The case workflow as an explicit transition table, enforced in one place."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from regie.cases.models import Status

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


def allowed_next(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def check_transition(from_status: str, to_status: str) -> None:
    allowed = allowed_next(from_status)
    if to_status not in allowed:
        raise ValidationError(
            {
                "status": _("A case can't go from “%(from)s” to “%(to)s”. Allowed: %(allowed)s.")
                % {
                    "from": Status(from_status).label,
                    "to": Status(to_status).label if to_status in Status.values else to_status,
                    "allowed": ", ".join(str(Status(s).label) for s in allowed),
                }
            }
        )
