"""How cases look in the API, and what the API accepts to open, move and add to one.

Output serializers read cases annotated by `with_urgency`; input serializers only check shapes and
types. The rules (workflow, one open case, household members) live in the services, whose
ValidationErrors the exception handler answers as field messages.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from regie.cases.models import EntryKind, Outcome, Status
from regie.cases.selectors import urgency_marks
from regie.cases.workflow import allowed_next
from regie.core.api import IdField
from regie.core.choices import label
from regie.core.vera import Channel
from regie.housing.serializers import EventSerializer, UserRefSerializer

URGENCY_MARKS = [
    ("legal", "A legal collection step in the past year"),
    ("arrears", "Arrears of three months' rent or more"),
    ("overdue", "The next step is overdue"),
    ("no_contact", "No contact for 30 days"),
    ("action_overdue", "An action of the plan is overdue"),
    ("action_coming", "An action of the plan is due within 14 days"),
    ("recurrence", "A new case within 12 months of the household's previous case closing"),
]
SCOPES = [
    ("mine", "Cases you direct"),
    ("team", "Cases on whose team you are, directed by someone else"),
    ("all", "Every case you may see"),
]
OPENING_STATUSES = [(s.value, s.label) for s in (Status.SIGNALLED, Status.INTAKE)]


# Output


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CaseHouseholdRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tenancy_id = serializers.CharField()
    name = serializers.CharField()


class StatusRefSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()


class CaseSerializer(serializers.Serializer):
    """A case in a list; reads a case annotated by `with_urgency` with `team` joined."""

    id = serializers.IntegerField()
    household = CaseHouseholdRefSerializer()
    address = serializers.CharField(source="household.unit.address")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    director = UserRefSerializer()
    team = TeamRefSerializer()
    opened_at = serializers.DateTimeField()
    days_open = serializers.IntegerField()
    next_step = serializers.CharField()
    next_step_due = serializers.DateField(allow_null=True)
    last_contact_at = serializers.DateTimeField(allow_null=True)
    latest_balance = serializers.DecimalField(source="balance", max_digits=11, decimal_places=2, allow_null=True)
    urgency = serializers.SerializerMethodField(
        help_text="Codes: " + ", ".join(f"`{c}` ({t})" for c, t in URGENCY_MARKS)
    )

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=URGENCY_MARKS)))
    def get_urgency(self, case) -> list[str]:
        return urgency_marks(case, self.context.get("now"))

    def to_representation(self, case):
        """The fields above, written out: DRF's generic walk over nested serializers cost ~0.3 ms a
        row on the caseload (bench/). tests/test_api.py checks this equals the generic output."""
        if type(self) is not CaseSerializer:
            return super().to_representation(case)
        f = self.fields
        hh, director, team = case.household, case.director, case.team
        return {
            "id": case.pk,
            "household": {"id": hh.pk, "tenancy_id": hh.tenancy_id, "name": hh.name},
            "address": hh.unit.address,
            "status": case.status,
            "status_label": label(Status, case.status),
            "director": {"id": director.pk, "username": director.username, "name": str(director)},
            "team": {"id": team.pk, "code": team.code, "name": team.name},
            "opened_at": f["opened_at"].to_representation(case.opened_at),
            "days_open": case.days_open(),
            "next_step": case.next_step,
            "next_step_due": f["next_step_due"].to_representation(case.next_step_due) if case.next_step_due else None,
            "last_contact_at": (
                f["last_contact_at"].to_representation(case.last_contact_at) if case.last_contact_at else None
            ),
            "latest_balance": f["latest_balance"].to_representation(case.balance) if case.balance is not None else None,
            "urgency": urgency_marks(case, self.context.get("now")),
        }


class MemberSerializer(serializers.Serializer):
    user = UserRefSerializer()
    role = serializers.CharField(help_text="VERA ZAAKROL code.")
    role_label = serializers.CharField(source="get_role_display")
    added_at = serializers.DateTimeField()


class ContactPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class TimelineContactSerializer(serializers.Serializer):
    """A contact on the timeline; who recorded it is the entry's actor."""

    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    channel = serializers.CharField(help_text="VERA COMMUNICATIEKANAAL code.")
    channel_label = serializers.CharField(source="get_channel_display")
    summary = serializers.CharField()
    persons = ContactPersonSerializer(many=True)
    others = serializers.CharField()
    domains = serializers.ListField(
        child=serializers.CharField(), help_text="Sensitive ZRM domains the note touches: mental, substance, justice."
    )
    # The caller that knows the reader shields (`shield_contact`); the serializer itself can't.
    shielded = serializers.BooleanField(
        default=False,
        help_text="True when the note touches a sensitive domain and you are not on the case team: the summary is "
        "a placeholder and the domains are not named.",
    )


def shield_contact(data: dict) -> dict:
    """A contact's output as a reader outside the case team sees a sensitive one."""
    from regie.plans.sensitivity import PLACEHOLDER

    data.update(summary=str(PLACEHOLDER), domains=[], shielded=True)
    return data


