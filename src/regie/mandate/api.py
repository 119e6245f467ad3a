"""The mandate API: the catalogue and the limits in force, a case's decisions, answering and
withdrawing them, what waits for your answer, and the budgets.

A case's decisions go through `case_for` (404 for missing and not-yours alike); recording one needs
`mandate.record_decision` (403). One decision goes through `decision_for` (the board sees what was
put to it); answering needs `mandate.answer_decision`, or the director for a reply (403). Every
read of decisions and every write is on the access log.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.audit.models import Action as LogAction
from regie.audit.services import access_denied, access_record
from regie.cases.api import require
from regie.cases.selectors import case_for
from regie.mandate import services
from regie.mandate.models import Approval, Decision, Measure
from regie.mandate.selectors import (
    budgets_visible_to,
    decision_for,
    decisions_for_case,
    limits_of,
    measures_active,
    pending_for,
)
from regie.mandate.serializers import (
    DecisionAnswerSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    DecisionSpendSerializer,
    DecisionWithdrawSerializer,
    LimitSerializer,
    MandateBudgetParamsSerializer,
    MandateBudgetSerializer,
    MeasureSerializer,
)


class MandateAPIView(APIView):
    renderer_classes = [JSONRenderer]


def _out(pk: int) -> dict:
    decision = Decision.objects.select_related("measure", "limits_version", "decided_by").get(pk=pk)
    return DecisionSerializer(decision).data


def _refuse(user, decision: Decision) -> None:
    access_denied(user=user, record_type="case", record_id=decision.case_id, action=LogAction.UPDATE)
    raise PermissionDenied


@extend_schema(tags=["mandate"])
class MeasureListView(MandateAPIView):
    @extend_schema(summary="The catalogue of measures in use", responses=MeasureSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(MeasureSerializer(measures_active(), many=True).data)


@extend_schema(tags=["mandate"])
class LimitListView(MandateAPIView):
    @extend_schema(
        summary="The limits in force",
        description="Per measure and level, up to what that level decides alone (`max_value` null: no upper "
        "bound). A level without a row can't decide the measure alone.",
        responses=LimitSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(LimitSerializer(limits_of(), many=True).data)


@extend_schema(tags=["mandate"])
class CaseDecisionListView(MandateAPIView):
    @extend_schema(summary="A case's decisions, newest first", responses=DecisionSerializer(many=True))
    def get(self, request: Request, case_pk: int) -> Response:
        case = case_for(request.user, case_pk)
        return Response(DecisionSerializer(decisions_for_case(case), many=True).data)

    @extend_schema(
        summary="Record a decision",
        description="Within your mandate it takes effect at once; beyond it, it waits for the manager or the "
        "board, who are told by e-mail. `value` for an amount or months, `on_date` for a date.",
        request=DecisionCreateSerializer,
        responses={201: DecisionSerializer},
    )
    def post(self, request: Request, case_pk: int) -> Response:
        case = case_for(request.user, case_pk)
        require(request.user, "mandate.record_decision", case)
        params = DecisionCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        measure = Measure.objects.filter(code=d["measure"]).first()
        if measure is None:
            raise ValidationError({"measure": [_("Choose a measure of the catalogue.")]})
        corrects = None
        if d["corrects"] is not None:
            corrects = Decision.objects.filter(pk=d["corrects"], case=case).first()
            if corrects is None:
                raise ValidationError({"corrects": [_("Choose a decision of this case.")]})
        decision = services.decision_record(
            case=case,
            measure=measure,
            value=d["value"],
            on_date=d["on_date"],
            problem=d["problem"],
            justification=d["justification"],
            expected_effect=d["expected_effect"],
            deviates_from=d["deviates_from"],
            corrects=corrects,
            by=request.user,
        )
        return Response(_out(decision.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["mandate"])
class DecisionDetailView(MandateAPIView):
    @extend_schema(summary="One decision with its answers", responses=DecisionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(DecisionSerializer(decision_for(request.user, pk)).data)


@extend_schema(tags=["mandate"])
class DecisionAnswerView(MandateAPIView):
    @extend_schema(
        summary="Answer a decision",
        description="The approver: approve, decline, question or (a manager) escalate to the board; the "
        "director: reply to a question. Always with a reason.",
        request=DecisionAnswerSerializer,
        responses=DecisionSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        decision = decision_for(request.user, pk)
        params = DecisionAnswerSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        answer = params.validated_data["answer"]
        perm = "mandate.reply_decision" if answer == Approval.Answer.REPLY else "mandate.answer_decision"
        if not request.user.has_perm(perm, decision):
            _refuse(request.user, decision)
        services.decision_answer(
            decision=decision, answer=answer, reason=params.validated_data["reason"], by=request.user
        )
        return Response(_out(decision.pk))


@extend_schema(tags=["mandate"])
class DecisionWithdrawView(MandateAPIView):
    @extend_schema(
        summary="Withdraw a decision that still waits", request=DecisionWithdrawSerializer, responses=DecisionSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        decision = decision_for(request.user, pk)
        if not request.user.has_perm("mandate.reply_decision", decision):
            _refuse(request.user, decision)
        params = DecisionWithdrawSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.decision_withdraw(decision=decision, reason=params.validated_data["reason"], by=request.user)
        return Response(_out(decision.pk))


@extend_schema(tags=["mandate"])
class DecisionSpendView(MandateAPIView):
    @extend_schema(
        summary="Record money spent on a budget decision", request=DecisionSpendSerializer, responses=DecisionSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        decision = decision_for(request.user, pk)
        if not request.user.has_perm("cases.manage_case", decision.case):
            _refuse(request.user, decision)
        params = DecisionSpendSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.decision_spend(decision=decision, amount=params.validated_data["amount"], by=request.user)
        return Response(_out(decision.pk))


@extend_schema(tags=["mandate"])
class PendingListView(MandateAPIView):
    @extend_schema(summary="Decisions waiting for your answer, oldest first", responses=DecisionSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = list(pending_for(request.user).prefetch_related("approvals__by"))
        access_record(
            user=request.user, action=LogAction.READ, record_type="case", record_ids=sorted({d.case_id for d in rows})
        )
        return Response(DecisionSerializer(rows, many=True).data)


@extend_schema(tags=["mandate"])
class BudgetListView(MandateAPIView):
    @extend_schema(
        summary="The custom budgets of your teams",
        description="Budget, committed (decisions in effect), spent and left, for `year` (this year by default).",
        parameters=[MandateBudgetParamsSerializer],
        responses=MandateBudgetSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = MandateBudgetParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        year = params.validated_data.get("year") or timezone.localdate().year
        return Response(MandateBudgetSerializer(budgets_visible_to(request.user, year), many=True).data)
