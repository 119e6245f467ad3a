"""Forms of the signal inbox: they parse; the services decide and write."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.cases.forms import colleagues
from regie.cases.selectors import cases_visible_to


class OpenCaseForm(forms.Form):
    question = forms.CharField(
        label=_("The tenant's question"),
        help_text=_("In the tenant's own words, if you know it already; you can add it later."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Why no case is needed now. The household comes back after a new event or higher arrears."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Colleague"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = colleagues(exclude=[user]).filter(Q(teams__in=user.teams.values("pk")))


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.household} — {obj.household.unit.address} ({obj.get_status_display()})"


class LinkForm(forms.Form):
    case = CaseChoiceField(
        label=_("Open case"),
        help_text=_("For instance the case of a related household (a neighbour conflict, family)."),
        queryset=None,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = (
            cases_visible_to(user).open().select_related("household__unit").order_by("household__name", "pk")
        )


class DetectForm(forms.Form):
    as_of = forms.DateField(label=_("Reference date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()

    def clean_as_of(self):
        value = self.cleaned_data["as_of"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Choose today or a day in the past."))
        return value
