"""Forms of the privacy officer's pages. They parse input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.housing.models import Person
from regie.privacy.models import HoldKind, HoldTarget, Nomination, RequestKind, RetentionRule


class DateInput(forms.DateInput):
    input_type = "date"


def _person_by_number(number: str) -> Person:
    try:
        return Person.objects.select_related("tenancy").get(person_id=number.strip())
    except Person.DoesNotExist as err:
        raise forms.ValidationError(_("There is no person with this person number.")) from err


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput, initial=timezone.localdate)
    person_number = forms.CharField(
        label=_("Person number"),
        max_length=40,
        required=False,
        help_text=_("The person's number in the corporation's system (relatienummer), once his identity is checked."),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        required=False,
        help_text=_("Where the request is filed (letter, mail, form number). No content of the request."),
    )

    def clean_person_number(self):
        number = self.cleaned_data["person_number"]
        return _person_by_number(number) if number.strip() else None

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A request can't be received in the future."))
        return day

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("person_number") is None and not data.get("reference", "").strip():
            raise forms.ValidationError(_("Give the person number or a reference."))
        return data


class TransitionForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What was decided and why; for a refusal, the ground and that he may complain "
            "to the Autoriteit Persoonsgegevens."
        ),
    )


class ExtendForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Extend by"), choices=[(1, _("1 month")), (2, _("2 months"))], coerce=int)
    reason = forms.CharField(label=_("Why more time is needed"), max_length=300)


class HoldForm(forms.Form):
    target = forms.ChoiceField(label=_("Hold on"), choices=HoldTarget.choices)
    number = forms.CharField(
        label=_("Number"),
        max_length=40,
        help_text=_("Case number or household number as shown in Regie; for a person, his person number."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=HoldKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput, help_text=_("Empty: until lifted."))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        number = data["number"].strip()
        if data["target"] == HoldTarget.PERSON:
            data["person"] = _person_by_number(number)
            data["record_id"] = None
        else:
            if not number.isdigit():
                self.add_error("number", _("Give the number as digits."))
            data["record_id"] = int(number) if number.isdigit() else None
            data["person"] = None
        return data


class RuleForm(forms.ModelForm):
    nomination = forms.ChoiceField(label=_("Archive nomination"), choices=Nomination.choices)
    months = forms.IntegerField(label=_("Months"), min_value=0, max_value=1200)

    class Meta:
        model = RetentionRule
        fields = ["nomination", "months", "note"]
