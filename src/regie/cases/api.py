"""The cases API: the caseload, one case, opening, moving along the workflow, and contacts.

Reads go through the user-scoped selectors (404 for missing and forbidden alike); what a user may
do to a case he sees is a `rules` permission (403). Writes call the case services, which check the
rules of the trade and log the write; lists log every row they show as read.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from regie.accounts.models import User
from regie.audit.models import Action
from regie.audit.services import access_denied, access_record
from regie.cases.models import Case, CaseMember
from regie.cases.selectors import (
    TIMELINE_ALL,
    TIMELINE_PAGE,
    case_for,
    cases_visible_to,
    in_scope,
    timeline,
    with_urgency,
)
from regie.cases.serializers import (
    CaseDetailSerializer,
    CaseListParamsSerializer,
    CaseOpenSerializer,
    CaseSerializer,
    CaseTransitionSerializer,
    ContactAddSerializer,
    ContactSerializer,
    shield_contact,
)
from regie.cases.services import case_open, case_transition, contact_add
from regie.housing.models import Person
from regie.housing.selectors import households_visible_to
from regie.plans.sensitivity import Shield, sees_sensitive


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        if obj is not None:  # a visible case the user may not change: a refused update, on the log
            access_denied(user=user, record_type="case", record_id=obj.pk, action=Action.UPDATE)
        raise PermissionDenied


def case_detail_data(case_pk: int, case: Case | None = None, *, user, whole_timeline: bool = False) -> dict:
    """The detail of a case the caller (`user`) was already allowed (by `case_for`, or by opening it);
    the timeline's sensitive entries shielded unless he is on the case team (plans.sensitivity).

    Pass the case `case_for` returned to save fetching it again; after a write, the pk alone."""
    if case is None:
        case = with_urgency(Case.objects.filter(pk=case_pk)).select_related("team").get()
    case.active_members = list(
        CaseMember.objects.filter(case=case, removed_at__isnull=True).select_related("user").order_by("added_at", "pk")
    )
    items = timeline(case, limit=TIMELINE_ALL if whole_timeline else TIMELINE_PAGE)
    shield = Shield.for_case(user, case)
    return CaseDetailSerializer(case, context={"now": timezone.now(), "timeline": items, "shield": shield}).data


def _contacts_out(user, case: Case, contacts) -> list[dict]:
    """Contacts as `user` may read them: a note marked sensitive is shielded outside the case team."""
    rows = ContactSerializer(contacts, many=True).data
    if not sees_sensitive(user, case):
        for contact, row in zip(contacts, rows, strict=True):
            if contact.is_sensitive:
                shield_contact(row)
    return rows


@extend_schema(tags=["cases"])
class CaseViewSet(viewsets.GenericViewSet):
    lookup_value_converter = "int"
    # JSON only: the browsable API would want a queryset and serializer class on the view, and the
    # interactive docs live at /api/docs/.
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Cases you may see",
        parameters=[CaseListParamsSerializer],
        responses=CaseSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        params = CaseListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = in_scope(cases_visible_to(request.user), request.user, params.validated_data["scope"])
        if status_ := params.validated_data.get("status"):
            qs = qs.filter(status=status_)
        page = self.paginate_queryset(with_urgency(qs).select_related("team").order_by("-opened_at", "-pk"))
        access_record(user=request.user, action=Action.READ, record_type="case", record_ids=[c.pk for c in page])
        return self.get_paginated_response(CaseSerializer(page, many=True, context={"now": timezone.now()}).data)

    @extend_schema(
        summary="One case",
        responses=CaseDetailSerializer,
        parameters=[
            OpenApiParameter(
                "timeline", str, enum=["all"], description="`all` for the whole timeline; by default the latest 30."
            )
        ],
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)
        return Response(
            case_detail_data(
                case.pk, case, user=request.user, whole_timeline=request.query_params.get("timeline") == "all"
            )
        )

    @extend_schema(
        summary="Open a case",
        description="For a household you may see that has no open case. Needs the right to open cases.",
        request=CaseOpenSerializer,
        responses={201: CaseDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        require(request.user, "cases.open_case")
        params = CaseOpenSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        # Missing and not-yours answer alike, so ids can't be probed.
        household = households_visible_to(request.user).filter(pk=data["household"]).first()
        if household is None:
            raise ValidationError({"household": [_("Household not found.")]})
        director = request.user
        if data.get("director"):
            director = User.objects.filter(pk=data["director"]).first()
            if director is None:
                raise ValidationError({"director": [_("Colleague not found.")]})
        case = case_open(
            household=household,
            director=director,
            by=request.user,
            question=data["question"],
            status=data["status"],
        )
        return Response(case_detail_data(case.pk, user=request.user), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move a case along the workflow",
        description="Closing needs an `outcome`. Only the director and his manager may steer a case.",
        request=CaseTransitionSerializer,
        responses=CaseDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)
        require(request.user, "cases.manage_case", case)
        params = CaseTransitionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        case_transition(
            case=case,
            to_status=data["status"],
            by=request.user,
            note=data["note"],
            outcome=data["outcome"],
            outcome_note=data["outcome_note"],
        )
        return Response(case_detail_data(case.pk, user=request.user))

    @extend_schema(summary="A case's contacts", responses=ContactSerializer(many=True))
    @action(detail=True, methods=["get"])
    def contacts(self, request: Request, pk: int) -> Response:
        # The case read is logged by case_for; its contacts are part of that record.
        case = case_for(request.user, pk)
        qs = case.contacts.select_related("by").prefetch_related("persons").order_by("-at", "-pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(_contacts_out(request.user, case, page))

    @extend_schema(
        summary="Record a contact",
        description="Open to everyone on the case team. `persons` are ids of the household's members.",
        request=ContactAddSerializer,
        responses={201: ContactSerializer},
    )
    @contacts.mapping.post
    def contact_add(self, request: Request, pk: int) -> Response:
        case = case_for(request.user, pk)
        require(request.user, "cases.contribute", case)
        params = ContactAddSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        ids = set(data["persons"])
        # Whether a person belongs to this household is the service's check; an unknown id gets the
        # same answer, so ids can't be probed.
        persons = list(Person.objects.filter(pk__in=ids))
        if len(persons) != len(ids):
            raise ValidationError({"persons": [_("Only members of this household can be chosen.")]})
        contact = contact_add(
            case=case,
            at=data["at"],
            channel=data["channel"],
            summary=data["summary"],
            by=request.user,
            persons=persons,
            others=data["others"],
            domains=data["domains"],
        )
        return Response(_contacts_out(request.user, case, [contact])[0], status=status.HTTP_201_CREATED)
