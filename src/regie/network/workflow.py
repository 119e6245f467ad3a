"""The referral's status flow: one explicit table, checked in one place (ARCHITECTURE.md, rule 5).

sent → accepted or declined (the partner's answer: its moment is the response time);
accepted → in progress, or ended when the partner finished at once; in progress → ended.
Declined and ended are final: a new question to the partner is a new referral.
"""

from django.utils.translation import gettext_lazy

from regie.core.workflow import Workflow
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


WORKFLOW = Workflow(
    S,
    ALLOWED,
    refused=gettext_lazy("A referral that is “%(from)s” can only move to: %(allowed)s."),
    final=gettext_lazy("A referral that is “%(from)s” can't change any more; make a new referral instead."),
    quote=True,
)
allowed_next = WORKFLOW.allowed_next
check_transition = WORKFLOW.check
