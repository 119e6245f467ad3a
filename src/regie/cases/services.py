"""Every write to a case: one transaction each, with its timeline entry and access-log record."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import Role, User
from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.models import Case, CaseMember, Contact, EntryKind, Outcome, Status, TimelineEntry
from regie.cases.workflow import check_transition
from regie.core.vera import CaseRole
from regie.housing.models import Person, Tenancy
from regie.plans import aftercare


def _log(case: Case, by: User, action: str = Action.UPDATE) -> None:
    access_record(user=by, action=action, record_type="case", record_ids=[case.pk])


def _entry(case: Case, kind: str, by: User, *, at=None, text: str = "", contact=None, **data) -> TimelineEntry:
    return TimelineEntry.objects.create(
        case=case,
        kind=kind,
        actor=by,
        at=at or timezone.now(),
        text=text,
        contact=contact,
        data=data,
    )


def _check_director(user: User) -> None:
    if not user.is_active or user.role not in (Role.PROFESSIONAL, Role.MANAGER):
        raise ValidationError({"director": _("Only an active professional or manager can direct a case.")})
    if not user.teams.exists():
        raise ValidationError({"director": _("This colleague belongs to no team; add him to a team first.")})


@transaction.atomic
def case_open(
    *,
    household: Tenancy,
    director: User,
    by: User,
    question: str = "",
    status: str = Status.SIGNALLED,
) -> Case:
    """Open a case for a household; refused while the household has an open case."""
    _check_director(director)
    if director.pk != by.pk and not director.teams.filter(pk__in=by.teams.values("pk")).exists():
        raise ValidationError({"director": _("Choose yourself or a colleague of your own team as director.")})
    if status not in (Status.SIGNALLED, Status.INTAKE):
        raise ValidationError({"status": _("A new case starts as signalled or at intake.")})
    existing = Case.objects.open().filter(household=household).select_related("director").first()
    if existing is not None:
        raise ValidationError(
            {
                "household": _(
                    "This household already has an open case (directed by %(director)s). "
                    "Add to that case, or close it before opening a new one."
                )
                % {"director": existing.director}
            }
        )
    team = director.teams.order_by("pk").first()
    now = timezone.now()
    # Back within 12 months of the last closing: a recurrence (regie.plans.aftercare).
    previous = aftercare.previous_case_for_recurrence(household, now)
    case = Case(
        household=household,
        director=director,
        team=team,
        question=question.strip(),
        status=status,
        created_by=by,
        opened_at=now,
        recurrence_of=previous,
    )
    case.full_clean(exclude=["household"])
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:  # a concurrent open of the same household won the race
        raise ValidationError({"household": _("This household already has an open case.")}) from exc
    CaseMember.objects.create(case=case, user=director, role=CaseRole.COORDINATOR)
    recurrence = {"recurrence_of": previous.pk} if previous else {}
    _entry(case, EntryKind.OPENED, by, status=status, director=director.pk, director_name=str(director), **recurrence)
    # The household is back under direction: the old cases' pending aftercare checks are answered.
    closed = list(Case.objects.filter(household=household, status=Status.CLOSED))
    aftercare.aftercare_settle_pending(cases=closed, by=by, reason="new_case")
    if case.question:
        _entry(case, EntryKind.QUESTION, by, text=case.question)
    _log(case, by, Action.CREATE)
    return case


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to_status: str,
    by: User,
    note: str = "",
    outcome: str = "",
    outcome_note: str = "",
) -> Case:
    """Move a case along the workflow; closing needs an outcome; re-opening is recorded as such."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_transition(case.status, to_status)
    from_status = case.status
    fields = ["status"]
    if to_status == Status.CLOSED:
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("Choose the outcome to close the case.")})
        case.outcome, case.outcome_note, case.closed_at = (
            outcome,
            outcome_note.strip(),
            timezone.now(),
        )
        fields += ["outcome", "outcome_note", "closed_at"]
    elif from_status == Status.CLOSED:
        if Case.objects.open().filter(household_id=case.household_id).exists():
            raise ValidationError(
                {"status": _("This household has another open case; it can't be re-opened while that one runs.")}
            )
        case.outcome, case.outcome_note, case.closed_at = "", "", None
        fields += ["outcome", "outcome_note", "closed_at"]
    case.status = to_status
    case.full_clean(exclude=["household", "director", "team", "created_by"])
    case.save(update_fields=fields)
    kind = EntryKind.REOPENED if from_status == Status.CLOSED else EntryKind.STATUS
    _entry(
        case,
        kind,
        by,
        text=note.strip() or outcome_note.strip(),
        **{"from": from_status, "to": to_status, "outcome": outcome},
    )
    # Aftercare (regie.plans.aftercare): closing plans the checks; re-opening answers the pending ones.
    if to_status == Status.CLOSED:
        aftercare.aftercare_schedule(case=case, by=by)
    elif from_status == Status.CLOSED:
        aftercare.aftercare_settle_pending(cases=[case], by=by, reason="reopened")
    _log(case, by)
    return case


