"""Forms for evaluation moments and aftercare checks: they parse input; regie.plans.aftercare decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.core.forms import OwnIds
from regie.plans.models import AftercareCheck


class EvaluationPlanForm(OwnIds, forms.Form):
    id_prefix = "evaluation"

    due = forms.DateField(
        label=_("Evaluation on"),
        help_text=_("The day you look back with the household: what has changed, what is next."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )


class AftercareCheckForm(OwnIds, forms.Form):
    id_prefix = "aftercare"

    result = forms.ChoiceField(
        label=_("How is it going with the household?"),
        choices=AftercareCheck.Result.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you saw or heard, and from whom."),
    )
    next_check = forms.DateField(
        label=_("Plan a further check on"),
        required=False,
        help_text=_("Only with a concern: when do you look again?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )
