from django import forms
from django.utils.translation import gettext_lazy as _

from regie.audit.models import Action, Outcome


class LogSearchForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    record_type = forms.ChoiceField(
        label=_("Record kind"),
        required=False,
        choices=[("", _("All")), ("case", _("Case")), ("household", _("Household"))],
    )
    record_id = forms.CharField(label=_("Record number"), required=False, max_length=40)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All")), *Action.choices])
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[("", _("All")), *Outcome.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(
        label=_("Up to and including"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data
