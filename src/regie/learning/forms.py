"""Forms of the lessons and obstacles pages: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Team
from regie.cases.selectors import cases_visible_to
from regie.core.forms import IdsField, OwnIds
from regie.learning.models import Obstacle
from regie.learning.services import allowed_next, managers_of
from regie.mandate.models import Measure
from regie.network.models import Organisation
from regie.plans.models import ZrmDomain

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
NO_NAMES = _(
    "Everyone in the corporation who works cases can read this. Don't name the tenant, household "
    "members or other people, and leave out addresses and other details that identify them."
)


class CaseChoiceField(IdsField):
    def label_from_instance(self, case):
        return f"#{case.pk} · {case.household.name}"


def organisations():
    return Organisation.objects.filter(is_active=True).order_by("name")


def case_choices(user, include=()):
    """Cases the user may link: his open visible cases, and any already chosen that he may see."""
    visible = cases_visible_to(user)
    return (visible.open() | visible.filter(pk__in=list(include))).select_related("household").order_by("-pk")


class TeamChoice:
    """A team field only for users in more than one team."""

    def _team_field(self, user):
        teams = Team.objects.filter(members=user).order_by("name")
        if teams.count() > 1:
            self.fields["team"] = forms.ModelChoiceField(label=_("Team"), queryset=teams, empty_label=None)
        return teams


class LessonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words such as eviction, debt counselling; all words must match."),
    )
    domain = forms.ChoiceField(label=_("Domain"), required=False, choices=[("", _("All domains")), *ZrmDomain.choices])
    partner = forms.ModelChoiceField(
        label=_("Partner"), required=False, queryset=Organisation.objects.none(), empty_label=_("All partners")
    )
    measure = forms.ModelChoiceField(
        label=_("Measure"), required=False, queryset=Measure.objects.none(), empty_label=_("All measures")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = organisations()
        self.fields["measure"].queryset = Measure.objects.order_by("name")


class LessonForm(TeamChoice, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=NO_NAMES)
    what_happened = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The situation, in general terms."),
    )
    what_worked = forms.CharField(label=_("What worked or failed"), widget=forms.Textarea(attrs={"rows": 4}))
    next_time = forms.CharField(label=_("What to do next time"), widget=forms.Textarea(attrs={"rows": 4}))
    domains = forms.MultipleChoiceField(
        label=_("Domains"), required=False, choices=ZrmDomain.choices, widget=forms.CheckboxSelectMultiple
    )
    partners = IdsField(
        label=_("Partners"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    measures = IdsField(
        label=_("Measures"),
        required=False,
        queryset=Measure.objects.none(),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    cases = CaseChoiceField(
        label=_("Cases it comes from"),
        required=False,
        queryset=None,
        help_text=_("Only colleagues who may see a case see the link; others read how many cases there are."),
    )

    def __init__(self, *args, user, include_cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = organisations()
        self.fields["measures"].queryset = Measure.objects.order_by("name")
        self.fields["cases"].queryset = case_choices(user, include_cases)
        self._team_field(user)


class ObstacleFilterForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), required=False, queryset=None, empty_label=_("All teams"))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open (raised or being worked on)")), ("all", _("All")), *Obstacle.Status.choices],
    )
    where = forms.ChoiceField(label=_("Where"), required=False, choices=[("", _("Anywhere")), *Obstacle.Where.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")


class ObstacleForm(TeamChoice, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=NO_NAMES)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What gets in the way, how it hurts the cases, and what you have tried."),
    )
    where = forms.ChoiceField(
        label=_("Where is the obstacle?"), choices=Obstacle.Where.choices, widget=forms.RadioSelect
    )
    outside = forms.BooleanField(label=_("Outside the corporation"), required=False)
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("— none —"),
        help_text=_("When the obstacle lies with a partner or department."),
    )
    cases = CaseChoiceField(
        label=_("Cases it hurts"),
        required=False,
        queryset=None,
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )

    def __init__(self, *args, user, include_cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = organisations()
        self.fields["cases"].queryset = case_choices(user, include_cases)
        self._team_field(user)

    def clean(self):
        data = super().clean()
        if data.get("where") == Obstacle.Where.PARTNER and not data.get("partner"):
            self.add_error("partner", _("Choose the partner the obstacle is with."))
        return data


class ObstacleTransitionForm(OwnIds, forms.Form):
    id_prefix = "transition"

    status = forms.ChoiceField(label=_("New status"), choices=())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to resolve: what was changed, agreed or decided."),
    )

    def __init__(self, *args, obstacle, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Obstacle.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in allowed_next(obstacle.status)]


class ObstacleStepForm(OwnIds, forms.Form):
    id_prefix = "step"

    text = forms.CharField(label=_("Step"), widget=forms.Textarea(attrs={"rows": 2}))
    due = forms.DateField(label=_("Due"), required=False, **DATE)


class ObstacleOwnerForm(OwnIds, forms.Form):
    id_prefix = "owner"

    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, empty_label=None)

    def __init__(self, *args, obstacle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = managers_of(obstacle.team)
        self.fields["owner"].initial = obstacle.owner_id


class ObstacleLinkForm(OwnIds, forms.Form):
    id_prefix = "link"

    cases = CaseChoiceField(label=_("Add cases it hurts"), queryset=None)

    def __init__(self, *args, user, obstacle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = (
            cases_visible_to(user).open().exclude(obstacles=obstacle).select_related("household").order_by("-pk")
        )
