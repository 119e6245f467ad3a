"""Forms of the results pages: the dashboard's filters and a result agreement with its targets."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Area, Role, Team, User
from regie.results.models import Indicator, Target


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return date(today.year, 1, 1), today


class DashboardFilterForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.all(), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
        self.fields["area"].queryset = Area.objects.filter(
            pk__in=self.fields["team"].queryset.values("area_id")
        ).order_by("name")

    def period(self) -> tuple[date, date]:
        start, end = default_period()
        data = self.cleaned_data if self.is_valid() else {}
        start, end = data.get("start") or start, data.get("end") or end
        if end < start:
            start, end = end, start
        return start, end


class AgreementForm(forms.Form):
    professional = forms.ModelChoiceField(label=_("Professional"), queryset=User.objects.none())
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, manager, fixed_professional=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = User.objects.filter(
            role=Role.PROFESSIONAL, is_active=True, teams__in=manager.teams.values("pk")
        ).distinct()
        self.fields["professional"].queryset = qs
        if fixed_professional is not None:
            self.fields["professional"].disabled = True
            self.fields["professional"].initial = fixed_professional
        for i in Indicator:
            self.fields[f"direction_{i.value}"] = forms.ChoiceField(
                label=_("Direction"), choices=Target.Direction.choices, initial=default_direction(i), required=False
            )
            self.fields[f"value_{i.value}"] = forms.DecimalField(
                label=i.label, required=False, min_value=0, max_digits=11, decimal_places=2
            )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        if not self.targets():
            raise forms.ValidationError(_("Agree at least one target."))
        return data

    def targets(self) -> dict:
        out = {}
        for i in Indicator:
            value = self.cleaned_data.get(f"value_{i.value}")
            if value is not None:
                out[i.value] = (self.cleaned_data.get(f"direction_{i.value}") or default_direction(i), value)
        return out

    def target_rows(self):
        return [(self[f"value_{i.value}"], self[f"direction_{i.value}"]) for i in Indicator]


def default_direction(indicator) -> str:
    """Fewer days to contact is better; everything else counts up."""
    if indicator in (Indicator.DAYS_TO_CONTACT, Indicator.CASELOAD):
        return Target.Direction.AT_MOST
    return Target.Direction.AT_LEAST


def initial_for(agreement) -> dict:
    initial = {
        "professional": agreement.professional,
        "start": agreement.start,
        "end": agreement.end,
        "note": agreement.note,
    }
    for t in agreement.targets.all():
        initial[f"direction_{t.indicator}"] = t.direction
        initial[f"value_{t.indicator}"] = t.value
    return initial
