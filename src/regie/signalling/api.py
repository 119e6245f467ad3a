"""The signal inbox API: the waiting households of your area, why each is flagged, and the four
decisions (open a case, link, assign, dismiss); plus queueing a detection run.

The same selectors and services as the web inbox: need-to-know (404 for missing and forbidden
alike), every row shown on the access log, every decision a transaction.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from regie.accounts.models import User
from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.selectors import case_for
from regie.core.api import IdField
from regie.housing.selectors import household_for
from regie.signalling import services
from regie.signalling.models import Candidate
from regie.signalling.selectors import household_flag, inbox, latest_run


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.IntegerField()
    event_ids = serializers.ListField(child=serializers.IntegerField())


class SignalSerializer(serializers.Serializer):
    household = serializers.IntegerField(source="tenancy_id")
    tenancy_id = serializers.CharField(source="tenancy.tenancy_id")
    name = serializers.CharField(source="tenancy.name")
    address = serializers.CharField(source="tenancy.unit.address")
    postcode = serializers.CharField(source="tenancy.unit.postcode")
    domains = serializers.ListField(source="domain_list", child=serializers.CharField())
    score = serializers.IntegerField()
    multi_problem = serializers.BooleanField()
    latest_event_date = serializers.DateField(allow_null=True)
    status = serializers.SerializerMethodField()
    assigned_to = serializers.SerializerMethodField()
    as_of = serializers.DateField(source="run.as_of")
    rules_version = serializers.IntegerField(source="run.rule_set.version")
    rules = serializers.SerializerMethodField()

    def get_status(self, flag) -> str | None:
        candidate = self.context.get("candidate")
        return candidate.status if candidate else None

    def get_assigned_to(self, flag) -> int | None:
        candidate = self.context.get("candidate")
        return candidate.assigned_to_id if candidate else None

    def get_rules(self, flag) -> list[dict]:
        return [
            {"code": code, "severity": rule.get("severity"), "event_ids": rule.get("event_pks", [])}
            for code, rule in sorted(flag.detail.get("rules", {}).items())
        ]


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class AssignSerializer(serializers.Serializer):
    to = serializers.IntegerField(help_text="The user id of a colleague of your own team.")


class LinkSerializer(serializers.Serializer):
    case = IdField(help_text="The id of an open case you may see.")


class OpenSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DetectSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text="Reference date; today when left out.")

    def validate_as_of(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("Choose today or a day in the past.")
        return value


def _desk(user) -> None:
    if not user.reads_case_content:
        raise Http404


def _decide(call):
    try:
        with transaction.atomic():
            return call()
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}) from exc


@extend_schema(tags=["signals"])
class SignalViewSet(viewsets.GenericViewSet):
    """`pk` is the household's id."""

    lookup_value_converter = "int"
    renderer_classes = [JSONRenderer]

    @extend_schema(summary="The signal inbox", responses=SignalSerializer(many=True))
    def list(self, request: Request) -> Response:
        _desk(request.user)
        qs = inbox(request.user, run=latest_run(), mine=request.query_params.get("mine") == "1")
        page = self.paginate_queryset(qs.select_related("run__rule_set"))
        access_record(
            user=request.user, action=Action.READ, record_type="household", record_ids=[f.tenancy_id for f in page]
        )
        data = [SignalSerializer(f, context={"candidate": f.tenancy.candidate}).data for f in page]
        return self.get_paginated_response(data)

    @extend_schema(summary="Why a household is flagged", responses=SignalSerializer)
    def retrieve(self, request: Request, pk: int) -> Response:
        _desk(request.user)
        household = household_for(request.user, pk)
        flag = household_flag(household)
        if flag is None:
            raise Http404
        candidate = Candidate.objects.filter(tenancy=household).first()
        return Response(SignalSerializer(flag, context={"candidate": candidate}).data)

    def _after(self, request, household) -> Response:
        flag = household_flag(household)
        candidate = Candidate.objects.filter(tenancy=household).first()
        return Response(SignalSerializer(flag, context={"candidate": candidate}).data)

    @extend_schema(summary="Dismiss, with a reason", request=DismissSerializer, responses=SignalSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: int) -> Response:
        _desk(request.user)
        household = household_for(request.user, pk)
        params = DismissSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        _decide(
            lambda: services.candidate_dismiss(
                tenancy=household, by=request.user, reason=params.validated_data["reason"]
            )
        )
        return self._after(request, household)

    @extend_schema(summary="Assign to a colleague of your team", request=AssignSerializer, responses=SignalSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: int) -> Response:
        _desk(request.user)
        household = household_for(request.user, pk)
        params = AssignSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        to = User.objects.filter(pk=params.validated_data["to"]).first()
        if to is None:
            raise ValidationError({"to": ["Colleague not found."]})
        _decide(lambda: services.candidate_assign(tenancy=household, by=request.user, to=to))
        return self._after(request, household)

    @extend_schema(summary="Link to an open case", request=LinkSerializer, responses=SignalSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: int) -> Response:
        _desk(request.user)
        household = household_for(request.user, pk)
        params = LinkSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            case = case_for(request.user, params.validated_data["case"])
        except Http404 as exc:
            raise ValidationError({"case": ["Case not found."]}) from exc
        _decide(lambda: services.candidate_link(tenancy=household, case=case, by=request.user))
        return self._after(request, household)

    @extend_schema(
        summary="Open a case from the inbox",
        description="You become its director; the answer is the case's id.",
        request=OpenSerializer,
        responses={201: dict},
    )
    @action(detail=True, methods=["post"], url_path="open-case")
    def open_case(self, request: Request, pk: int) -> Response:
        _desk(request.user)
        household = household_for(request.user, pk)
        params = OpenSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        case = _decide(
            lambda: services.candidate_open_case(
                tenancy=household, by=request.user, question=params.validated_data["question"]
            )
        )
        return Response({"case": case.pk, "url": case.get_absolute_url()}, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Queue a detection run", request=DetectSerializer, responses={202: dict}, tags=["signals"])
    @action(detail=False, methods=["post"])
    def detect(self, request: Request) -> Response:
        _desk(request.user)
        params = DetectSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        from regie.signalling.tasks import detect_now

        as_of = (params.validated_data.get("as_of") or timezone.localdate()).isoformat()
        user_id = request.user.pk
        transaction.on_commit(lambda: detect_now.enqueue(as_of, user_id))
        return Response({"queued": True, "as_of": as_of}, status=status.HTTP_202_ACCEPTED)
