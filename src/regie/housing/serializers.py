"""How households look in the API. Output and input serializers are kept apart; none of them writes.

The list serializers read annotations the API view adds (`latest_balance`, `open_case_id`); the
detail serializer reads the collections `household_detail` fetched, handed over in its context.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from regie.core.choices import label
from regie.core.vera import EventSource

BALANCE = serializers.DecimalField(max_digits=11, decimal_places=2, allow_null=True)


class AreaRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    """A colleague as the API names him: id, login name and display name."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")


class HouseholdSerializer(serializers.Serializer):
    """A household in a list: reads a Tenancy annotated with `latest_balance` and `open_case_id`."""

    id = serializers.IntegerField()
    tenancy_id = serializers.CharField()
    name = serializers.CharField()
    address = serializers.CharField(source="unit.address")
    postcode = serializers.CharField(source="unit.postcode")
    city = serializers.CharField(source="unit.city")
    area = AreaRefSerializer(source="unit.area", allow_null=True)
    monthly_rent = serializers.DecimalField(max_digits=9, decimal_places=2)
    latest_balance = serializers.DecimalField(
        max_digits=11, decimal_places=2, allow_null=True, help_text="The latest rent-ledger balance; > 0 is arrears."
    )
    open_case = serializers.IntegerField(
        source="open_case_id", allow_null=True, help_text="The id of the household's open case, if any."
    )


class HouseholdSearchSerializer(serializers.Serializer):
    """The search is posted, not put in the URL: names in URLs end up in server logs."""

    q = serializers.CharField(max_length=200, help_text="A name, street and house number, postcode or tenancy number.")


class UnitSerializer(serializers.Serializer):
    unit_id = serializers.CharField()
    address = serializers.CharField()
    street = serializers.CharField()
    house_number = serializers.IntegerField()
    house_number_suffix = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()
    district = serializers.CharField()
    area = AreaRefSerializer(allow_null=True)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person_id = serializers.CharField()
    role = serializers.CharField(help_text="VERA RELATIEROLSOORT code.")
    role_label = serializers.CharField(source="get_role_display")
    first_name = serializers.CharField()
    name_prefix = serializers.CharField()
    last_name = serializers.CharField()
    full_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)


class ArrearsSerializer(serializers.Serializer):
    date = serializers.DateField()
    balance = serializers.DecimalField(max_digits=11, decimal_places=2)


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    source = serializers.CharField()
    source_label = serializers.CharField(source="get_source_display")
    type = serializers.CharField(help_text="The qualified code, e.g. `ZAAKTYPEDETAILSOORT.GEL` or `REGIE.AAN`.")
    type_name = serializers.CharField()
    severity = serializers.IntegerField(min_value=1, max_value=3)
    description = serializers.CharField()

    def to_representation(self, ev):
        # Written out: a household has many events (tests/test_api.py checks it equals DRF's output).
        return {
            "id": ev.pk,
            "date": ev.date.isoformat(),
            "source": ev.source,
            "source_label": label(EventSource, ev.source),
            "type": ev.type,
            "type_name": ev.type_name,
            "severity": ev.severity,
            "description": ev.description,
        }


class HouseholdCaseSerializer(serializers.Serializer):
    """A case on the household page: only those the reader may see."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    director = UserRefSerializer()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class HouseholdDetailSerializer(serializers.Serializer):
    """One household; the collections come from the context (`household_detail` plus `cases`)."""

    id = serializers.IntegerField()
    tenancy_id = serializers.CharField()
    name = serializers.CharField()
    unit = UnitSerializer()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    monthly_rent = serializers.DecimalField(max_digits=9, decimal_places=2)
    latest_balance = serializers.SerializerMethodField()
    open_case = serializers.SerializerMethodField()
    persons = serializers.SerializerMethodField()
    arrears = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    unit_events = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField()

    def _many(self, key: str, serializer_class) -> list:
        return serializer_class(self.context[key], many=True).data

    @extend_schema_field(BALANCE)
    def get_latest_balance(self, household):
        arrears = self.context["arrears"]  # oldest first
        return BALANCE.to_representation(arrears[-1].balance) if arrears else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_open_case(self, household) -> int | None:
        return self.context["open_case"]

    @extend_schema_field(PersonSerializer(many=True))
    def get_persons(self, household):
        return self._many("persons", PersonSerializer)

    @extend_schema_field(ArrearsSerializer(many=True))
    def get_arrears(self, household):
        return self._many("arrears", ArrearsSerializer)

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, household):
        return self._many("events", EventSerializer)

    @extend_schema_field(EventSerializer(many=True))
    def get_unit_events(self, household):
        return self._many("unit_events", EventSerializer)

    @extend_schema_field(HouseholdCaseSerializer(many=True))
    def get_cases(self, household):
        return self._many("cases", HouseholdCaseSerializer)
