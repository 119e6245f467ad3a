"""Every write of lessons (leerpunten) and obstacles (knelpunten). One transaction each, with its
access-log record for the cases it links.

Lessons: anyone who works cases (professionals, managers) records one for a team he is in; he
links only cases he may see himself. Its texts must not name people: everyone in the corporation
with case access reads them.

Obstacles: a professional (or manager) raises one for his team; a manager of that team owns it
(the first by name, reassignable to another of the team's managers) and works it through the
status flow of `TRANSITIONS`, with steps that have due dates; resolving needs the resolution.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.accounts.models import Role, Team, User
from regie.audit.models import Action as LogAction
from regie.audit.services import access_record
from regie.cases.selectors import cases_visible_to
from regie.core.workflow import Workflow
from regie.learning.models import Lesson, Obstacle, ObstacleStep
from regie.plans.models import ZrmDomain

S = Obstacle.Status
# The status flow of an obstacle: raised → in progress → resolved | cannot be solved now (which a
# manager may also decide at once). "Cannot be solved now" may be picked up again when
# circumstances change; a resolved obstacle that returns is raised anew.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RAISED: (S.IN_PROGRESS, S.NOT_SOLVABLE),
    S.IN_PROGRESS: (S.RESOLVED, S.NOT_SOLVABLE),
    S.NOT_SOLVABLE: (S.IN_PROGRESS,),
    S.RESOLVED: (),
}
OPEN = (S.RAISED, S.IN_PROGRESS)


# -- who may -----------------------------------------------------------------------------------


def may_record(user) -> bool:
    """Recording lessons and raising obstacles: whoever works cases, in a team."""
    return bool(getattr(user, "is_authenticated", False) and user.reads_case_content)


def managers_of(team: Team):
    return User.objects.filter(role=Role.MANAGER, is_active=True, teams=team).order_by("last_name", "first_name", "pk")


def may_manage_obstacle(user, obstacle: Obstacle) -> bool:
    """The obstacle's team's managers work it (its owner is one of them)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role == Role.MANAGER
        and user.teams.filter(pk=obstacle.team_id).exists()
    )


def may_link_to_obstacle(user, obstacle: Obstacle) -> bool:
    """Adding cases an open obstacle hurts: the team's professionals and managers."""
    return may_record(user) and obstacle.status != S.RESOLVED and user.teams.filter(pk=obstacle.team_id).exists()


def may_edit_lesson(user, lesson: Lesson) -> bool:
    if not may_record(user):
        return False
    if lesson.created_by_id == user.pk:
        return True
    return user.role == Role.MANAGER and user.teams.filter(pk=lesson.team_id).exists()


# -- checks ------------------------------------------------------------------------------------


def _team_of(user, team: Team | None) -> Team:
    teams = list(user.teams.all())
    if team is None:
        if not teams:
            raise ValidationError({"team": _("You are in no team; ask the administrator to add you to one.")})
        return teams[0]
    if team not in teams:
        raise ValidationError({"team": _("Choose one of your own teams.")})
    return team


