"""The network API: the directory, and a case's consents and referrals (through the consent gate).

The same selectors and services as the web pages: a case you may not see is 404, a change you may
not make to a case you see is 403 (and a refused update on the log); reads of cases are logged.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from regie.accounts.models import Area
from regie.cases.api import require
from regie.cases.selectors import case_for
from regie.housing.models import Person
from regie.network import services
from regie.network.models import Consent, ContactPerson, Organisation, Referral
from regie.network.selectors import (
    case_consents,
    case_referrals,
    directory,
    engaged_cases,
    may_use_directory,
    organisation_for,
    response_stats,
)
from regie.network.serializers import (
    ConsentCreateSerializer,
    ConsentSerializer,
    DirectoryParamsSerializer,
    OrganisationDetailSerializer,
    OrganisationSerializer,
    ReferralCreateSerializer,
    ReferralSerializer,
    ReferralTransitionSerializer,
    WithdrawSerializer,
)


@extend_schema(tags=["network"])
class OrganisationViewSet(viewsets.GenericViewSet):
    lookup_value_converter = "int"
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="The network directory",
        description="Partners and internal departments; `q` matches name, services, must/may, criteria, "
        "working area and type. `area` also finds organisations that serve the whole municipality.",
        parameters=[DirectoryParamsSerializer],
        responses=OrganisationSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        if not may_use_directory(request.user):
            raise Http404
        params = DirectoryParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        if d.get("kind") and d["kind"] not in Organisation.Kind.values:
            raise ValidationError({"kind": ["Choose partner or department."]})
        area = None
        if d.get("area"):
            area = Area.objects.filter(code=d["area"]).first()
            if area is None:
                raise ValidationError({"area": ["Unknown area."]})
        qs = directory(q=d["q"], kind=d.get("kind", ""), partner_type=d.get("type", ""), area=area)
        page = self.paginate_queryset(qs.prefetch_related("areas"))
        return self.get_paginated_response(OrganisationSerializer(page, many=True).data)

    @extend_schema(summary="One organisation", responses=OrganisationDetailSerializer)
    def retrieve(self, request: Request, pk: int) -> Response:
        org = organisation_for(request.user, pk)
        context = {
            "stats": response_stats([org])[org.pk],
            "engagements": engaged_cases(request.user, org) if request.user.reads_case_content else [],
        }
        return Response(OrganisationDetailSerializer(org, context=context).data)


def _paged(view, items, serializer):
    page = view.paginate_queryset(items)
    return view.get_paginated_response(serializer(page, many=True).data)


@extend_schema(tags=["network"])
class CaseConsentViewSet(viewsets.GenericViewSet):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(summary="A case's consents", responses=ConsentSerializer(many=True))
    def list(self, request: Request, case_pk: int) -> Response:
        case = case_for(request.user, case_pk)
        return _paged(self, case_consents(case), ConsentSerializer)

    @extend_schema(
        summary="Record consent",
        description="A household member's consent to share life domains with a partner (or for a purpose). "
        "Open to the case team. Send multipart to attach the signed form as `document`.",
        request={"application/json": ConsentCreateSerializer, "multipart/form-data": ConsentCreateSerializer},
        responses={201: ConsentSerializer},
    )
    def create(self, request: Request, case_pk: int) -> Response:
        case = case_for(request.user, case_pk)
        require(request.user, "cases.contribute", case)
        params = ConsentCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        # Whether the person belongs to this household is the service's check; an unknown id gets the
        # same answer, so ids can't be probed.
        person = Person.objects.filter(pk=d["person"]).first()
        if person is None:
            raise ValidationError({"person": ["Only members of this household can give consent."]})
        organisation = None
        if d.get("organisation"):
            organisation = Organisation.objects.filter(pk=d["organisation"]).first()
            if organisation is None:
                raise ValidationError({"organisation": ["Organisation not found."]})
        consent = services.consent_record(
            case=case,
            person=person,
            organisation=organisation,
            purpose=d["purpose"],
            domains=d["domains"],
            given_on=d["given_on"],
            form=d["form"],
            valid_until=d.get("valid_until"),
            document=d.get("document"),
            by=request.user,
        )
        consent = Consent.objects.select_related("person", "organisation", "recorded_by").get(pk=consent.pk)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Withdraw consent", request=WithdrawSerializer, responses=ConsentSerializer)
    def withdraw(self, request: Request, case_pk: int, pk: int) -> Response:
        case = case_for(request.user, case_pk)
        require(request.user, "cases.contribute", case)
        consent = get_object_or_404(Consent, pk=pk, case=case)
        params = WithdrawSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.consent_withdraw(consent=consent, on=params.validated_data.get("withdrawn_on"), by=request.user)
        consent = Consent.objects.select_related("person", "organisation", "recorded_by").get(pk=consent.pk)
        return Response(ConsentSerializer(consent).data)


@extend_schema(tags=["network"])
class CaseReferralViewSet(viewsets.GenericViewSet):
    renderer_classes = [JSONRenderer]

    @extend_schema(summary="A case's referrals", responses=ReferralSerializer(many=True))
    def list(self, request: Request, case_pk: int) -> Response:
        case = case_for(request.user, case_pk)
        return _paged(self, case_referrals(case), ReferralSerializer)

    @extend_schema(
        summary="Refer to a partner",
        description="Through the consent gate: needs a household member's consent valid today for this partner "
        "covering every domain (found when `consent` is left out), or a `legal_ground` with its "
        "`legal_justification`. Refused (400) saying why otherwise. Open to the case team.",
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer},
    )
    def create(self, request: Request, case_pk: int) -> Response:
        case = case_for(request.user, case_pk)
        require(request.user, "cases.contribute", case)
        params = ReferralCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        organisation = Organisation.objects.filter(pk=d["organisation"]).first()
        if organisation is None:
            raise ValidationError({"organisation": ["Organisation not found."]})
        contact = None
        if d.get("contact"):
            contact = ContactPerson.objects.filter(pk=d["contact"]).first()
            if contact is None:
                raise ValidationError({"contact": ["Contact person not found."]})
        consent = None
        if d.get("consent"):
            consent = Consent.objects.filter(pk=d["consent"], case=case).select_related("person").first()
            if consent is None:
                raise ValidationError({"consent": ["Choose a consent given by a member of this household."]})
        referral = services.referral_create(
            case=case,
            organisation=organisation,
            contact=contact,
            reason=d["reason"],
            shared=d["shared"],
            domains=d["domains"],
            consent=consent,
            legal_ground=d["legal_ground"],
            legal_justification=d["legal_justification"],
            by=request.user,
        )
        return Response(ReferralSerializer(_referral(referral.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a referral's next status",
        description="sent → accepted/declined; accepted → in_progress/ended; in_progress → ended. "
        "A refused move names the allowed ones.",
        request=ReferralTransitionSerializer,
        responses=ReferralSerializer,
    )
    def transition(self, request: Request, case_pk: int, pk: int) -> Response:
        case = case_for(request.user, case_pk)
        require(request.user, "cases.contribute", case)
        referral = get_object_or_404(Referral, pk=pk, case=case)
        params = ReferralTransitionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        services.referral_transition(
            referral=referral, to_status=d["status"], at=d.get("at"), note=d["note"], by=request.user
        )
        return Response(ReferralSerializer(_referral(referral.pk)).data)


def _referral(pk: int) -> Referral:
    return (
        Referral.objects.select_related("organisation", "contact", "created_by").prefetch_related("events").get(pk=pk)
    )
