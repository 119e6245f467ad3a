"""Read endpoints for a case's evaluation moments and aftercare checks.

Both answer 404 for a case that is missing or not the caller's to see (`case_for`, which logs the
read). Register them in regie/plans/api_urls.py:

    from regie.plans.api_aftercare import urlpatterns as aftercare_urlpatterns
    urlpatterns += aftercare_urlpatterns
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.cases.selectors import case_for
from regie.plans import aftercare
from regie.plans.models import AftercareCheck

STATES = ["done", "overdue", "due", "planned"]


class AftercareEvaluationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    due = serializers.DateField()
    state = serializers.ChoiceField(choices=STATES)
    done_on = serializers.DateField(allow_null=True, help_text="The day of the evaluation assessment that answers it.")
    assessment = serializers.IntegerField(source="assessment_id", allow_null=True)


class AftercareCheckOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    due = serializers.DateField()
    state = serializers.ChoiceField(choices=STATES)
    done_at = serializers.DateTimeField(allow_null=True)
    done_by = serializers.CharField(source="done_by.get_full_name", allow_null=True, default=None)
    result = serializers.ChoiceField(choices=AftercareCheck.Result.choices, allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class CaseAftercareSerializer(serializers.Serializer):
    closure_assessment = serializers.DateField(allow_null=True, help_text="The day of the closing assessment, if any.")
    recurrence_of = serializers.IntegerField(allow_null=True)
    evaluations = AftercareEvaluationSerializer(many=True)
    aftercare_checks = AftercareCheckOutSerializer(many=True, source="checks")


class _CaseView(APIView):
    renderer_classes = [JSONRenderer]


class CaseEvaluationsView(_CaseView):
    @extend_schema(
        summary="A case's evaluation moments", responses=AftercareEvaluationSerializer(many=True), tags=["cases"]
    )
    def get(self, request: Request, pk: int) -> Response:
        info = aftercare.case_aftercare(case_for(request.user, pk))
        return Response(AftercareEvaluationSerializer(info.evaluations, many=True).data)


class CaseAftercareChecksView(_CaseView):
    @extend_schema(
        summary="A case's aftercare checks", responses=AftercareCheckOutSerializer(many=True), tags=["cases"]
    )
    def get(self, request: Request, pk: int) -> Response:
        info = aftercare.case_aftercare(case_for(request.user, pk))
        return Response(AftercareCheckOutSerializer(info.checks, many=True).data)


class CaseAftercareView(_CaseView):
    @extend_schema(
        summary="A case's closure and aftercare: closing assessment, recurrence, evaluations, checks",
        responses=CaseAftercareSerializer,
        tags=["cases"],
    )
    def get(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)
        info = aftercare.case_aftercare(case)
        data = {
            "closure_assessment": info.closure_assessment,
            "recurrence_of": case.recurrence_of_id,
            "evaluations": info.evaluations,
            "checks": info.checks,
        }
        return Response(CaseAftercareSerializer(data).data)


urlpatterns = [
    path("cases/<int:pk>/evaluations/", CaseEvaluationsView.as_view(), name="api-case-evaluations"),
    path("cases/<int:pk>/aftercare-checks/", CaseAftercareChecksView.as_view(), name="api-case-aftercare-checks"),
    path("cases/<int:pk>/aftercare/", CaseAftercareView.as_view(), name="api-case-aftercare"),
]
