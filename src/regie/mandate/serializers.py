"""Input and output shapes of the mandate API (kept apart: outputs never take writes)."""

from rest_framework import serializers

from regie.core.api import IdField
from regie.mandate.models import Approval, Decision, Limit, Measure
from regie.mandate.selectors import age_days
from regie.mandate.services import MEASURE_FIELDS


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        # The catalogue's own fields (mandate.services), but not whether a measure is active: the
        # API lists active measures only.
        fields = ["id", *(f for f in MEASURE_FIELDS if f != "is_active")]


class LimitSerializer(serializers.ModelSerializer):
    measure = serializers.CharField(source="measure.code")
    measure_name = serializers.CharField(source="measure.name")
    version = serializers.IntegerField(source="version.version")
    level = serializers.CharField(help_text="professional, manager or board")

    class Meta:
        model = Limit
        fields = ["version", "measure", "measure_name", "level", "max_value"]


class ApprovalSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.__str__")

    class Meta:
        model = Approval
        fields = ["answer", "reason", "by", "at"]


class DecisionSerializer(serializers.ModelSerializer):
    measure = serializers.CharField(source="measure.code")
    measure_name = serializers.CharField(source="measure.name")
    limits_version = serializers.IntegerField(source="limits_version.version")
    decided_by = serializers.CharField(source="decided_by.__str__")
    approvals = serializers.SerializerMethodField()
    age_days = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "case",
            "measure",
            "measure_name",
            "value",
            "on_date",
            "problem",
            "justification",
            "deviates_from",
            "expected_effect",
            "status",
            "required_level",
            "limits_version",
            "decided_by",
            "created_at",
            "effective_at",
            "corrects",
            "budget",
            "spent",
            "approvals",
            "age_days",
        ]

    def get_approvals(self, obj) -> list[dict]:
        return ApprovalSerializer(obj.approvals.all(), many=True).data

    def get_age_days(self, obj) -> int:
        return age_days(obj)


class DecisionCreateSerializer(serializers.Serializer):
    measure = serializers.SlugField(help_text="The measure's code.")
    value = serializers.DecimalField(max_digits=11, decimal_places=2, required=False, allow_null=True, default=None)
    on_date = serializers.DateField(required=False, allow_null=True, default=None)
    problem = serializers.CharField(allow_blank=True, default="")
    justification = serializers.CharField(allow_blank=True, default="")
    expected_effect = serializers.CharField(allow_blank=True, default="")
    deviates_from = serializers.CharField(allow_blank=True, default="", max_length=300)
    corrects = IdField(required=False, allow_null=True, default=None)


class DecisionAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=Approval.Answer.choices)
    reason = serializers.CharField(allow_blank=True, default="")


class DecisionWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, default="")


class DecisionSpendSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=11, decimal_places=2)


class MandateBudgetSerializer(serializers.Serializer):
    team = serializers.CharField(source="team.code")
    team_name = serializers.CharField(source="team.name")
    year = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=11, decimal_places=2)
    committed = serializers.DecimalField(max_digits=11, decimal_places=2)
    spent = serializers.DecimalField(max_digits=11, decimal_places=2)
    left = serializers.DecimalField(max_digits=11, decimal_places=2)


class MandateBudgetParamsSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
