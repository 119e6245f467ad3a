"""The results API: result agreements with their computed progress, and the dashboard's figures.

An agreement goes through `agreement_for` (404 for missing and not-yours alike); the dashboard is
for managers (their teams), the board and the administrator (all teams), with the page's filters.
"""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.audit.models import Action as LogAction
from regie.audit.services import access_record
from regie.results import selectors
from regie.results.charts import dashboard_charts
from regie.results.forms import DashboardFilterForm


def _num(v):
    return float(v) if isinstance(v, Decimal) else v


def agreement_data(agreement, rows) -> dict:
    return {
        "id": agreement.pk,
        "professional": agreement.professional_id,
        "manager": agreement.manager_id,
        "start": agreement.start.isoformat(),
        "end": agreement.end.isoformat(),
        "note": agreement.note,
        "indicators": [
            {
                "indicator": r.indicator,
                "label": r.label,
                "direction": r.direction,
                "target": _num(r.target),
                "value": _num(r.value),
                "met": r.met,
                "percent": r.percent,
                "cases": r.case_ids,
            }
            for r in rows
        ],
    }


class ResultsAPIView(APIView):
    renderer_classes = [JSONRenderer]


@extend_schema(tags=["results"])
class AgreementListView(ResultsAPIView):
    @extend_schema(
        summary="Result agreements you may see (your own, or your teams')",
        responses=inline_serializer(
            name="ResultAgreement",
            many=True,
            fields={
                "id": serializers.IntegerField(),
                "professional": serializers.IntegerField(),
                "manager": serializers.IntegerField(),
                "start": serializers.DateField(),
                "end": serializers.DateField(),
                "targets": inline_serializer(
                    name="ResultTarget",
                    many=True,
                    fields={
                        "indicator": serializers.CharField(),
                        "direction": serializers.CharField(),
                        "value": serializers.FloatField(),
                    },
                ),
            },
        ),
        operation_id="results_agreements_list",
    )
    def get(self, request: Request) -> Response:
        out = [
            {
                "id": a.pk,
                "professional": a.professional_id,
                "manager": a.manager_id,
                "start": a.start.isoformat(),
                "end": a.end.isoformat(),
                "targets": [
                    {"indicator": t.indicator, "direction": t.direction, "value": float(t.value)}
                    for t in a.targets.all()
                ],
            }
            for a in selectors.agreements_visible_to(request.user)
        ]
        return Response(out)


@extend_schema(tags=["results"])
class AgreementIndicatorsView(ResultsAPIView):
    @extend_schema(
        summary="An agreement's indicators: target, computed value, whether met, the cases counted",
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request, pk: int) -> Response:
        agreement = selectors.agreement_for(request.user, pk)
        rows = selectors.progress(agreement)
        shown = sorted({c for r in rows for c in r.case_ids})
        if shown:
            access_record(user=request.user, action=LogAction.READ, record_type="case", record_ids=shown)
        return Response(agreement_data(agreement, rows))


@extend_schema(tags=["results"])
class DashboardView(ResultsAPIView):
    @extend_schema(
        summary="The dashboard's figures (aggregates) for the teams you may see",
        parameters=[
            OpenApiParameter("team", int, required=False),
            OpenApiParameter("area", int, required=False),
            OpenApiParameter("start", OpenApiTypes.DATE, required=False),
            OpenApiParameter("end", OpenApiTypes.DATE, required=False),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        user = request.user
        if not selectors.may_see_dashboard(user):
            raise NotFound
        form = DashboardFilterForm(request.query_params or None, teams=selectors.dashboard_teams(user))
        start, end = form.period()
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        team, area = data.get("team"), data.get("area")
        teams = selectors.dashboard_teams(user, team_id=team.pk if team else None, area_id=area.pk if area else None)
        figures = selectors.dashboard(teams, start, end)
        return Response(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "teams": [t.pk for t in teams],
                "indicators": {k: _num(f.value) for k, f in figures["figures"].items()},
                "charts": [
                    {
                        "key": c.key,
                        "title": c.title,
                        "columns": c.columns,
                        "rows": [[_num(v) for v in row] for row in c.rows],
                    }
                    for c in dashboard_charts(figures)
                ],
            }
        )
