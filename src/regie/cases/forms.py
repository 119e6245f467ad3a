"""Forms for the case pages: they parse input; the services decide and write."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Role, User
from regie.cases.models import Outcome, Status
from regie.cases.workflow import allowed_next
from regie.core.forms import IdsField
from regie.core.vera import CaseRole, Channel


def colleagues(*, exclude=()):
    """Active professionals and managers: who may direct or join a case."""
    return (
        User.objects.filter(is_active=True, role__in=[Role.PROFESSIONAL, Role.MANAGER])
        .exclude(pk__in=[u.pk for u in exclude])
        .filter(teams__isnull=False)
        .distinct()
        .order_by("last_name", "first_name")
    )


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        teams = ", ".join(t.name for t in obj.teams.all())
        return f"{obj} ({teams})" if teams else str(obj)


class CaseOpenForm(forms.Form):
    question = forms.CharField(
        label=_("The tenant's question"),
        help_text=_("In the tenant's own words: what does he want to change? You can add it later."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    status = forms.ChoiceField(
        label=_("Start at"),
        choices=[(Status.SIGNALLED, Status.SIGNALLED.label), (Status.INTAKE, Status.INTAKE.label)],
        initial=Status.SIGNALLED,
    )
    # Names only: every choice is of the user's own teams, so the team adds nothing (and a query).
    director = forms.ModelChoiceField(label=_("Director"), queryset=User.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["director"].queryset = colleagues().filter(Q(teams__in=user.teams.values("pk")) | Q(pk=user.pk))
        self.fields["director"].initial = user.pk


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[("", "—"), *Outcome.choices])
    outcome_note = forms.CharField(
        label=_("Explanation of the outcome"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        # No preselected move: closing by accident must not be one click away.
        self.fields["status"].choices = [("", _("Choose …"))] + [
            (s, Status(s).label) for s in allowed_next(case.status)
        ]
        self.fields["status"].widget.attrs["data-closing-select"] = "closing-fields"


class ContactForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.HOME_VISIT)
    persons = IdsField(
        label=_("Household members present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.CharField(label=_("Others present"), required=False, max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    domains = forms.MultipleChoiceField(
        label=_("Does this touch a sensitive domain?"),
        help_text=_("A note marked here is read by the case team only; others see that it is shielded."),
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case, **kwargs):
        from regie.plans.models import ZrmDomain
        from regie.plans.sensitivity import SENSITIVE_DOMAINS

        super().__init__(*args, **kwargs)
        self.fields["persons"].queryset = case.household.persons.all()
        self.fields["domains"].choices = [(d.value, d.label) for d in ZrmDomain if d.value in SENSITIVE_DOMAINS]
        self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class TransferForm(forms.Form):
    to_user = ColleagueChoiceField(label=_("New director"), queryset=User.objects.none())
    note = forms.CharField(label=_("Reason for the handover"), required=False, max_length=1000)
    keep_previous_as_adviser = forms.BooleanField(
        label=_("Keep the previous director on the team as adviser"), required=False
    )

    def __init__(self, *args, case, **kwargs):
        # Its own ids: the status form on the same page also has a `note` field.
        kwargs.setdefault("auto_id", "id_transfer_%s")
        super().__init__(*args, **kwargs)
        # Colleagues of the case's area: direction passes within the area that knows the household.
        self.fields["to_user"].queryset = (
            colleagues(exclude=[case.director]).filter(teams__area_id=case.team.area_id).prefetch_related("teams")
        )


class MemberForm(forms.Form):
    user = ColleagueChoiceField(label=_("Colleague"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=[c for c in CaseRole.choices if c[0] != CaseRole.COORDINATOR])

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        on_team = case.members.filter(removed_at__isnull=True).values_list("user_id", flat=True)
        self.fields["user"].queryset = (
            colleagues().filter(teams__area_id=case.team.area_id).exclude(pk__in=on_team).prefetch_related("teams")
        )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("The tenant's question"),
        help_text=_("In the tenant's own words."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class NextStepForm(forms.Form):
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=200)
    due = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CaseloadFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Cases"),
        required=False,
        choices=[("mine", _("I direct")), ("team", _("I am on the team")), ("all", _("All I may see"))],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open"))] + [c for c in Status.choices if c[0] != "closed"],
    )
    director = forms.ModelChoiceField(label=_("Director"), required=False, queryset=User.objects.none())
    urgent = forms.BooleanField(label=_("Only urgent"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.MANAGER:
            self.fields["director"].queryset = colleagues().filter(teams__in=user.teams.all()).distinct()
        else:
            del self.fields["director"]
