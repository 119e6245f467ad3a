"""How the network looks in the API, and what it accepts. Output and input kept apart; the rules
(the consent gate, the status flow) live in the services, whose ValidationErrors come back as
field messages."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from regie.core.api import IdField
from regie.core.uploads import check_document
from regie.housing.serializers import UserRefSerializer
from regie.network.models import Consent, LegalGround, PartnerType, Referral
from regie.network.selectors import is_overdue
from regie.network.workflow import allowed_next
from regie.plans.models import ZrmDomain

# Output

STATUSES = ", ".join(f"`{v}`" for v in Referral.Status.values)


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrganisationContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    function = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class ResponseStatsSerializer(serializers.Serializer):
    expected_days = serializers.IntegerField()
    answered = serializers.IntegerField(help_text="Referrals answered (accepted or declined).")
    median_days = serializers.FloatField(allow_null=True, help_text="Median days from sent to first answer.")
    mean_days = serializers.FloatField(allow_null=True)
    within_expected = serializers.FloatField(
        allow_null=True, help_text="Share (0–1) answered within the expected time."
    )
    waiting = serializers.IntegerField(help_text="Referrals sent and not answered yet.")
    overdue = serializers.IntegerField(help_text="Of those, waiting longer than the expected time.")


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="`partner` or `department`.")
    partner_type = serializers.CharField(help_text="For a partner: " + ", ".join(PartnerType.values))
    partner_type_label = serializers.CharField(source="get_partner_type_display")
    department = serializers.CharField()
    name = serializers.CharField()
    working_area = serializers.CharField()
    areas = serializers.SerializerMethodField()
    services = serializers.CharField()
    expected_response_days = serializers.IntegerField()
    data_sharing_agreement = serializers.SerializerMethodField(help_text="In force today.")
    agreement_until = serializers.DateField(allow_null=True)
    is_active = serializers.BooleanField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_areas(self, org) -> list[str]:
        return [a.code for a in org.areas.all()]

    def get_data_sharing_agreement(self, org) -> bool:
        return org.agreement_in_force()


class EngagementSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case.pk")
    status = serializers.CharField()
    status_label = serializers.CharField()
    since = serializers.DateTimeField()
    active = serializers.BooleanField()
    overdue = serializers.BooleanField()


class OrganisationDetailSerializer(OrganisationSerializer):
    must = serializers.CharField()
    may = serializers.CharField()
    cannot = serializers.CharField()
    referral_route = serializers.CharField()
    referral_criteria = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    website = serializers.CharField()
    people = serializers.SerializerMethodField()
    response_times = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField(
        help_text="The cases it is engaged in that you may see (empty for roles that read no case content)."
    )

    @extend_schema_field(OrganisationContactSerializer(many=True))
    def get_people(self, org):
        return OrganisationContactSerializer([p for p in org.people.all() if p.is_active], many=True).data

    @extend_schema_field(ResponseStatsSerializer)
    def get_response_times(self, org):
        return ResponseStatsSerializer(self.context["stats"]).data

    @extend_schema_field(EngagementSerializer(many=True))
    def get_cases(self, org):
        return EngagementSerializer(self.context["engagements"], many=True).data


class ConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    purpose = serializers.CharField()
    domains = serializers.ListField(child=serializers.CharField())
    given_on = serializers.DateField()
    form = serializers.ChoiceField(choices=Consent.Form.choices)
    valid_until = serializers.DateField(allow_null=True)
    withdrawn_on = serializers.DateField(allow_null=True)
    valid_today = serializers.SerializerMethodField()
    has_document = serializers.SerializerMethodField()
    recorded_by = UserRefSerializer()
    recorded_at = serializers.DateTimeField()

    @extend_schema_field(RefSerializer)
    def get_person(self, c):
        return {"id": c.person_id, "name": c.person.full_name}

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_organisation(self, c):
        return {"id": c.organisation_id, "name": c.organisation.name} if c.organisation_id else None

    def get_valid_today(self, c) -> bool:
        return c.valid_on(timezone.localdate())

    def get_has_document(self, c) -> bool:
        return bool(c.document)


class ReferralEventSerializer(serializers.Serializer):
    status = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.IntegerField(source="by_id", allow_null=True)
    note = serializers.CharField()


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = RefSerializer()
    contact = RefSerializer(allow_null=True)
    reason = serializers.CharField()
    shared = serializers.CharField()
    domains = serializers.ListField(child=serializers.CharField())
    consent = serializers.IntegerField(source="consent_id", allow_null=True)
    legal_ground = serializers.CharField()
    legal_justification = serializers.CharField()
    status = serializers.CharField(help_text="One of " + STATUSES + ".")
    status_label = serializers.CharField(source="get_status_display")
    allowed_next = serializers.SerializerMethodField()
    sent_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    reminded_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField(help_text="Sent and not answered within the expected time.")
    events = ReferralEventSerializer(many=True)
    created_by = UserRefSerializer()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_next(self, r) -> list[str]:
        return list(allowed_next(r.status))

    def get_overdue(self, r) -> bool:
        return is_overdue(r)


# Input


class DirectoryParamsSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", help_text="Words; all must match.")
    kind = serializers.CharField(required=False, help_text="`partner` or `department`.")
    type = serializers.ChoiceField(choices=PartnerType.choices, required=False)
    area = serializers.CharField(required=False, help_text="An area's code.")


class ConsentCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="A member of the case's household.")
    organisation = IdField(required=False, allow_null=True, help_text="A partner's id.")
    purpose = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    domains = serializers.ListField(child=serializers.ChoiceField(choices=ZrmDomain.choices), allow_empty=False)
    given_on = serializers.DateField()
    form = serializers.ChoiceField(choices=Consent.Form.choices)
    valid_until = serializers.DateField(required=False, allow_null=True)
    document = serializers.FileField(required=False, allow_null=True, help_text="PDF, JPG or PNG (multipart).")

    def validate_document(self, document):
        if document:
            check_document(document)  # the web form's checks, in the same words (core/uploads.py)
        return document


class WithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False, help_text="Today when left out.")


class ReferralCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    contact = IdField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=4000)
    shared = serializers.CharField(max_length=4000)
    domains = serializers.ListField(child=serializers.ChoiceField(choices=ZrmDomain.choices), allow_empty=False)
    consent = serializers.IntegerField(
        required=False, allow_null=True, help_text="Left out: the valid consent for this partner is found."
    )
    legal_ground = serializers.ChoiceField(choices=LegalGround.choices, required=False, allow_blank=True, default="")
    legal_justification = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ReferralTransitionSerializer(serializers.Serializer):
    # Plain text rather than an enum (the schema has other `status` enums); the service refuses a
    # status the flow doesn't allow, naming the allowed ones.
    status = serializers.CharField(max_length=12, help_text="The next status: one of " + STATUSES + ".")
    at = serializers.DateTimeField(required=False, allow_null=True, help_text="When it happened; now when left out.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
