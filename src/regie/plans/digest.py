"""The daily e-mail digest of actions: a director gets his cases' overdue and coming actions, a
department colleague his department's new and due actions.

A mail carries what a worker needs to plan his day (the action, the address, the date and a link
into Regie), never the case's question, notes or anything of a special category.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regie.accounts.models import Role, User
from regie.plans.models import Action
from regie.plans.selectors import department_actions, director_due_actions

DIGEST_DAYS = 7  # "coming" in a digest: due within a week


@dataclass
class Digest:
    user: User
    subject: str
    body: str
    action_ids: list[int]


def _line(action: Action, link_name: str, today: date) -> str:
    unit = action.case.household.unit
    due = action.due.strftime("%d-%m-%Y") if action.due else _("no date")
    late = f" ({_('overdue')})" if action.due and action.due < today else ""
    link = settings.REGIE_BASE_URL + reverse(link_name, args=[action.pk])
    return f"- {due}{late}: {action.what}\n  {unit.address}, {unit.postcode} {unit.city}\n  {link}"


def director_digest(user: User, today: date) -> Digest | None:
    due = director_due_actions(user, today=today, days=DIGEST_DAYS)
    if not (due.overdue or due.coming):
        return None
    parts = [_("Good morning %(name)s,") % {"name": user.first_name or user}, ""]
    if due.overdue:
        parts += [_("Overdue actions on your cases:"), *(_line(a, "plans:action", today) for a in due.overdue), ""]
    if due.coming:
        parts += [
            _("Actions due in the coming %(days)s days:") % {"days": DIGEST_DAYS},
            *(_line(a, "plans:action", today) for a in due.coming),
            "",
        ]
    parts.append(_("All your due actions: %(url)s") % {"url": settings.REGIE_BASE_URL + reverse("plans:worklist")})
    subject = _("Regie: %(overdue)s overdue, %(coming)s coming actions") % {
        "overdue": len(due.overdue),
        "coming": len(due.coming),
    }
    return Digest(user, subject, "\n".join(parts), [a.pk for a in due.overdue + due.coming])


def department_digest(user: User, today: date, since) -> Digest | None:
    qs = department_actions(user).filter(Q(assignee__isnull=True) | Q(assignee=user))
    new = list(qs.filter(created_at__gte=since))
    new_ids = {a.pk for a in new}
    due = [a for a in qs.filter(due__lte=today + timedelta(days=DIGEST_DAYS)) if a.pk not in new_ids]
    if not (new or due):
        return None
    parts = [_("Good morning %(name)s,") % {"name": user.first_name or user}, ""]
    if new:
        parts += [_("New actions for your department:"), *(_line(a, "plans:work_item", today) for a in new), ""]
    if due:
        parts += [_("Actions due soon or overdue:"), *(_line(a, "plans:work_item", today) for a in due), ""]
    parts.append(_("Your worklist: %(url)s") % {"url": settings.REGIE_BASE_URL + reverse("plans:worklist")})
    subject = _("Regie: %(new)s new, %(due)s due actions for your department") % {"new": len(new), "due": len(due)}
    return Digest(user, subject, "\n".join(parts), [a.pk for a in new + due])


def build_digests(*, today: date | None = None) -> list[Digest]:
    today = today or timezone.localdate()
    since = timezone.now() - timedelta(days=1)
    users = User.objects.filter(is_active=True).exclude(email="").order_by("pk")
    out = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users.filter(role__in=[Role.PROFESSIONAL, Role.MANAGER], directed_cases__isnull=False).distinct():
            if digest := director_digest(user, today):
                out.append(digest)
        for user in users.filter(role=Role.DEPARTMENT):
            if digest := department_digest(user, today, since):
                out.append(digest)
    return out


def send_digests(*, today: date | None = None, dry_run: bool = False) -> list[Digest]:
    """Build and (unless `dry_run`) send the day's digests; returns them."""
    from regie.audit.models import Action as LogAction
    from regie.audit.services import access_record

    digests = build_digests(today=today)
    if dry_run or not digests:
        return digests
    connection = get_connection()
    messages = [EmailMessage(d.subject, d.body, to=[d.user.email], connection=connection) for d in digests]
    connection.send_messages(messages)
    for d in digests:
        # The mail showed the user these actions (and their addresses): on the log, as a read.
        access_record(
            user=d.user, action=LogAction.READ, record_type="action", record_ids=d.action_ids, purpose="reminder"
        )
    return digests
