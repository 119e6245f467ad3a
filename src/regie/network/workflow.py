"""The referral's status flow: one explicit table, checked in one place (ARCHITECTURE.md, rule 5).

sent → accepted or declined (the partner's answer: its moment is the response time);
accepted → in progress, or ended when the partner finished at once; in progress → ended.
Declined and ended are final: a new question to the partner is a new referral.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from regie.network.models import Referral

S = Referral.Status

ALLOWED = {
    S.SENT: (S.ACCEPTED, S.DECLINED),
    S.ACCEPTED: (S.IN_PROGRESS, S.ENDED),
    S.IN_PROGRESS: (S.ENDED,),
    S.DECLINED: (),
    S.ENDED: (),
}
# The partner's answer: the first of these ends the wait that the response time measures.
ANSWERS = (S.ACCEPTED, S.DECLINED)
# Statuses in which the partner is engaged with the household.
ENGAGED = (S.ACCEPTED, S.IN_PROGRESS)


def allowed_next(status: str) -> tuple[str, ...]:
    return tuple(ALLOWED.get(status, ()))


def check_transition(from_status: str, to_status: str) -> None:
    allowed = allowed_next(from_status)
    if to_status in allowed:
        return
    if to_status not in S.values:
        raise ValidationError({"status": _("Unknown status: %(status)s.") % {"status": to_status}})
    if not allowed:
        msg = _("A referral that is “%(from)s” can't change any more; make a new referral instead.") % {
            "from": S(from_status).label
        }
    else:
        msg = _("A referral that is “%(from)s” can only move to: %(allowed)s.") % {
            "from": S(from_status).label,
            "allowed": ", ".join(f"“{S(s).label}”" for s in allowed),
        }
    raise ValidationError({"status": msg})
