"""How the plan looks in the API, and what the API accepts. Input serializers check shapes only;
the rules live in the services, whose ValidationErrors answer as field messages."""

from rest_framework import serializers

from regie.accounts.models import Department
from regie.housing.serializers import UserRefSerializer
from regie.plans.models import Action, Assessment, Goal, ZrmDomain
from regie.plans.sensitivity import PLACEHOLDER, is_sensitive
from regie.plans.workflow import allowed_next

# Codes are listed in the help texts rather than as enums: the same choice sets appear in other
# apps' serializers, and the schema must generate without enum-name collisions. The services check them.


def _codes(choices) -> str:
    return "Codes: " + ", ".join(f"`{c.value}`" for c in choices)


DOMAINS = "ZRM domain. " + _codes(ZrmDomain)
SCORES = "1 acute problems, 2 not, 3 limited, 4 sufficiently, 5 fully self-sufficient."

# Output


class ScoreSerializer(serializers.Serializer):
    domain = serializers.CharField(help_text=DOMAINS)
    score = serializers.IntegerField(min_value=1, max_value=5, help_text=SCORES)
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=500)


SHIELDED = (
    "True when this is a sensitive domain (mental, substance, justice) and you are not on the case team: "
    "the words are replaced by a placeholder."
)


def _sees_sensitive(serializer) -> bool:
    # The view says whether the caller reads the sensitive domains; unsaid means not (fail closed).
    return bool(serializer.context.get("sees_sensitive", False))


class ScoreOutSerializer(serializers.Serializer):
    domain = serializers.CharField(help_text=DOMAINS)
    score = serializers.IntegerField(allow_null=True, help_text=SCORES + " Null when shielded.")
    note = serializers.CharField()
    shielded = serializers.BooleanField(help_text=SHIELDED)

    def to_representation(self, s):
        shielded = is_sensitive(s.domain) and not _sees_sensitive(self)
        return {
            "domain": s.domain,
            "score": None if shielded else s.score,
            "note": str(PLACEHOLDER) if shielded else s.note,
            "shielded": shielded,
        }


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    moment = serializers.CharField()
    assessed_on = serializers.DateField()
    by = UserRefSerializer()
    note = serializers.CharField()
    scores = ScoreOutSerializer(many=True, source="scores.all")


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    goal = serializers.IntegerField(source="goal_id")
    what = serializers.CharField()
    who = serializers.CharField(help_text=_codes(Action.Who))
    department = serializers.CharField()
    referral = serializers.IntegerField(source="referral_id", allow_null=True)
    partner = serializers.SerializerMethodField()
    assignee = UserRefSerializer(allow_null=True)
    due = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text=_codes(Action.Status))
    allowed_next = serializers.SerializerMethodField()
    outcome = serializers.CharField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)

    def get_partner(self, action) -> str | None:
        return str(action.referral.organisation) if action.referral_id else None

    def get_allowed_next(self, action) -> list[str]:
        return list(allowed_next(action.status))


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    domain = serializers.CharField(allow_null=True, help_text=DOMAINS + " Null when shielded.")
    text = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text=_codes(Goal.Status))
    actions = ActionSerializer(many=True, source="actions.all")
    shielded = serializers.SerializerMethodField(help_text=SHIELDED)

    def get_shielded(self, goal) -> bool:
        return goal.is_sensitive and not _sees_sensitive(self)

    def to_representation(self, goal):
        data = super().to_representation(goal)
        if data["shielded"]:
            # The actions stay: who does what is no secret; what the goal is about is.
            data.update(domain=None, text=str(PLACEHOLDER))
        return data


class AddressSerializer(serializers.Serializer):
    street = serializers.CharField()
    house_number = serializers.IntegerField()
    house_number_suffix = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()


class HouseholdContactSerializer(serializers.Serializer):
    name = serializers.CharField(source="full_name")
    phone = serializers.CharField()
    email = serializers.CharField()


class WorkItemSerializer(serializers.Serializer):
    """A department's action: what, when, the address and how to reach the household. Nothing else."""

    id = serializers.IntegerField()
    what = serializers.CharField()
    department = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text=_codes(Action.Status))
    assignee = UserRefSerializer(allow_null=True)
    outcome = serializers.CharField()
    address = AddressSerializer(source="case.household.unit")
    contacts = HouseholdContactSerializer(many=True, source="case.household.contacts")


class DueActionSerializer(ActionSerializer):
    household = serializers.CharField(source="case.household.name")
    address = serializers.CharField(source="case.household.unit.address")


# Input


class AssessmentCreateSerializer(serializers.Serializer):
    moment = serializers.CharField(help_text=_codes(Assessment.Moment))
    assessed_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    scores = ScoreSerializer(many=True)


class GoalCreateSerializer(serializers.Serializer):
    domain = serializers.CharField(help_text=DOMAINS)
    text = serializers.CharField(max_length=1000)
    target_date = serializers.DateField(required=False, allow_null=True, default=None)


class GoalUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000, required=False)
    target_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.CharField(required=False, help_text=_codes(Goal.Status))


class ActionCreateSerializer(serializers.Serializer):
    goal = serializers.IntegerField(help_text="A goal of this case.")
    what = serializers.CharField(max_length=1000)
    who = serializers.CharField(help_text=_codes(Action.Who))
    department = serializers.CharField(required=False, allow_blank=True, default="", help_text=_codes(Department))
    referral = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A referral of this case."
    )
    due = serializers.DateField(required=False, allow_null=True, default=None)


class ActionUpdateSerializer(serializers.Serializer):
    what = serializers.CharField(max_length=1000, required=False)
    due = serializers.DateField(required=False, allow_null=True)


class ActionTransitionSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=_codes(Action.Status))
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ActionProgressSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class ActionCompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=2000)
