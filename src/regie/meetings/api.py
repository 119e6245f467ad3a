"""The team meeting's API: your meetings, one meeting with its agenda, and putting a case forward.

Meetings go through `meetings_visible_to` / `meeting_for` (404 for anyone but the attendees, the
chair and the team's manager). Putting a case forward goes through `case_for` and needs
`cases.contribute` (403). Every case an agenda shows is a read of that case on the access log.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.cases.api import require
from regie.cases.selectors import case_for
from regie.meetings import selectors, services
from regie.meetings.models import AgendaItem, CaseQuestion, Meeting

LIST_LIMIT = 200


class MeetingSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", read_only=True)
    # Plain strings, not enums: the choice sets' names collide with other apps' in the schema.
    kind = serializers.CharField(read_only=True, help_text="daily, review or other")
    status = serializers.CharField(read_only=True, help_text="planned, open or closed")
    chair = serializers.CharField(source="chair.__str__", read_only=True)
    attendees = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "team", "kind", "starts_at", "status", "chair", "attendees", "closed_at"]

    def get_attendees(self, obj) -> list[str]:
        return [str(u) for u in obj.attendees.all()]


class AgendaItemSerializer(serializers.ModelSerializer):
    source = serializers.CharField(
        read_only=True,
        help_text="put_forward, new_case, no_progress, overdue, approval, referral, obstacle or added",
    )
    question = serializers.CharField(source="question.question", read_only=True, default="")

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "order",
            "source",
            "title",
            "case",
            "obstacle",
            "question",
            "advice",
            "decision",
            "discussed_at",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    notes = serializers.CharField(read_only=True)
    items = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "notes", "items"]

    def get_items(self, obj) -> list[dict]:
        return AgendaItemSerializer(self.context["items"], many=True).data


class PutForwardSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=2000)


class CaseQuestionSerializer(serializers.ModelSerializer):
    asked_by = serializers.CharField(source="asked_by.__str__", read_only=True)

    class Meta:
        model = CaseQuestion
        fields = ["id", "case", "question", "asked_by", "asked_at", "handled_in"]


class MeetingsAPIView(APIView):
    renderer_classes = [JSONRenderer]


@extend_schema(tags=["meetings"])
class MeetingListView(MeetingsAPIView):
    @extend_schema(summary="Your team meetings, the latest first", responses=MeetingSerializer(many=True))
    def get(self, request: Request) -> Response:
        qs = (
            selectors.meetings_visible_to(request.user)
            .select_related("team", "chair")
            .prefetch_related("attendees")
            .order_by("-starts_at", "-pk")[:LIST_LIMIT]
        )
        return Response(MeetingSerializer(qs, many=True).data)


@extend_schema(tags=["meetings"])
class MeetingDetailView(MeetingsAPIView):
    @extend_schema(summary="One meeting with its agenda and record", responses=MeetingDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_for(request.user, pk)
        items = selectors.items_of(meeting)
        selectors.log_case_reads(request.user, items)
        return Response(MeetingDetailSerializer(meeting, context={"items": items}).data)


@extend_schema(tags=["meetings"])
class MeetingAgendaView(MeetingsAPIView):
    @extend_schema(summary="A meeting's agenda, in order", responses=AgendaItemSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        meeting = selectors.meeting_for(request.user, pk)
        items = selectors.items_of(meeting)
        selectors.log_case_reads(request.user, items)
        return Response(AgendaItemSerializer(items, many=True).data)


@extend_schema(tags=["meetings"])
class PutForwardView(MeetingsAPIView):
    @extend_schema(
        summary="Put a case forward for the team's next meeting",
        description="With the question to the team; the case is on the next agenda Regie drafts.",
        request=PutForwardSerializer,
        responses={201: CaseQuestionSerializer},
    )
    def post(self, request: Request, case_pk: int) -> Response:
        case = case_for(request.user, case_pk)
        require(request.user, "cases.contribute", case)
        params = PutForwardSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        q = services.question_put_forward(case=case, question=params.validated_data["question"], by=request.user)
        return Response(CaseQuestionSerializer(q).data, status=status.HTTP_201_CREATED)
