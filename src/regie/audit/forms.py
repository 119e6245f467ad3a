from django import forms
from django.utils.translation import gettext_lazy as _

from regie.audit.emergency import MIN_REASON
from regie.audit.models import Action, Outcome


def _date(label):
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class _Period(forms.Form):
    date_from = _date(_("From"))
    date_to = _date(_("Up to and including"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data


class LogSearchForm(_Period):
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    # An internal number, never a name: this form travels in the URL (the person lookup finds it).
    person = forms.IntegerField(
        label=_("Person (internal number)"),
        required=False,
        min_value=1,
        help_text=_("All entries about the person's household, its cases and their actions."),
    )
    record_type = forms.ChoiceField(
        label=_("Record kind"),
        required=False,
        choices=[
            ("", _("All")),
            ("case", _("Case")),
            ("household", _("Household")),
            ("action", _("Action")),
            ("access_log", _("Access log")),
        ],
    )
    record_id = forms.CharField(label=_("Record number"), required=False, max_length=40)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All")), *Action.choices])
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[("", _("All")), *Outcome.choices])
    emergency = forms.BooleanField(label=_("Emergency overrides only"), required=False)

    field_order = ["username", "person", "record_type", "record_id", "action", "outcome", "emergency"]


class SignalsForm(_Period):
    pass


class PersonLookupForm(forms.Form):
    query = forms.CharField(
        label=_("Person number or last name"),
        max_length=120,
        help_text=_("Sent by POST: a name never appears in a web address."),
    )


class EmergencyForm(forms.Form):
    case = forms.IntegerField(label=_("Case number"), min_value=1)
    reason = forms.CharField(
        label=_("Reason"),
        min_length=MIN_REASON,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you need this case now. The privacy officer reads this."),
    )
    confirm = forms.BooleanField(
        label=_("I need this case to act in an emergency; I know this access is reported to the privacy officer."),
    )