def _visible_cases(user, cases) -> list:
    """The cases, refused when any of them is not the user's to see (he can't link what he can't see)."""
    ids = {c.pk for c in cases}
    if not ids:
        return []
    seen = set(cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    if seen != ids:
        raise ValidationError({"cases": _("You can only link cases you may see.")})
    return sorted(ids)


def _required(**fields) -> None:
    errors = {name: _("This field is required.") for name, value in fields.items() if not (value or "").strip()}
    if errors:
        raise ValidationError(errors)


def _domains(domains) -> list[str]:
    domains = list(dict.fromkeys(domains or []))
    unknown = [d for d in domains if d not in ZrmDomain.values]
    if unknown:
        raise ValidationError({"domains": _("Unknown domain: %(d)s.") % {"d": ", ".join(unknown)}})
    order = ZrmDomain.values
    return sorted(domains, key=order.index)


# -- lessons -----------------------------------------------------------------------------------


@transaction.atomic
def lesson_record(
    *,
    by: User,
    title: str,
    what_happened: str,
    what_worked: str,
    next_time: str,
    domains=(),
    partners=(),
    measures=(),
    cases=(),
    team: Team | None = None,
    meeting=None,
) -> Lesson:
    if not may_record(by):
        raise PermissionDenied
    _required(title=title, what_happened=what_happened, what_worked=what_worked, next_time=next_time)
    team = _team_of(by, team)
    case_ids = _visible_cases(by, cases)
    lesson = Lesson.objects.create(
        team=team,
        title=title.strip(),
        what_happened=what_happened.strip(),
        what_worked=what_worked.strip(),
        next_time=next_time.strip(),
        domains=_domains(domains),
        created_by=by,
        meeting=meeting,
    )
    lesson.partners.set(partners)
    lesson.measures.set(measures)
    lesson.cases.set(case_ids)
    access_record(user=by, action=LogAction.UPDATE, record_type="case", record_ids=case_ids)
    return lesson


@transaction.atomic
def lesson_update(
    *,
    lesson: Lesson,
    by: User,
    title: str,
    what_happened: str,
    what_worked: str,
    next_time: str,
    domains=(),
    partners=(),
    measures=(),
    cases=(),
) -> Lesson:
    """Change a lesson. Its links to cases the editor may not see stay as they are."""
    if not may_edit_lesson(by, lesson):
        raise PermissionDenied
    _required(title=title, what_happened=what_happened, what_worked=what_worked, next_time=next_time)
    wanted = _visible_cases(by, cases)
    visible = set(cases_visible_to(by).filter(lessons=lesson).values_list("pk", flat=True))
    hidden = set(lesson.cases.values_list("pk", flat=True)) - visible
    lesson.title, lesson.what_happened = title.strip(), what_happened.strip()
    lesson.what_worked, lesson.next_time = what_worked.strip(), next_time.strip()
    lesson.domains = _domains(domains)
    lesson.save()
    lesson.partners.set(partners)
    lesson.measures.set(measures)
    lesson.cases.set(sorted(hidden | set(wanted)))
    access_record(user=by, action=LogAction.UPDATE, record_type="case", record_ids=sorted(visible | set(wanted)))
    return lesson


# -- obstacles ---------------------------------------------------------------------------------


@transaction.atomic
def obstacle_raise(
    *,
    by: User,
    title: str,
    description: str,
    where: str,
    outside: bool = False,
    partner=None,
    cases=(),
    team: Team | None = None,
) -> Obstacle:
    if not may_record(by):
        raise PermissionDenied
    _required(title=title, description=description)
    if where not in Obstacle.Where.values:
        raise ValidationError({"where": _("Choose where the obstacle is.")})
    if where == Obstacle.Where.PARTNER and partner is None:
        raise ValidationError({"partner": _("Choose the partner the obstacle is with.")})
    team = _team_of(by, team)
    case_ids = _visible_cases(by, cases)
    obstacle = Obstacle.objects.create(
        team=team,
        title=title.strip(),
        description=description.strip(),
        where=where,
        outside=bool(outside),
        partner=partner,
        raised_by=by,
        owner=managers_of(team).first(),
    )
    obstacle.cases.set(case_ids)
    ObstacleStep.objects.create(obstacle=obstacle, by=by, status=S.RAISED, text=_("Obstacle raised"))
    access_record(user=by, action=LogAction.UPDATE, record_type="case", record_ids=case_ids)
    return obstacle


@transaction.atomic
def obstacle_link_cases(*, obstacle: Obstacle, cases, by: User) -> Obstacle:
    """Add cases the obstacle hurts (cases the user may see)."""
    if not may_link_to_obstacle(by, obstacle):
        raise PermissionDenied
    case_ids = _visible_cases(by, cases)
    obstacle.cases.add(*case_ids)
    access_record(user=by, action=LogAction.UPDATE, record_type="case", record_ids=case_ids)
    return obstacle


WORKFLOW = Workflow(
    S,
    TRANSITIONS,
    refused=gettext_lazy("An obstacle that is “%(from)s” can only move to: %(allowed)s."),
    final=gettext_lazy("An obstacle that is “%(from)s” can't change any more; raise a new one instead."),
    quote=True,
)
allowed_next = WORKFLOW.allowed_next
check_transition = WORKFLOW.check


@transaction.atomic
def obstacle_transition(
    *, obstacle: Obstacle, to_status: str, by: User, note: str = "", resolution: str = ""
) -> Obstacle:
    """Move the obstacle along its flow. Resolving records the resolution (required); "cannot be
    solved now" needs a note saying why."""
    obstacle = Obstacle.objects.select_for_update().get(pk=obstacle.pk)
    if not may_manage_obstacle(by, obstacle):
        raise PermissionDenied
    check_transition(obstacle.status, to_status)
    note, resolution = (note or "").strip(), (resolution or "").strip()
    if to_status == S.RESOLVED and not resolution:
        raise ValidationError({"resolution": _("Record how the obstacle was resolved.")})
    if to_status == S.NOT_SOLVABLE and not (note or resolution):
        raise ValidationError({"note": _("Say why it can't be solved now.")})
    obstacle.status = to_status
    if to_status == S.RESOLVED:
        obstacle.resolution = resolution
        obstacle.resolved_at = timezone.now()
    elif to_status == S.NOT_SOLVABLE:
        obstacle.resolution = resolution or note
        obstacle.resolved_at = timezone.now()
    else:
        obstacle.resolved_at = None
    if obstacle.owner_id is None:
        obstacle.owner = by
    obstacle.save()
    text = note or resolution or str(S(to_status).label)
    ObstacleStep.objects.create(obstacle=obstacle, by=by, status=to_status, text=text)
    return obstacle


@transaction.atomic
def obstacle_assign(*, obstacle: Obstacle, owner: User, by: User) -> Obstacle:
    if not may_manage_obstacle(by, obstacle):
        raise PermissionDenied
    if not managers_of(obstacle.team).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("The owner must be a manager of the team.")})
    if obstacle.owner_id != owner.pk:
        obstacle.owner = owner
        obstacle.save(update_fields=["owner"])
        ObstacleStep.objects.create(
            obstacle=obstacle, by=by, text=_("Owner now: %(name)s") % {"name": owner.get_full_name() or owner}
        )
    return obstacle


@transaction.atomic
def obstacle_step_add(*, obstacle: Obstacle, text: str, by: User, due=None) -> ObstacleStep:
    """An action the owner (or another of the team's managers) takes, with a due date."""
    if not may_manage_obstacle(by, obstacle):
        raise PermissionDenied
    _required(text=text)
    if obstacle.status in (S.RESOLVED,):
        raise ValidationError({"text": _("The obstacle is resolved; no new steps.")})
    return ObstacleStep.objects.create(obstacle=obstacle, by=by, text=text.strip(), due=due)


@transaction.atomic
def obstacle_step_done(*, step: ObstacleStep, by: User) -> ObstacleStep:
    if not may_manage_obstacle(by, step.obstacle):
        raise PermissionDenied
    if step.status:
        raise ValidationError(_("A status change is not a step to complete."))
    if step.done_at is None:
        step.done_at = timezone.now()
        step.save(update_fields=["done_at"])
    return step
