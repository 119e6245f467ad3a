"""The mandate's e-mails: a decision waiting for approval, and an answer for its director.

Mail leaves the system's need-to-know, so it names the measure, the case number and a link, never
the household, the problem or the justification (special-category data stays behind the login).
Sent after the transaction commits: a refused or rolled-back decision mails no one.
"""

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from regie.accounts.models import Role, User
from regie.mandate.models import Approval, Decision, Level

# The demo makes decisions in bulk and tells no one (`silenced()`).
_silent: ContextVar[bool] = ContextVar("mandate_mail_silent", default=False)


@contextlib.contextmanager
def silenced():
    token = _silent.set(True)
    try:
        yield
    finally:
        _silent.reset(token)


def approvers_of(decision: Decision) -> list[User]:
    """Who may approve it: the managers of the case's team for MANAGER, the board for BOARD."""
    if decision.required_level == Level.BOARD:
        qs = User.objects.filter(role=Role.BOARD, is_active=True)
    else:
        qs = User.objects.filter(role=Role.MANAGER, is_active=True, teams=decision.case.team_id)
    return list(qs.exclude(pk=decision.decided_by_id).distinct().order_by("pk"))


def _link(decision: Decision) -> str:
    return settings.REGIE_BASE_URL + reverse("cases:detail", args=[decision.case_id]) + f"#decision-{decision.pk}"


def _send(subject: str, body: str, users: list[User]) -> None:
    to = sorted({u.email for u in users if u.email})
    if to and not _silent.get():
        transaction.on_commit(lambda: send_mail(subject, body, None, to))


def request_approval(decision: Decision) -> None:
    params = {"measure": decision.measure.name, "case": decision.case_id}
    subject = _("Regie: approval asked for %(measure)s (case %(case)s)") % params
    body = "\n\n".join(
        [
            _("A decision in case %(case)s goes beyond the mandate and waits for your answer: %(measure)s.") % params,
            _("Read the justification and answer it in Regie:"),
            _link(decision),
        ]
    )
    _send(subject, body, approvers_of(decision))


def answered(decision: Decision, approval: Approval) -> None:
    """Tell the director how his decision was answered (and the asker, when the director replied)."""
    params = {
        "measure": decision.measure.name,
        "case": decision.case_id,
        "answer": Approval.Answer(approval.answer).label,
        "status": Decision.Status(decision.status).label,
    }
    subject = _("Regie: %(measure)s (case %(case)s): %(answer)s") % params
    if approval.answer == Approval.Answer.REPLY:
        asked = decision.approvals.filter(answer=Approval.Answer.QUESTION).order_by("-at", "-pk").first()
        first = _("The director replied to your question about %(measure)s in case %(case)s.") % params
        _send(
            subject, "\n\n".join([first, _("Read the reply in Regie:"), _link(decision)]), [asked.by] if asked else []
        )
        return
    first = (
        _("Your decision %(measure)s in case %(case)s was answered: %(answer)s. Its status is now: %(status)s.")
        % params
    )
    _send(subject, "\n\n".join([first, _("Read the reason in Regie:"), _link(decision)]), [decision.decided_by])
    if approval.answer == Approval.Answer.ESCALATE:
        request_approval(decision)
