"""Forms the functional administrator keeps the directory with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Area, Department, User
from regie.core.forms import IdsField
from regie.network.models import Organisation, PartnerType

TEXT = {"widget": forms.Textarea(attrs={"rows": 3}), "required": False}


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices, initial=Organisation.Kind.PARTNER)
    partner_type = forms.ChoiceField(
        label=_("Type of partner"), required=False, choices=[("", "—"), *PartnerType.choices]
    )
    department = forms.ChoiceField(
        label=_("Department"),
        required=False,
        choices=[("", "—"), *Department.choices],
        help_text=_("Only for an internal department."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    working_area = forms.CharField(
        label=_("Working area"),
        max_length=300,
        required=False,
        help_text=_("In words, e.g. “Zandhoven and Ter Weyde”."),
    )
    areas = IdsField(
        label=_("Areas served"),
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for the whole municipality."),
    )
    must = forms.CharField(label=_("Responsibilities (must do)"), **TEXT)
    may = forms.CharField(label=_("Authorities (may do)"), **TEXT)
    cannot = forms.CharField(label=_("Cannot do"), **TEXT)
    services = forms.CharField(label=_("Services"), **TEXT)
    referral_route = forms.CharField(label=_("Referral route"), **TEXT)
    referral_criteria = forms.CharField(label=_("Referral criteria"), **TEXT)
    expected_response_days = forms.IntegerField(label=_("Expected response (days)"), min_value=1, max_value=365)
    data_sharing_agreement = forms.BooleanField(label=_("Data-sharing agreement in force"), required=False)
    agreement_until = forms.DateField(
        label=_("Agreement valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, help_text=_("Untick to take it out of the directory.")
    )


class ContactPersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    function = forms.CharField(label=_("Function"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    user = forms.ModelChoiceField(
        label=_("Colleague's account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("For an internal department: the colleague who is its contact."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation.kind == Organisation.Kind.DEPARTMENT:
            self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("last_name", "first_name")
        else:
            del self.fields["user"]
