"""The learning API: lessons (list, search, read, record) and obstacles (list, read, raise, move along
the status flow, add steps).

The same selectors and services as the web pages: only professionals and managers read them (404
for other roles); a record's cases are listed only as far as the caller may see them (`cases`),
with the total always given (`case_count`); those shown are logged as read. Working an obstacle
belongs to its team's managers (403 for others).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.accounts.models import Team
from regie.cases.models import Case
from regie.core.api import IdField
from regie.learning import selectors, services
from regie.learning.models import Lesson, Obstacle, ObstacleStep
from regie.mandate.models import Measure
from regie.network.models import Organisation
from regie.plans.models import ZrmDomain

# -- shapes ------------------------------------------------------------------------------------


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeasureRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LessonSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name")
    created_by = serializers.CharField(source="created_by.__str__")
    partners = NamedSerializer(many=True, source="partners.all")
    measures = MeasureRefSerializer(many=True, source="measures.all")
    case_count = serializers.IntegerField(help_text="How many cases the lesson is linked to, seen or not.")
    cases = serializers.SerializerMethodField(help_text="The linked cases you may see (ids).")

    class Meta:
        model = Lesson
        fields = [
            "id",
            "title",
            "what_happened",
            "what_worked",
            "next_time",
            "domains",
            "partners",
            "measures",
            "team",
            "created_by",
            "created_at",
            "case_count",
            "cases",
        ]

    def get_cases(self, obj) -> list[int] | None:
        links = self.context.get("links", {}).get(obj.pk)
        return [c.pk for c in links.visible] if links is not None else None


class LessonParamsSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, help_text="Search words (Dutch); all must match.")
    domain = serializers.ChoiceField(choices=ZrmDomain.choices, required=False)
    partner = IdField(required=False, help_text="Organisation id")
    measure = serializers.CharField(required=False, help_text="Measure code")
    team = IdField(required=False)


class LessonCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    what_happened = serializers.CharField()
    what_worked = serializers.CharField()
    next_time = serializers.CharField()
    domains = serializers.ListField(child=serializers.ChoiceField(choices=ZrmDomain.choices), required=False)
    partners = serializers.ListField(child=IdField(), required=False, help_text="Organisation ids")
    measures = serializers.ListField(child=serializers.CharField(), required=False, help_text="Measure codes")
    cases = serializers.ListField(child=IdField(), required=False, help_text="Cases you may see")
    team = IdField(required=False, help_text="One of your teams; by default your first.")


class StepSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.__str__")

    class Meta:
        model = ObstacleStep
        fields = ["id", "at", "by", "status", "text", "due", "done_at"]


class ObstacleSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name")
    partner = NamedSerializer(allow_null=True)
    owner = serializers.CharField(source="owner.__str__", allow_null=True)
    raised_by = serializers.CharField(source="raised_by.__str__")
    case_count = serializers.IntegerField(help_text="How many cases the obstacle touches, seen or not.")
    cases = serializers.SerializerMethodField(help_text="The linked cases you may see (ids); only in details.")
    steps = serializers.SerializerMethodField()
    allowed_next = serializers.SerializerMethodField()

    class Meta:
        model = Obstacle
        fields = [
            "id",
            "title",
            "description",
            "where",
            "outside",
            "partner",
            "team",
            "status",
            "allowed_next",
            "owner",
            "raised_by",
            "raised_at",
            "resolution",
            "resolved_at",
            "case_count",
            "cases",
            "steps",
        ]

    def get_cases(self, obj) -> list[int] | None:
        links = self.context.get("links", {}).get(obj.pk)
        return [c.pk for c in links.visible] if links is not None else None

    def get_steps(self, obj) -> list[dict] | None:
        if not self.context.get("steps"):
            return None
        return StepSerializer(selectors.obstacle_steps(obj), many=True).data

    def get_allowed_next(self, obj) -> list[str]:
        return list(services.allowed_next(obj.status))


class ObstacleParamsSerializer(serializers.Serializer):
    team = IdField(required=False)
    status = serializers.ChoiceField(
        choices=[("all", "all"), *Obstacle.Status.choices],
        required=False,
        help_text="Without it: the open ones (raised, in progress); `all` for every status.",
    )


class ObstacleCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    where = serializers.ChoiceField(choices=Obstacle.Where.choices)
    outside = serializers.BooleanField(default=False)
    partner = IdField(required=False, allow_null=True, help_text="Organisation id")
    cases = serializers.ListField(child=IdField(), required=False, help_text="Cases you may see")
    team = IdField(required=False, help_text="One of your teams; by default your first.")


class ObstacleTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Obstacle.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    resolution = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required to resolve.")


class ObstacleStepCreateSerializer(serializers.Serializer):
    text = serializers.CharField()
    due = serializers.DateField(required=False, allow_null=True)


# -- helpers -----------------------------------------------------------------------------------


class LearningAPIView(APIView):
    renderer_classes = [JSONRenderer]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.reads_learning(request.user):
            raise Http404


def _cases(ids) -> list[Case]:
    ids = set(ids or [])
    found = list(Case.objects.filter(pk__in=ids))
    if len(found) != len(ids):  # unknown and not-yours answer alike
        raise ValidationError({"cases": [_("You can only link cases you may see.")]})
    return found


def _team(user, pk):
    if pk is None:
        return None
    team = Team.objects.filter(pk=pk).first()
    if team is None:
        raise ValidationError({"team": [_("Choose one of your own teams.")]})
    return team


def _organisations(ids) -> list[Organisation]:
    ids = set(ids or [])
    found = list(Organisation.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"partners": [_("Organisation not found.")]})
    return found


def _measures(codes) -> list[Measure]:
    codes = set(codes or [])
    found = list(Measure.objects.filter(code__in=codes))
    if len(found) != len(codes):
        raise ValidationError({"measures": [_("Choose measures of the catalogue.")]})
    return found


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied from exc


def _lesson_out(request, pk: int) -> dict:
    lesson = selectors.lessons(request.user, selectors.LessonFilter()).filter(pk=pk).get()
    links = {pk: selectors.linked_cases(request.user, lesson)}
    return LessonSerializer(lesson, context={"links": links}).data


def _obstacle_out(request, pk: int) -> dict:
    obstacle = selectors.obstacle_for(request.user, pk)
    links = {pk: selectors.linked_cases(request.user, obstacle)}
    return ObstacleSerializer(obstacle, context={"links": links, "steps": True}).data


# -- lessons -----------------------------------------------------------------------------------


@extend_schema(tags=["learning"])
class LessonListView(LearningAPIView):
    pagination_class = PageNumberPagination  # get() pages by hand; this tells the schema so

    @extend_schema(
        summary="Lessons, searched and filtered",
        description="`q` searches title and texts in Dutch (PostgreSQL full-text search: 'ontruimingen' finds "
        "'ontruiming'), best match first; without it, newest first. `cases` is left out of lists: "
        "`case_count` says how many there are; read one lesson for the cases you may see.",
        parameters=[LessonParamsSerializer],
        responses=LessonSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = LessonParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        measure = None
        if d.get("measure"):
            measure = Measure.objects.filter(code=d["measure"]).values_list("pk", flat=True).first() or -1
        f = selectors.LessonFilter(
            q=d.get("q") or "",
            domain=d.get("domain") or "",
            partner=d.get("partner"),
            measure=measure,
            team=d.get("team"),
        )
        qs = selectors.lessons(request.user, f).prefetch_related("partners", "measures")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(LessonSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a lesson",
        description="Without personal data in its texts: everyone with case access reads it. `cases` must be "
        "cases you may see.",
        request=LessonCreateSerializer,
        responses={201: LessonSerializer},
    )
    def post(self, request: Request) -> Response:
        params = LessonCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        lesson = _call(
            services.lesson_record,
            by=request.user,
            team=_team(request.user, d.get("team")),
            title=d["title"],
            what_happened=d["what_happened"],
            what_worked=d["what_worked"],
            next_time=d["next_time"],
            domains=d.get("domains", []),
            partners=_organisations(d.get("partners")),
            measures=_measures(d.get("measures")),
            cases=_cases(d.get("cases")),
        )
        return Response(_lesson_out(request, lesson.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["learning"])
class LessonDetailView(LearningAPIView):
    @extend_schema(summary="One lesson, with the linked cases you may see", responses=LessonSerializer)
    def get(self, request: Request, pk: int) -> Response:
        selectors.lesson_for(request.user, pk)
        return Response(_lesson_out(request, pk))


@extend_schema(tags=["learning"])
class CaseLessonsView(LearningAPIView):
    @extend_schema(
        summary="Lessons suggested for a case",
        description="Lessons sharing the case's domains (goals, low assessment scores), partners (referrals) "
        "or measures (decisions), most shared first.",
        responses=LessonSerializer(many=True),
    )
    def get(self, request: Request, case_pk: int) -> Response:
        from regie.cases.selectors import case_for

        case = case_for(request.user, case_pk)
        ids = [s.lesson.pk for s in selectors.suggestions(case)]
        rows = {x.pk: x for x in selectors.lessons(request.user, selectors.LessonFilter()).filter(pk__in=ids)}
        return Response(LessonSerializer([rows[i] for i in ids if i in rows], many=True).data)


# -- obstacles ---------------------------------------------------------------------------------


@extend_schema(tags=["learning"])
class ObstacleListView(LearningAPIView):
    pagination_class = PageNumberPagination  # get() pages by hand; this tells the schema so

    @extend_schema(
        summary="Obstacles, per team and status",
        description="Open ones (raised, in progress) unless `status` says otherwise. `case_count` is how many "
        "cases each touches.",
        parameters=[ObstacleParamsSerializer],
        responses=ObstacleSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = ObstacleParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        f = selectors.ObstacleFilter(team=d.get("team"), status=d.get("status") or "")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.obstacles(request.user, f), request, view=self)
        return paginator.get_paginated_response(ObstacleSerializer(page, many=True).data)

    @extend_schema(
        summary="Raise an obstacle",
        description="For one of your teams; a manager of that team owns it. `partner` is needed when `where` is "
        "`partner`.",
        request=ObstacleCreateSerializer,
        responses={201: ObstacleSerializer},
    )
    def post(self, request: Request) -> Response:
        params = ObstacleCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        partner = None
        if d.get("partner") is not None:
            partner = Organisation.objects.filter(pk=d["partner"]).first()
            if partner is None:
                raise ValidationError({"partner": [_("Organisation not found.")]})
        obstacle = _call(
            services.obstacle_raise,
            by=request.user,
            team=_team(request.user, d.get("team")),
            title=d["title"],
            description=d["description"],
            where=d["where"],
            outside=d["outside"],
            partner=partner,
            cases=_cases(d.get("cases")),
        )
        return Response(_obstacle_out(request, obstacle.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["learning"])
class ObstacleDetailView(LearningAPIView):
    @extend_schema(
        summary="One obstacle, with its steps and the linked cases you may see", responses=ObstacleSerializer
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_obstacle_out(request, pk))


@extend_schema(tags=["learning"])
class ObstacleTransitionView(LearningAPIView):
    @extend_schema(
        summary="Move an obstacle along its status flow",
        description="raised → in_progress | not_solvable; in_progress → resolved | not_solvable; not_solvable → "
        "in_progress. Resolving needs `resolution`; not_solvable needs a `note`. The team's managers only.",
        request=ObstacleTransitionSerializer,
        responses=ObstacleSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        obstacle = selectors.obstacle_for(request.user, pk)
        params = ObstacleTransitionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        _call(
            services.obstacle_transition,
            obstacle=obstacle,
            to_status=d["status"],
            by=request.user,
            note=d["note"],
            resolution=d["resolution"],
        )
        return Response(_obstacle_out(request, pk))


@extend_schema(tags=["learning"])
class ObstacleStepView(LearningAPIView):
    @extend_schema(
        summary="Add a step to an obstacle",
        description="An action the team's manager takes, with an optional due date.",
        request=ObstacleStepCreateSerializer,
        responses={201: ObstacleSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        obstacle = selectors.obstacle_for(request.user, pk)
        params = ObstacleStepCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        _call(services.obstacle_step_add, obstacle=obstacle, text=d["text"], due=d.get("due"), by=request.user)
        return Response(_obstacle_out(request, pk), status=status.HTTP_201_CREATED)