def shield_entry(data: dict) -> dict:
    """A timeline entry's output as a reader outside the case team sees a sensitive one: no words,
    no domain; a contact's note is shielded as on the contacts list."""
    from regie.plans.sensitivity import PLACEHOLDER, shielded_data

    data["text"] = str(PLACEHOLDER)
    data["data"] = shielded_data(data["data"])
    if data["contact"] is not None:
        shield_contact(data["contact"])
    return data


class ContactSerializer(TimelineContactSerializer):
    by = UserRefSerializer()
    created_at = serializers.DateTimeField()


class TimelineEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    at = serializers.DateTimeField()
    actor = UserRefSerializer(allow_null=True)
    text = serializers.CharField()
    data = serializers.JSONField(help_text="Structured facts: status codes, role codes, user ids.")
    contact = TimelineContactSerializer(allow_null=True)

    def to_representation(self, e):
        """Written out, as CaseSerializer's: a timeline has dozens of entries (tests/test_api.py checks
        it equals DRF's generic output)."""
        at = self.fields["at"].to_representation
        actor, c = e.actor, e.contact
        return {
            "id": e.pk,
            "kind": e.kind,
            "kind_label": label(EntryKind, e.kind),
            "at": at(e.at),
            "actor": {"id": actor.pk, "username": actor.username, "name": str(actor)} if actor else None,
            "text": e.text,
            "data": e.data,
            "contact": None
            if c is None
            else {
                "id": c.pk,
                "at": at(c.at),
                "channel": c.channel,
                "channel_label": label(Channel, c.channel),
                "summary": c.summary,
                "persons": [{"id": p.pk, "full_name": p.full_name} for p in c.persons.all()],
                "others": c.others,
                "domains": list(c.domains),
                "shielded": False,
            },
        }


class TimelineItemSerializer(serializers.Serializer):
    """One item of `timeline()`: a case entry or a household event, newest first."""

    item = serializers.ChoiceField(source="kind", choices=[("entry", "Case entry"), ("event", "Household event")])
    date = serializers.DateField()
    entry = serializers.SerializerMethodField()
    event = serializers.SerializerMethodField()

    @extend_schema_field(TimelineEntrySerializer(allow_null=True))
    def get_entry(self, item):
        return TimelineEntrySerializer(item["obj"]).data if item["kind"] == "entry" else None

    @extend_schema_field(EventSerializer(allow_null=True))
    def get_event(self, item):
        return EventSerializer(item["obj"]).data if item["kind"] == "event" else None


class CaseDetailSerializer(CaseSerializer):
    """One case: reads a case as for the list plus `active_members`; the timeline comes in the context."""

    question = serializers.CharField()
    outcome = serializers.CharField()
    outcome_label = serializers.CharField(source="get_outcome_display")
    outcome_note = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)
    allowed_transitions = serializers.SerializerMethodField()
    members = MemberSerializer(source="active_members", many=True)
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(StatusRefSerializer(many=True))
    def get_allowed_transitions(self, case):
        return [{"status": s, "label": str(Status(s).label)} for s in allowed_next(case.status)]

    @extend_schema_field(TimelineItemSerializer(many=True))
    def get_timeline(self, case):
        # Serialize entries and events in two bulk passes: a serializer per item made enough garbage
        # to trigger full collections (measured in bench/: p95 158 → 49 ms).
        items = self.context["timeline"]
        # Who reads (plans.sensitivity.Shield); without one, everything sensitive is shielded.
        shield = self.context.get("shield")
        objs = [i["obj"] for i in items if i["kind"] == "entry"]
        rows = TimelineEntrySerializer(objs, many=True).data
        if shield is None or not shield.sees:
            for obj, row in zip(objs, rows, strict=True):
                if shield is None or shield.entry(obj):
                    shield_entry(row)
        entries = iter(rows)
        events = iter(EventSerializer([i["obj"] for i in items if i["kind"] == "event"], many=True).data)
        date = serializers.DateField()
        return [
            {
                "item": i["kind"],
                "date": date.to_representation(i["date"]),
                "entry": next(entries) if i["kind"] == "entry" else None,
                "event": next(events) if i["kind"] == "event" else None,
            }
            for i in items
        ]


# Input


class CaseListParamsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    scope = serializers.ChoiceField(choices=SCOPES, default="all")


class CaseOpenSerializer(serializers.Serializer):
    household = IdField()
    question = serializers.CharField(allow_blank=True, default="", help_text="In the tenant's own words.")
    status = serializers.ChoiceField(choices=OPENING_STATUSES, default=Status.SIGNALLED.value)
    director = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="The directing colleague's user id; default: you."
    )


class CaseTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, default="", help_text="To close.")
    outcome_note = serializers.CharField(allow_blank=True, default="")


class ContactAddSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices, help_text="VERA COMMUNICATIEKANAAL code.")
    summary = serializers.CharField()
    persons = serializers.ListField(child=IdField(), default=list, max_length=50, help_text="Household member ids.")
    others = serializers.CharField(allow_blank=True, default="", max_length=300)
    # Codes in the help text, not an enum: other serializers name "domains" with other choices.
    domains = serializers.ListField(
        child=serializers.CharField(max_length=16),
        default=list,
        max_length=3,
        help_text="Sensitive domains the note touches, read by the case team only. Codes: `mental`, `substance`, "
        "`justice`.",
    )
