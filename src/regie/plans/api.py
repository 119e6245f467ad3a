"""The plans API: a case's assessments, goals and actions for its team, and the worklists.

Case resources go through `case_for` / `action_for` (404 for missing and not-yours alike, a
department colleague included); writing needs `cases.contribute` (403). A department colleague
reaches his department's actions only, through /api/worklist/, which shows the action, the address
and how to reach the household. Every read and write is on the access log.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.accounts.models import Role
from regie.audit.models import Action as LogAction
from regie.audit.services import access_denied, access_record
from regie.cases.api import require
from regie.cases.selectors import case_for
from regie.plans import services
from regie.plans.models import Action, Goal
from regie.plans.selectors import (
    action_for,
    assessments_of,
    department_action_for,
    department_actions,
    director_due_actions,
    goal_for,
    log_department_read,
    plan_goals,
)
from regie.plans.sensitivity import sees_sensitive, sensitive_among
from regie.plans.serializers import (
    ActionCompleteSerializer,
    ActionCreateSerializer,
    ActionProgressSerializer,
    ActionSerializer,
    ActionTransitionSerializer,
    ActionUpdateSerializer,
    AssessmentCreateSerializer,
    AssessmentSerializer,
    DueActionSerializer,
    GoalCreateSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    WorkItemSerializer,
)


class PlanAPIView(APIView):
    renderer_classes = [JSONRenderer]


def _action_out(pk: int) -> dict:
    action = Action.objects.select_related("assignee", "referral__organisation").get(pk=pk)
    return ActionSerializer(action).data


def _reader(request, case) -> dict:
    """The serializers' context: whether the caller reads the case's sensitive domains."""
    return {"sees_sensitive": sees_sensitive(request.user, case)}


def _team_case(request, case_pk: int, *, write: bool):
    case = case_for(request.user, case_pk)
    if write:
        require(request.user, "cases.contribute", case)
    return case


@extend_schema(tags=["plans"])
class AssessmentListView(PlanAPIView):
    @extend_schema(
        summary="A case's self-sufficiency assessments (ZRM), oldest first", responses=AssessmentSerializer(many=True)
    )
    def get(self, request: Request, case_pk: int) -> Response:
        case = _team_case(request, case_pk, write=False)
        return Response(AssessmentSerializer(assessments_of(case), many=True, context=_reader(request, case)).data)

    @extend_schema(
        summary="Record an assessment",
        description="Scores 1–5 per domain; domains left out were not assessed. One intake and one closure per case.",
        request=AssessmentCreateSerializer,
        responses={201: AssessmentSerializer},
    )
    def post(self, request: Request, case_pk: int) -> Response:
        case = _team_case(request, case_pk, write=True)
        params = AssessmentCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        domains = [s["domain"] for s in d["scores"]]
        if len(domains) != len(set(domains)):
            raise ValidationError({"scores": [_("Score each domain once.")]})
        reader = _reader(request, case)
        if not reader["sees_sensitive"] and (hidden := sensitive_among(domains)):
            raise ValidationError(
                {
                    "scores": [
                        _("Only the case team scores these sensitive domains: %(domains)s.")
                        % {"domains": ", ".join(hidden)}
                    ]
                }
            )
        assessment = services.assessment_record(
            case=case,
            moment=d["moment"],
            scores={s["domain"]: (s["score"], s.get("note", "")) for s in d["scores"]},
            by=request.user,
            assessed_on=d.get("assessed_on"),
            note=d["note"],
        )
        saved = next(a for a in assessments_of(case) if a.pk == assessment.pk)
        return Response(AssessmentSerializer(saved, context=reader).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["plans"])
class GoalListView(PlanAPIView):
    @extend_schema(summary="A case's goals with their actions", responses=GoalSerializer(many=True))
    def get(self, request: Request, case_pk: int) -> Response:
        case = _team_case(request, case_pk, write=False)
        return Response(GoalSerializer(plan_goals(case), many=True, context=_reader(request, case)).data)

    @extend_schema(summary="Add a goal", request=GoalCreateSerializer, responses={201: GoalSerializer})
    def post(self, request: Request, case_pk: int) -> Response:
        case = _team_case(request, case_pk, write=True)
        params = GoalCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        goal = services.goal_add(case=case, by=request.user, **params.validated_data)
        return Response(GoalSerializer(goal, context=_reader(request, case)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["plans"])
class GoalDetailView(PlanAPIView):
    @extend_schema(summary="One goal with its actions", responses=GoalSerializer)
    def get(self, request: Request, pk: int) -> Response:
        goal = goal_for(request.user, pk)
        return Response(GoalSerializer(goal, context=_reader(request, goal.case)).data)

    @extend_schema(
        summary="Change a goal's words, target date or status", request=GoalUpdateSerializer, responses=GoalSerializer
    )
    def patch(self, request: Request, pk: int) -> Response:
        goal = goal_for(request.user, pk)
        require(request.user, "cases.contribute", goal.case)
        reader = _reader(request, goal.case)
        if goal.is_sensitive and not reader["sees_sensitive"]:
            # A sensitive goal is the case team's to read, and so to change: a refused update.
            access_denied(user=request.user, record_type="case", record_id=goal.case_id, action=LogAction.UPDATE)
            raise PermissionDenied
        params = GoalUpdateSerializer(data=request.data, partial=True)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        goal = services.goal_update(
            goal=goal,
            by=request.user,
            text=d.get("text"),
            target_date=d.get("target_date", goal.target_date),
            status=d.get("status"),
        )
        return Response(GoalSerializer(goal, context=reader).data)


@extend_schema(tags=["plans"])
class ActionListView(PlanAPIView):
    @extend_schema(summary="A case's actions", responses=ActionSerializer(many=True))
    def get(self, request: Request, case_pk: int) -> Response:
        case = _team_case(request, case_pk, write=False)
        qs = Action.objects.filter(case=case).select_related("assignee", "referral__organisation").order_by("due", "pk")
        return Response(ActionSerializer(qs, many=True).data)

    @extend_schema(
        summary="Add an action under a goal",
        description="`who`: tenant, director, department (name the `department`) or partner (name one of the "
        "case's `referral`s).",
        request=ActionCreateSerializer,
        responses={201: ActionSerializer},
    )
    def post(self, request: Request, case_pk: int) -> Response:
        from regie.network.models import Referral

        case = _team_case(request, case_pk, write=True)
        params = ActionCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        goal = Goal.objects.filter(pk=d["goal"], case=case).select_related("case").first()
        if goal is None:
            raise ValidationError({"goal": [_("Choose a goal of this case.")]})
        referral = None
        if d["referral"]:
            referral = Referral.objects.filter(pk=d["referral"], case=case).first()
            if referral is None:
                raise ValidationError({"referral": [_("Choose a referral of this case.")]})
        action = services.action_add(
            goal=goal,
            what=d["what"],
            who=d["who"],
            department=d["department"],
            referral=referral,
            due=d["due"],
            by=request.user,
        )
        return Response(_action_out(action.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["plans"])
class ActionDetailView(PlanAPIView):
    @extend_schema(summary="One action", responses=ActionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ActionSerializer(action_for(request.user, pk)).data)

    @extend_schema(
        summary="Change what an action is or by when", request=ActionUpdateSerializer, responses=ActionSerializer
    )
    def patch(self, request: Request, pk: int) -> Response:
        action = action_for(request.user, pk)
        require(request.user, "cases.contribute", action.case)
        params = ActionUpdateSerializer(data=request.data, partial=True)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        services.action_update(
            action=action, by=request.user, what=d.get("what", action.what), due=d.get("due", action.due)
        )
        return Response(_action_out(action.pk))


@extend_schema(tags=["plans"])
class ActionTransitionView(PlanAPIView):
    @extend_schema(
        summary="Move an action along its workflow",
        description="open → in_progress, done, cancelled; in_progress → done, cancelled, open; done → in_progress; "
        "cancelled → open. `done` needs an `outcome`. A refused move names the allowed ones.",
        request=ActionTransitionSerializer,
        responses=ActionSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        action = action_for(request.user, pk)
        require(request.user, "cases.contribute", action.case)
        params = ActionTransitionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        services.action_transition(
            action=action, to_status=d["status"], by=request.user, outcome=d["outcome"], text=d["text"]
        )
        return Response(_action_out(action.pk))


class WorklistPagination(PageNumberPagination):
    page_size = 25


@extend_schema(tags=["plans"])
class WorklistView(PlanAPIView):
    pagination_class = WorklistPagination  # both branches answer a page; this tells the schema so

    @extend_schema(
        summary="Your worklist",
        description="For a department colleague: his department's open actions across cases, with the address and "
        "how to reach the household (nothing else of the case). For a director: his cases' actions that are "
        "overdue or due within 14 days.",
        parameters=[OpenApiParameter("mine", bool, description="Department: only the actions you accepted.")],
        responses=PolymorphicProxySerializer(
            component_name="WorklistRow",
            serializers=[WorkItemSerializer, DueActionSerializer],
            resource_type_field_name=None,
            many=True,
        ),
    )
    def get(self, request: Request) -> Response:
        user = request.user
        if user.role == Role.DEPARTMENT:
            mine = request.query_params.get("mine") in ("1", "true")
            paginator = WorklistPagination()
            page = paginator.paginate_queryset(department_actions(user, mine=mine), request, view=self)
            log_department_read(user, page)
            return paginator.get_paginated_response(WorkItemSerializer(page, many=True).data)
        if user.reads_case_content:
            due = director_due_actions(user)
            rows = due.overdue + due.coming
            access_record(
                user=user, action=LogAction.READ, record_type="case", record_ids=sorted({a.case_id for a in rows})
            )
            return Response(
                {
                    "count": len(rows),
                    "next": None,
                    "previous": None,
                    "results": DueActionSerializer(rows, many=True).data,
                }
            )
        raise NotFound


@extend_schema(tags=["plans"])
class WorkItemView(PlanAPIView):
    @extend_schema(summary="One action of your department", responses=WorkItemSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(WorkItemSerializer(department_action_for(request.user, pk)).data)


def _work_out(user, pk: int) -> dict:
    return WorkItemSerializer(department_action_for(user, pk)).data


@extend_schema(tags=["plans"])
class WorkAcceptView(PlanAPIView):
    @extend_schema(
        summary="Accept an action of your department: you become its assignee",
        request=None,
        responses=WorkItemSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        action = department_action_for(request.user, pk)
        services.action_accept(action=action, by=request.user)
        return Response(_work_out(request.user, pk))


@extend_schema(tags=["plans"])
class WorkProgressView(PlanAPIView):
    @extend_schema(
        summary="Report progress on an action of your department",
        request=ActionProgressSerializer,
        responses=WorkItemSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        action = department_action_for(request.user, pk)
        params = ActionProgressSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.action_progress(action=action, by=request.user, text=params.validated_data["text"])
        return Response(_work_out(request.user, pk))


@extend_schema(tags=["plans"])
class WorkCompleteView(PlanAPIView):
    @extend_schema(
        summary="Complete an action of your department with its outcome",
        request=ActionCompleteSerializer,
        responses=WorkItemSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        action = department_action_for(request.user, pk)
        params = ActionCompleteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.action_complete(action=action, by=request.user, outcome=params.validated_data["outcome"])
        return Response(_work_out(request.user, pk))
