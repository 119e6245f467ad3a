"""Forms of the municipality signal pages: they parse input; services_wgs decides and writes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.signalling.models import MunicipalitySignal
from regie.signalling.services_wgs import ANSWERS

S = MunicipalitySignal.Status


def _not_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("Choose today or an earlier date."))


class ReviewForm(forms.Form):
    SHOW = [("all", _("All")), ("ready", _("Ready to signal")), ("waiting", _("Not ready yet"))]

    as_of = forms.DateField(
        label=_("Reference date"),
        required=False,
        validators=[_not_future],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)


class IdListField(forms.Field):
    """The ids of the ticked checkboxes (`name="tenancy"`, several values)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        try:
            return sorted({int(v) for v in value})
        except (TypeError, ValueError) as err:
            raise ValidationError(_("Choose households from the list.")) from err


class SendForm(forms.Form):
    as_of = forms.DateField(label=_("Reference date"), validators=[_not_future])
    tenancy = IdListField(
        label=_("Households to mark as sent"),
        error_messages={"required": _("Choose at least one household that is ready to signal.")},
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Municipality's answer"),
        choices=[("", "—"), *[(s.value, s.label) for s in ANSWERS]],
    )
    answered_on = forms.DateField(
        label=_("Answer date"),
        required=False,
        help_text=_("Empty means today."),
        validators=[_not_future],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SentFilterForm(forms.Form):
    on = forms.DateField(
        label=_("Sent on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *S.choices], required=False)


class ExportForm(forms.Form):
    SOURCES = [("sent", _("Signals sent on the date")), ("ready", _("Households ready on the date"))]
    FORMATS = [("csv", "CSV"), ("json", "JSON")]

    source = forms.ChoiceField(label=_("What"), choices=SOURCES, initial="sent", widget=forms.RadioSelect)
    day = forms.DateField(
        label=_("Date"),
        validators=[_not_future],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="csv")
