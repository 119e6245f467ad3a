"""Every write to a case's plan: assessments, goals, actions and their progress, signatures and
calendar feeds. One transaction each, with its access-log record and (for the case's own history)
a timeline entry.

Who may call which service is the caller's check (views and API: `cases.contribute` for the case
team, the department selectors for a department's colleague); the services check the rules of the
trade (scores 1–5, one intake, the action workflow, a partner action needs one of the case's
referrals, a department action needs a department).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import Department, Role, User
from regie.audit.models import Action as LogAction
from regie.audit.services import access_record
from regie.cases.models import Case, EntryKind, TimelineEntry
from regie.core.vera import HouseholdRole
from regie.housing.models import Person
from regie.plans.models import (
    Action,
    ActionUpdate,
    Assessment,
    AssessmentScore,
    CalendarFeed,
    Goal,
    PlanSignature,
    ZrmDomain,
    ZrmScore,
    new_token,
)
from regie.plans.workflow import ACTIVE, check_transition

# Household roles that may sign the plan: the tenant and his co-tenant.
SIGNING_ROLES = (HouseholdRole.TENANT, HouseholdRole.CO_TENANT)


def _log(case_id: int, by: User, action: str = LogAction.UPDATE) -> None:
    access_record(user=by, action=action, record_type="case", record_ids=[case_id])


def _entry(case_id: int, kind: str, by: User, *, text: str = "", **data) -> None:
    TimelineEntry.objects.create(case_id=case_id, kind=kind, actor=by, text=text, data=data)


def _open_case(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is closed; re-open it to change its plan."))


# -- assessment ------------------------------------------------------------------------------


@transaction.atomic
def assessment_record(
    *,
    case: Case,
    moment: str,
    scores: dict[str, tuple[int, str]],
    by: User,
    assessed_on: date | None = None,
    note: str = "",
) -> Assessment:
    """Record a ZRM assessment: `scores` maps domain codes to (score 1–5, short note).

    Domains left out were not assessed this time. A case has one intake assessment (the baseline
    every later one is compared with) and one at closure."""
    errors: dict[str, list[str]] = {}
    if moment not in Assessment.Moment.values:
        errors["moment"] = [_("Choose the moment: intake, evaluation or closure.")]
    elif (
        moment in (Assessment.Moment.INTAKE, Assessment.Moment.CLOSURE)
        and Assessment.objects.filter(case=case, moment=moment).exists()
    ):
        errors["moment"] = [
            _("This case already has an assessment at %(moment)s.") % {"moment": Assessment.Moment(moment).label}
        ]
    unknown = set(scores) - set(ZrmDomain.values)
    if unknown:
        errors["scores"] = [_("Unknown domain: %(d)s.") % {"d": ", ".join(sorted(unknown))}]
    bad = [d for d, (score, _note) in scores.items() if score not in ZrmScore.values]
    if bad:
        errors.setdefault("scores", []).append(_("Each score is a number from 1 to 5."))
    if not scores:
        errors.setdefault("scores", []).append(_("Score at least one domain."))
    day = assessed_on or timezone.localdate()
    if day > timezone.localdate():
        errors["assessed_on"] = [_("An assessment can't be in the future.")]
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(case=case, moment=moment, assessed_on=day, by=by, note=note.strip())
    assessment.full_clean(exclude=["case", "by"])
    assessment.save()
    AssessmentScore.objects.bulk_create(
        [
            AssessmentScore(assessment=assessment, domain=d, score=s, note=(n or "").strip()[:500])
            for d, (s, n) in sorted(scores.items(), key=lambda kv: ZrmDomain.values.index(kv[0]))
        ]
    )
    _entry(case.pk, EntryKind.ASSESSMENT, by, text=assessment.note, moment=moment, domains=len(scores))
    _log(case.pk, by)
    return assessment


# -- goals -----------------------------------------------------------------------------------


def _check_goal(domain: str, text: str) -> None:
    errors = {}
    if domain not in ZrmDomain.values:
        errors["domain"] = _("Choose the life domain of the goal.")
    if not text.strip():
        errors["text"] = _("Write the goal down, in the tenant's words where possible.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def goal_add(*, case: Case, domain: str, text: str, by: User, target_date: date | None = None) -> Goal:
    _open_case(case)
    _check_goal(domain, text)
    goal = Goal(case=case, domain=domain, text=text.strip(), target_date=target_date, created_by=by)
    goal.full_clean(exclude=["case", "created_by"])
    goal.save()
    _entry(case.pk, EntryKind.PLAN, by, text=goal.text, change="goal_added", goal=goal.pk, domain=domain)
    _log(case.pk, by)
    return goal


@transaction.atomic
def goal_update(
    *, goal: Goal, by: User, text: str | None = None, target_date: date | None = None, status: str | None = None
) -> Goal:
    """Change a goal's words, target date or status (achieved, partly, not achieved, dropped)."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    fields = []
    if text is not None and text.strip() != goal.text:
        _check_goal(goal.domain, text)
        goal.text = text.strip()
        fields.append("text")
    if target_date != goal.target_date:
        goal.target_date = target_date
        fields.append("target_date")
    if status is not None and status != goal.status:
        if status not in Goal.Status.values:
            raise ValidationError({"status": _("Choose a valid status.")})
        goal.status = status
        fields.append("status")
    if not fields:
        return goal
    goal.full_clean(exclude=["case", "created_by"])
    goal.save(update_fields=fields)
    _entry(
        goal.case_id,
        EntryKind.PLAN,
        by,
        text=goal.text,
        change="goal_changed",
        goal=goal.pk,
        domain=goal.domain,
        status=goal.status,
    )
    _log(goal.case_id, by)
    return goal


# -- actions ---------------------------------------------------------------------------------


def _check_who(case_id: int, who: str, department: str, referral) -> tuple[str, object]:
    errors = {}
    if who not in Action.Who.values:
        errors["who"] = _("Say who does it: the tenant, the director, a department or a partner.")
    if who == Action.Who.DEPARTMENT:
        if department not in Department.values or department == Department.SOCIAL:
            errors["department"] = _("Choose the department that does it.")
    else:
        department = ""
    if who == Action.Who.PARTNER:
        if referral is None:
            errors["referral"] = _(
                "A partner's action goes through a referral: refer the household first, then choose it."
            )
        elif referral.case_id != case_id:
            errors["referral"] = _("Choose a referral of this case.")
    else:
        referral = None
    if errors:
        raise ValidationError(errors)
    return department, referral


@transaction.atomic
def action_add(
    *,
    goal: Goal,
    what: str,
    who: str,
    by: User,
    department: str = "",
    referral=None,
    due: date | None = None,
) -> Action:
    """An action under a goal: what, who (tenant, director, a department, a partner through one of
    the case's referrals) and by when."""
    case = goal.case
    _open_case(case)
    if not what.strip():
        raise ValidationError({"what": _("Say what has to be done.")})
    department, referral = _check_who(case.pk, who, department, referral)
    action = Action(
        goal=goal,
        case_id=goal.case_id,
        what=what.strip(),
        who=who,
        department=department,
        referral=referral,
        due=due,
        created_by=by,
    )
    action.full_clean(exclude=["goal", "case", "referral", "created_by", "assignee"])
    action.save()
    _entry(
        case.pk,
        EntryKind.PLAN,
        by,
        text=action.what,
        change="action_added",
        action=action.pk,
        who=who,
        department=department,
    )
    _log(case.pk, by)
    return action


@transaction.atomic
def action_update(*, action: Action, by: User, what: str, due: date | None) -> Action:
    """The director changes what an action is or by when (its status moves through transitions)."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not what.strip():
        raise ValidationError({"what": _("Say what has to be done.")})
    fields = [f for f, v in (("what", what.strip()), ("due", due)) if getattr(action, f) != v]
    if not fields:
        return action
    action.what, action.due = what.strip(), due
    action.save(update_fields=fields)
    _entry(action.case_id, EntryKind.PLAN, by, text=action.what, change="action_changed", action=action.pk)
    _log(action.case_id, by)
    return action


@transaction.atomic
def action_transition(*, action: Action, to_status: str, by: User, outcome: str = "", text: str = "") -> Action:
    """Move an action along its workflow (workflow.TRANSITIONS); done needs its outcome."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    check_transition(action.status, to_status)
    outcome = outcome.strip()
    fields = ["status"]
    now = timezone.now()
    if to_status == Action.Status.DONE:
        if not outcome:
            raise ValidationError({"outcome": _("Say what came of it to complete the action.")})
        action.outcome, action.completed_at = outcome, now
        fields += ["outcome", "completed_at"]
    elif action.status == Action.Status.DONE:
        action.completed_at = None
        fields.append("completed_at")
    if to_status == Action.Status.IN_PROGRESS and action.accepted_at is None:
        action.accepted_at = now
        fields.append("accepted_at")
    if to_status == Action.Status.OPEN and action.who == Action.Who.DEPARTMENT:
        # Handed back: the department's worklist shows it to everyone again.
        action.assignee, action.accepted_at = None, None
        fields += ["assignee", "accepted_at"]
    action.status = to_status
    action.save(update_fields=fields)
    ActionUpdate.objects.create(action=action, by=by, status=to_status, text=(text.strip() or outcome), at=now)
    _entry(
        action.case_id,
        EntryKind.PLAN,
        by,
        text=f"{action.what}\n{outcome or text.strip()}".strip(),
        change="action_status",
        action=action.pk,
        status=to_status,
    )
    _log(action.case_id, by)
    return action


def _check_department_colleague(action: Action, by: User) -> None:
    if by.role != Role.DEPARTMENT or action.who != Action.Who.DEPARTMENT or action.department != by.department:
        raise ValidationError(_("Only a colleague of the action's department can take it on."))


@transaction.atomic
def action_accept(*, action: Action, by: User) -> Action:
    """A department colleague takes the action on: he becomes its assignee, and it is in progress."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    _check_department_colleague(action, by)
    if action.status not in ACTIVE:
        raise ValidationError(_("This action is no longer open."))
    if action.assignee_id and action.assignee_id != by.pk:
        raise ValidationError(_("A colleague has already taken this action on."))
    now = timezone.now()
    action.assignee, action.accepted_at = by, action.accepted_at or now
    fields = ["assignee", "accepted_at"]
    if action.status == Action.Status.OPEN:
        action.status = Action.Status.IN_PROGRESS
        fields.append("status")
    action.save(update_fields=fields)
    ActionUpdate.objects.create(action=action, by=by, status=action.status, text=_("Accepted"), at=now)
    _entry(action.case_id, EntryKind.PLAN, by, text=action.what, change="action_accepted", action=action.pk)
    _log(action.case_id, by)
    return action


@transaction.atomic
def action_progress(*, action: Action, by: User, text: str) -> ActionUpdate:
    """Progress reported on an active action (by the department colleague or the case team)."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not text.strip():
        raise ValidationError({"text": _("Say what happened.")})
    if action.status not in ACTIVE:
        raise ValidationError(_("This action is no longer open."))
    update = ActionUpdate.objects.create(action=action, by=by, status=action.status, text=text.strip())
    _entry(
        action.case_id,
        EntryKind.PLAN,
        by,
        text=f"{action.what}\n{update.text}",
        change="action_progress",
        action=action.pk,
    )
    _log(action.case_id, by)
    return update


@transaction.atomic
def action_complete(*, action: Action, by: User, outcome: str) -> Action:
    """The department colleague completes his action with its outcome."""
    _check_department_colleague(action, by)
    return action_transition(action=action, to_status=Action.Status.DONE, by=by, outcome=outcome)


# -- the signed plan -------------------------------------------------------------------------


@transaction.atomic
def plan_sign(*, case: Case, person: Person, signed_on: date, by: User) -> PlanSignature:
    """Record that the tenant signed the plan as it stands now (the digest of its content)."""
    from regie.plans.selectors import plan_digest

    errors = {}
    if person.tenancy_id != case.household_id or person.role not in SIGNING_ROLES:
        errors["person"] = _("Choose the tenant or co-tenant of this household.")
    if signed_on > timezone.localdate():
        errors["signed_on"] = _("The date of signing can't be in the future.")
    if not case.goals.exists():
        errors["person"] = _("The plan has no goals yet; add them before it is signed.")
    if errors:
        raise ValidationError(errors)
    signature = PlanSignature.objects.create(
        case=case, person=person, signed_on=signed_on, digest=plan_digest(case), recorded_by=by
    )
    _entry(case.pk, EntryKind.PLAN, by, change="signed", signed_on=signed_on.isoformat(), person=person.full_name)
    _log(case.pk, by)
    return signature


# -- calendar feed ---------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_get(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> CalendarFeed:
    """Revoke the secret link: the old address answers 404 from now on; a new one is made."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token, feed.created_at = new_token(), timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed
