"""Forms for the plan: they parse input; the services decide and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Department
from regie.core.forms import OwnIds
from regie.plans.models import Action, Assessment, Goal, ZrmDomain, ZrmScore
from regie.plans.sensitivity import PLACEHOLDER, is_sensitive
from regie.plans.workflow import allowed_next

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Departments an action can go to (the social housing team is the directors' own).
ACTION_DEPARTMENTS = [c for c in Department.choices if c[0] != Department.SOCIAL]


class AssessmentForm(forms.Form):
    """The 13 domains, each a score (or "not assessed") and a short note."""

    moment = forms.ChoiceField(label=_("Moment"), choices=Assessment.Moment.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)
    note = forms.CharField(
        label=_("Overall note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, previous: dict[str, int] | None = None, sees_sensitive: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        previous = previous or {}
        # A reader outside the case team neither sees nor scores the sensitive domains.
        self.domains = [d for d in ZrmDomain if sees_sensitive or not is_sensitive(d.value)]
        for domain in self.domains:
            self.fields[f"score_{domain.value}"] = forms.TypedChoiceField(
                label=domain.label,
                choices=[("", _("Not assessed"))] + [(s.value, f"{s.value} – {s.label}") for s in ZrmScore],
                coerce=int,
                empty_value=None,
                required=False,
                initial=previous.get(domain.value),
            )
            self.fields[f"note_{domain.value}"] = forms.CharField(
                label=_("Note on %(domain)s") % {"domain": domain.label}, required=False, max_length=500
            )

    def domain_fields(self):
        return [(self[f"score_{d.value}"], self[f"note_{d.value}"]) for d in self.domains]

    def scores(self) -> dict[str, tuple[int, str]]:
        d = self.cleaned_data
        return {
            domain.value: (d[f"score_{domain.value}"], d[f"note_{domain.value}"])
            for domain in self.domains
            if d.get(f"score_{domain.value}") is not None
        }


class GoalForm(OwnIds, forms.Form):
    id_prefix = "goal"

    domain = forms.ChoiceField(label=_("Life domain"), choices=ZrmDomain.choices)
    text = forms.CharField(
        label=_("Goal"),
        help_text=_("In the tenant's own words where possible."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_goal_%s")
        super().__init__(*args, **kwargs)


class GoalEditForm(forms.Form):
    text = forms.CharField(label=_("Goal"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)


class GoalChoiceField(forms.ModelChoiceField):
    # Set by the form for a reader on the case team; otherwise sensitive goals are not named.
    sees_sensitive = False

    def label_from_instance(self, obj):
        if obj.is_sensitive and not self.sees_sensitive:
            return str(PLACEHOLDER)
        return f"{obj.get_domain_display()}: {obj.text[:60]}"


class ReferralChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organisation} ({obj.get_status_display()})"


class ActionForm(OwnIds, forms.Form):
    id_prefix = "action"

    goal = GoalChoiceField(label=_("Goal"), queryset=Goal.objects.none())
    what = forms.CharField(label=_("What"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    who = forms.ChoiceField(label=_("Who"), choices=Action.Who.choices)
    department = forms.ChoiceField(
        label=_("Department"),
        required=False,
        choices=[("", "—"), *ACTION_DEPARTMENTS],
        help_text=_("When a department does it: it appears on that department's worklist."),
    )
    referral = ReferralChoiceField(
        label=_("Referral"),
        required=False,
        queryset=None,
        help_text=_("When a partner does it: one of this case's referrals."),
    )
    due = forms.DateField(label=_("By when"), required=False, widget=DATE)

    def __init__(self, *args, case, goals=None, sees_sensitive: bool = False, **kwargs):
        from regie.network.models import Referral

        kwargs.setdefault("auto_id", "id_action_%s")
        super().__init__(*args, **kwargs)
        self.fields["goal"].sees_sensitive = sees_sensitive
        self.fields["goal"].queryset = Goal.objects.filter(case=case, status=Goal.Status.OPEN)
        if goals is not None:
            # Choices from the goals the page already holds: no second query to draw them.
            self.fields["goal"].choices = [("", "---------")] + [
                (g.pk, self.fields["goal"].label_from_instance(g)) for g in goals if g.status == Goal.Status.OPEN
            ]
        self.fields["referral"].queryset = Referral.objects.filter(case=case).select_related("organisation")


class ActionEditForm(forms.Form):
    what = forms.CharField(label=_("What"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    due = forms.DateField(label=_("By when"), required=False, widget=DATE)


class ActionTransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=2000,
        help_text=_("Needed to complete the action."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    text = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, action, **kwargs):
        kwargs.setdefault("auto_id", "id_move_%s")
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Choose …"))] + [
            (s, Action.Status(s).label) for s in allowed_next(action.status)
        ]


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_progress_%s")
        super().__init__(*args, **kwargs)


class CompleteForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        help_text=_("What was done, and is the matter solved for good?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_complete_%s")
        super().__init__(*args, **kwargs)


class SignForm(OwnIds, forms.Form):
    id_prefix = "sign"

    person = forms.ModelChoiceField(label=_("Signed by"), queryset=None)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)

    def __init__(self, *args, signers, **kwargs):
        kwargs.setdefault("auto_id", "id_sign_%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = signers
        self.fields["signed_on"].initial = timezone.localdate()
