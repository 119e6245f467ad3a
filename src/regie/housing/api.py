"""The households API: the list, a search posted in the body, and one household, under need-to-know.

Every household a response shows is logged as read: lists log their page's rows in one insert,
the detail is logged by `household_for`.
"""

from django.db.models import OuterRef, QuerySet, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.models import Case
from regie.cases.selectors import cases_visible_to
from regie.housing.models import Tenancy
from regie.housing.selectors import (
    household_detail,
    household_for,
    household_search,
    households_visible_to,
    latest_balance_subquery,
)
from regie.housing.serializers import HouseholdDetailSerializer, HouseholdSearchSerializer, HouseholdSerializer


def for_list(qs: QuerySet[Tenancy]) -> QuerySet[Tenancy]:
    """What a list row shows, joined and annotated: a fixed number of queries per page."""
    open_case = Case.objects.open().filter(household=OuterRef("pk")).values("pk")[:1]
    return (
        qs.select_related("unit", "unit__area")
        .annotate(latest_balance=latest_balance_subquery(), open_case_id=Subquery(open_case))
        .order_by("name", "tenancy_id", "pk")
    )


@extend_schema(tags=["households"])
class HouseholdViewSet(viewsets.GenericViewSet):
    lookup_value_converter = "int"
    # JSON only: the browsable API would want a queryset and serializer class on the view, and the
    # interactive docs live at /api/docs/.
    renderer_classes = [JSONRenderer]

    def _page(self, request: Request, qs: QuerySet[Tenancy]) -> Response:
        page = self.paginate_queryset(qs)
        access_record(user=request.user, action=Action.READ, record_type="household", record_ids=[h.pk for h in page])
        return self.get_paginated_response(HouseholdSerializer(page, many=True).data)

    @extend_schema(summary="Households you may see", responses=HouseholdSerializer(many=True))
    def list(self, request: Request) -> Response:
        return self._page(request, for_list(households_visible_to(request.user)))

    @extend_schema(
        summary="Search households",
        description="By name, street and house number, postcode or tenancy number. The query goes in the "
        "body, never in the URL, so no name lands in a server log. Paginated with `?page=` like the list.",
        request=HouseholdSearchSerializer,
        responses=HouseholdSerializer(many=True),
    )
    @action(detail=False, methods=["post"])
    def search(self, request: Request) -> Response:
        params = HouseholdSearchSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return self._page(request, for_list(household_search(request.user, params.validated_data["q"])))

    @extend_schema(summary="One household", responses=HouseholdDetailSerializer)
    def retrieve(self, request: Request, pk: int) -> Response:
        household = household_for(request.user, pk)
        context = {
            **household_detail(household),
            "cases": list(
                cases_visible_to(request.user)
                .filter(household=household)
                .select_related("director")
                .order_by("-opened_at", "-pk")
            ),
            "open_case": Case.objects.open().filter(household=household).values_list("pk", flat=True).first(),
        }
        return Response(HouseholdDetailSerializer(household, context=context).data)