@transaction.atomic
def case_transfer_direction(
    *, case: Case, to_user: User, by: User, note: str = "", keep_previous_as_adviser: bool = False
) -> Case:
    """Pass direction to a colleague; he becomes Zaakcoördinator and his team owns the case."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to_user.pk == case.director_id:
        raise ValidationError({"director": _("This colleague already directs the case.")})
    _check_director(to_user)
    previous = case.director
    now = timezone.now()
    CaseMember.objects.filter(case=case, removed_at__isnull=True, user__in=[previous, to_user]).update(removed_at=now)
    CaseMember.objects.create(case=case, user=to_user, role=CaseRole.COORDINATOR, added_at=now)
    if keep_previous_as_adviser:
        CaseMember.objects.create(case=case, user=previous, role=CaseRole.ADVISER, added_at=now)
    case.director = to_user
    case.team = to_user.teams.order_by("pk").first()
    case.save(update_fields=["director", "team"])
    _entry(
        case,
        EntryKind.DIRECTOR,
        by,
        text=note.strip(),
        **{"from": previous.pk, "to": to_user.pk, "from_name": str(previous), "to_name": str(to_user)},
    )
    _log(case, by)
    return case


@transaction.atomic
def case_member_add(*, case: Case, user: User, role: str, by: User) -> CaseMember:
    if role not in CaseRole.values or role == CaseRole.COORDINATOR:
        raise ValidationError(
            {"role": _("Choose a role; the case coordinator is the director, set by passing direction.")}
        )
    if not user.is_active or not user.reads_case_content:
        raise ValidationError(
            {
                "user": _(
                    "Only professionals and managers can join a case team; departments are engaged through actions."
                )
            }
        )
    if CaseMember.objects.filter(case=case, user=user, removed_at__isnull=True).exists():
        raise ValidationError({"user": _("This colleague is already on the case team.")})
    member = CaseMember.objects.create(case=case, user=user, role=role)
    _entry(case, EntryKind.TEAM, by, change="added", user=user.pk, user_name=str(user), role=role)
    _log(case, by)
    return member


@transaction.atomic
def case_member_remove(*, member: CaseMember, by: User) -> None:
    if member.role == CaseRole.COORDINATOR:
        raise ValidationError(_("The director can't be removed; pass direction to a colleague instead."))
    if member.removed_at is not None:
        return
    member.removed_at = timezone.now()
    member.save(update_fields=["removed_at"])
    _entry(
        member.case,
        EntryKind.TEAM,
        by,
        change="removed",
        user=member.user_id,
        user_name=str(member.user),
        role=member.role,
    )
    _log(member.case, by)


@transaction.atomic
def case_question_set(*, case: Case, question: str, by: User) -> Case:
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Write down the tenant's question in his own words.")})
    case.question = question
    case.save(update_fields=["question"])
    _entry(case, EntryKind.QUESTION, by, text=question)
    _log(case, by)
    return case


@transaction.atomic
def case_next_step_set(*, case: Case, next_step: str, due: date | None, by: User) -> Case:
    next_step = next_step.strip()
    if due and not next_step:
        raise ValidationError({"next_step": _("Say what the next step is.")})
    case.next_step, case.next_step_due = next_step, due
    case.save(update_fields=["next_step", "next_step_due"])
    _entry(case, EntryKind.NEXT_STEP, by, text=next_step, due=due.isoformat() if due else None)
    _log(case, by)
    return case


@transaction.atomic
def contact_add(
    *,
    case: Case,
    at: datetime,
    channel: str,
    summary: str,
    by: User,
    persons: Iterable[Person] = (),
    others: str = "",
    domains: Iterable[str] = (),
) -> Contact:
    """Record a contact moment with the household; it goes onto the timeline. `domains`: the
    sensitive life domains the note touches, which shield it from anyone outside the case team."""
    from regie.plans.sensitivity import SENSITIVE_DOMAINS

    persons = list(persons)
    domains = set(domains)
    errors = {}
    if domains - SENSITIVE_DOMAINS:
        errors["domains"] = _("Only mental health, substance use and justice can be marked as sensitive.")
    if at > timezone.now() + timedelta(minutes=5):
        errors["at"] = _("A contact can't be in the future; plan it as the next step instead.")
    if any(p.tenancy_id != case.household_id for p in persons):
        errors["persons"] = _("Only members of this household can be chosen.")
    if errors:
        raise ValidationError(errors)
    contact = Contact(
        case=case,
        at=at,
        channel=channel,
        summary=summary.strip(),
        others=others.strip(),
        domains=sorted(domains),
        by=by,
    )
    contact.full_clean(exclude=["case", "by"])
    contact.save()
    contact.persons.set(persons)
    if case.last_contact_at is None or at > case.last_contact_at:
        case.last_contact_at = at
        case.save(update_fields=["last_contact_at"])
    _entry(case, EntryKind.CONTACT, by, at=at, contact=contact, channel=channel)
    _log(case, by)
    return contact
