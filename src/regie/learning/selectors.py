"""Reads of lessons and obstacles that depend on who asks.

Lessons and obstacles are read by everyone in the corporation who works cases (professionals and
managers); others get a 404. Their links to cases are shown only to who may see those cases
(`cases_visible_to`): everyone else reads "linked to N cases". Showing a case (its number and
household) is a read of that case, on the access log.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.selectors import cases_visible_to
from regie.learning import search as lesson_search
from regie.learning.models import Lesson, Obstacle, ObstacleStep
from regie.mandate.models import Decision
from regie.network.models import Referral
from regie.plans.models import AssessmentScore, Goal, ZrmDomain

# On a case: at most this many suggested lessons; a lesson must share at least one tag.
SUGGESTIONS = 5
# A domain scored this low in the case's latest assessment counts as one of its problem domains.
PROBLEM_SCORE = 2


def reads_learning(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.reads_case_content)


def require_reader(user) -> None:
    if not reads_learning(user):
        raise Http404


# -- lessons -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonFilter:
    q: str = ""
    domain: str = ""
    partner: int | None = None
    measure: int | None = None
    team: int | None = None


def lessons_visible_to(user) -> QuerySet[Lesson]:
    if not reads_learning(user):
        return Lesson.objects.none()
    return Lesson.objects.all()


def lessons(user, f: LessonFilter) -> QuerySet[Lesson]:
    qs = lessons_visible_to(user)
    if f.domain:
        # JSON lists are matched as text: '"finances"' occurs in the list of codes or not.
        qs = qs.filter(domains__icontains=f'"{f.domain}"')
    if f.partner:
        qs = qs.filter(partners=f.partner)
    if f.measure:
        qs = qs.filter(measures=f.measure)
    if f.team:
        qs = qs.filter(team_id=f.team)
    qs = qs.annotate(case_count=Count("cases", distinct=True)).select_related("team", "created_by")
    return lesson_search.search(qs, f.q) if f.q.strip() else qs.order_by("-created_at", "-pk")


def lesson_for(user, pk: int) -> Lesson:
    lesson = (
        lessons_visible_to(user)
        .select_related("team", "created_by")
        .prefetch_related("partners", "measures")
        .filter(pk=pk)
        .first()
    )
    if lesson is None:
        raise Http404
    return lesson


@dataclass
class CaseLinks:
    """The cases a record is linked to, as the reader may know them."""

    visible: list = field(default_factory=list)
    hidden: int = 0

    @property
    def total(self) -> int:
        return len(self.visible) + self.hidden


def linked_cases(user, record, *, log: bool = True) -> CaseLinks:
    """The record's cases the user may see (logged as read), and how many others there are."""
    all_ids = set(record.cases.values_list("pk", flat=True))
    visible = list(cases_visible_to(user).filter(pk__in=all_ids).select_related("household", "director").order_by("pk"))
    if log and visible:
        access_record(user=user, action=Action.READ, record_type="case", record_ids=[c.pk for c in visible])
    return CaseLinks(visible=visible, hidden=len(all_ids) - len(visible))


def domain_labels(codes) -> list[str]:
    labels = dict(ZrmDomain.choices)
    return [str(labels.get(c, c)) for c in codes]


# -- suggestions on a case ---------------------------------------------------------------------


@dataclass
class CaseTags:
    domains: set = field(default_factory=set)
    partners: set = field(default_factory=set)
    measures: set = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.domains or self.partners or self.measures)


def case_tags(case) -> CaseTags:
    """What a case is about: the domains of its goals and of its latest assessment's low scores,
    the partners it was referred to, the measures decided in it."""
    domains = set(Goal.objects.filter(case=case).values_list("domain", flat=True))
    latest = case.assessments.order_by("-assessed_on", "-pk").values_list("pk", flat=True).first()
    if latest:
        domains |= set(
            AssessmentScore.objects.filter(assessment_id=latest, score__lte=PROBLEM_SCORE).values_list(
                "domain", flat=True
            )
        )
    partners = set(Referral.objects.filter(case=case).values_list("organisation_id", flat=True))
    measures = set(
        Decision.objects.filter(case=case)
        .exclude(status=Decision.Status.WITHDRAWN)
        .values_list("measure_id", flat=True)
    )
    return CaseTags(domains=domains, partners=partners, measures=measures)


@dataclass
class Suggestion:
    lesson: Lesson
    score: int
    domains: list
    partners: list
    measures: list


def suggestions(case, *, limit: int = SUGGESTIONS, tags: CaseTags | None = None) -> list[Suggestion]:
    """Lessons that share domains, partners or measures with the case, most shared first (then
    newest); lessons already linked to the case are left out."""
    tags = tags if tags is not None else case_tags(case)
    if not tags:
        return []
    match = Q(partners__in=tags.partners) | Q(measures__in=tags.measures)
    for d in tags.domains:
        match |= Q(domains__icontains=f'"{d}"')
    ids = list(Lesson.objects.filter(match).exclude(cases=case).values_list("pk", flat=True).distinct()[:200])
    candidates = Lesson.objects.filter(pk__in=ids).prefetch_related("partners", "measures").select_related("team")
    out = []
    for lesson in candidates:
        domains = [d for d in lesson.domains if d in tags.domains]
        partners = [p for p in lesson.partners.all() if p.pk in tags.partners]
        measures = [m for m in lesson.measures.all() if m.pk in tags.measures]
        score = len(domains) + len(partners) + len(measures)
        if score:
            out.append(Suggestion(lesson, score, domain_labels(domains), partners, measures))
    out.sort(key=lambda s: (-s.score, -s.lesson.created_at.timestamp(), -s.lesson.pk))
    return out[:limit]


# -- obstacles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObstacleFilter:
    team: int | None = None
    status: str = ""  # "" = open ones (raised, in progress); "all"; or one status
    where: str = ""


def obstacles_visible_to(user) -> QuerySet[Obstacle]:
    if not reads_learning(user):
        return Obstacle.objects.none()
    return Obstacle.objects.all()


def obstacles(user, f: ObstacleFilter) -> QuerySet[Obstacle]:
    qs = obstacles_visible_to(user)
    if f.team:
        qs = qs.filter(team_id=f.team)
    if f.status == "":
        qs = qs.filter(status__in=[Obstacle.Status.RAISED, Obstacle.Status.IN_PROGRESS])
    elif f.status != "all":
        qs = qs.filter(status=f.status)
    if f.where:
        qs = qs.filter(where=f.where)
    return (
        qs.annotate(case_count=Count("cases", distinct=True))
        .select_related("team", "owner", "partner", "raised_by")
        .order_by("-raised_at", "-pk")
    )


def obstacle_for(user, pk: int) -> Obstacle:
    obstacle = (
        obstacles_visible_to(user)
        .annotate(case_count=Count("cases", distinct=True))
        .select_related("team", "owner", "partner", "raised_by")
        .filter(pk=pk)
        .first()
    )
    if obstacle is None:
        raise Http404
    return obstacle


def obstacle_steps(obstacle: Obstacle) -> list[ObstacleStep]:
    return list(obstacle.steps.select_related("by").order_by("at", "pk"))


def case_obstacles(case) -> list[Obstacle]:
    """The obstacles a case is linked to, open ones first."""
    rows = list(
        Obstacle.objects.filter(cases=case)
        .annotate(case_count=Count("cases", distinct=True))
        .select_related("team", "owner")
        .order_by("-raised_at", "-pk")
    )
    rows.sort(key=lambda o: o.status not in (Obstacle.Status.RAISED, Obstacle.Status.IN_PROGRESS))
    return rows
