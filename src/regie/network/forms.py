"""Forms of the network pages: they parse input; the services decide (the consent gate included)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Area
from regie.core.forms import OwnIds
from regie.core.uploads import check_document
from regie.network.models import Consent, ContactPerson, LegalGround, Organisation, PartnerType, Referral
from regie.network.workflow import allowed_next
from regie.plans.models import ZrmDomain

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words such as addiction, debts, Veilig Thuis; all words must match."),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *Organisation.Kind.choices])
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *PartnerType.choices])
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=Area.objects.all(), empty_label=_("All areas")
    )


def partners():
    return Organisation.objects.filter(kind=Organisation.Kind.PARTNER, is_active=True).order_by("name")


class ConsentForm(OwnIds, forms.Form):
    id_prefix = "consent"

    person = forms.ModelChoiceField(label=_("Who gives consent"), queryset=None, empty_label=_("Choose …"))
    organisation = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— a purpose, not one partner —"),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=300,
        help_text=_("Only when the consent is for a purpose rather than one partner, e.g. “debt counselling”."),
    )
    domains = forms.MultipleChoiceField(
        label=_("What may be shared (life domains)"), choices=ZrmDomain.choices, widget=forms.CheckboxSelectMultiple
    )
    given_on = forms.DateField(label=_("Given on"), **DATE)
    form = forms.ChoiceField(
        label=_("How"), choices=Consent.Form.choices, widget=forms.RadioSelect, initial=Consent.Form.WRITTEN
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, help_text=_("Leave empty if no end date was agreed."), **DATE
    )
    document = forms.FileField(
        label=_("Signed form (optional)"), required=False, help_text=_("PDF, JPG or PNG, at most 10 MB.")
    )

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "id_consent_%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = case.household.persons.all()
        self.fields["organisation"].queryset = partners()
        self.fields["given_on"].initial = timezone.localdate()

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            check_document(document)  # PDF/JPEG/PNG by content too, and the size (core/uploads.py)
        return document

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not (data.get("purpose") or "").strip():
            self.add_error("organisation", _("Choose the partner the consent is for, or describe its purpose."))
        return data


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), **DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        function = f", {obj.function}" if obj.function else ""
        return f"{obj.name}{function} ({obj.organisation.name})"


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.agreement_in_force():
            return obj.name
        return _("%(name)s (no data-sharing agreement)") % {"name": obj.name}


class ReferralForm(OwnIds, forms.Form):
    id_prefix = "referral"

    organisation = PartnerChoiceField(
        label=_("Partner"),
        queryset=Organisation.objects.none(),
        help_text=_("Without a data-sharing agreement you may still refer with consent; share only what it covers."),
    )
    contact = ContactChoiceField(
        label=_("Contact person"), queryset=ContactPerson.objects.none(), required=False, empty_label=_("— anyone —")
    )
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    domains = forms.MultipleChoiceField(
        label=_("Life domains the referral is about"), choices=ZrmDomain.choices, widget=forms.CheckboxSelectMultiple
    )
    shared = forms.CharField(
        label=_("What you share"),
        help_text=_("Only what the partner needs; it must fall within the consent's domains."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    consent = forms.ModelChoiceField(
        label=_("On the basis of consent"),
        queryset=Consent.objects.none(),
        required=False,
        empty_label=_("— find the valid consent for this partner —"),
        help_text=_("Choose a purpose consent here if it covers this partner."),
    )
    legal_ground = forms.ChoiceField(
        label=_("Or: legal ground to share without consent"),
        required=False,
        choices=[("", "—"), *LegalGround.choices],
    )
    legal_justification = forms.CharField(
        label=_("Justification of the legal ground"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Why this ground applies and why asking for consent is not possible or not safe."),
    )

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "id_referral_%s")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partners()
        self.fields["contact"].queryset = (
            ContactPerson.objects.filter(
                is_active=True, organisation__kind=Organisation.Kind.PARTNER, organisation__is_active=True
            )
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["consent"].queryset = Consent.objects.filter(case=case, withdrawn_on__isnull=True).select_related(
            "person", "organisation"
        )
        self.fields["consent"].label_from_instance = _consent_label


def _consent_label(consent) -> str:
    to = consent.organisation.name if consent.organisation else consent.purpose
    return f"{consent.person.full_name} → {to} ({consent.given_on:%d-%m-%Y})"


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    at = forms.DateTimeField(
        label=_("When"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, referral: Referral, **kwargs):
        kwargs.setdefault("auto_id", f"id_referral{referral.pk}_%s")
        super().__init__(*args, **kwargs)
        # Bound, any status parses: the service refuses a move the table forbids, naming the allowed ones.
        statuses = Referral.Status.values if self.is_bound else allowed_next(referral.status)
        self.fields["status"].choices = [(s, Referral.Status(s).label) for s in statuses]
