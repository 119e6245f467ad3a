"""Forms of the team meeting: they parse input; the services check and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Department
from regie.core.forms import IdsField, OwnIds
from regie.meetings.models import Kind
from regie.plans.models import Action, Goal, ZrmDomain
from regie.plans.sensitivity import PLACEHOLDER

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
# A follow-up agreed in the meeting: the tenant, the director or a department does it. A partner's
# action goes through a referral, which the case page handles.
WHO = [c for c in Action.Who.choices if c[0] != Action.Who.PARTNER]
DEPARTMENTS = [c for c in Department.choices if c[0] != Department.SOCIAL]


def _text(label, *, rows=3, required=True, help_text="", max_length=4000):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class PeopleChoice(IdsField):
    def label_from_instance(self, obj):
        return str(obj)


class RhythmForm(OwnIds, forms.Form):
    """One kind of meeting of one team: its day, time, length and the no-progress days."""

    weekday = forms.TypedChoiceField(
        label=_("Day of the week"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Every working day")), *WEEKDAYS],
    )
    at = forms.TimeField(label=_("Time"), widget=TIME)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=480)
    no_progress_days = forms.IntegerField(
        label=_("No progress after (days)"),
        min_value=1,
        max_value=365,
        help_text=_("An open case without a contact, status change or action update for this long goes on the agenda."),
    )
    is_active = forms.BooleanField(label=_("The team holds this meeting"), required=False)

    def __init__(self, *args, kind: str, team_id: int, **kwargs):
        self.id_prefix = f"rhythm_{team_id}_{kind}"
        kwargs.setdefault("prefix", f"{team_id}-{kind}")
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        if kind == Kind.DAILY:
            del self.fields["weekday"]


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Kind.choices)
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
    )
    chair = PersonChoice(label=_("Chair"), queryset=None)
    attendees = PeopleChoice(
        label=_("Attendees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The chair attends anyway. Only attendees and the team's manager see the agenda and the minutes."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = members
        self.fields["attendees"].queryset = members


class ItemAddForm(forms.Form):
    title = forms.CharField(
        label=_("Item"),
        max_length=300,
        required=False,
        help_text=_("What the team discusses. For a case, its number is enough."),
    )
    case = forms.IntegerField(label=_("Case number"), required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_add_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        d = super().clean()
        if not d.get("title", "").strip() and not d.get("case"):
            raise forms.ValidationError(_("Say what the item is about, or give a case number."))
        return d


class RecordForm(forms.Form):
    advice = _text(_("Advice of the team"), required=False)
    decision = _text(_("Decided"), required=False, rows=2)

    def __init__(self, *args, item_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"id_record_{item_id}_%s")
        super().__init__(*args, **kwargs)


class GoalChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # The whole team sees this form in the meeting: a goal in a sensitive domain (mental
        # health, substance use, justice) is named only by the placeholder (plans.sensitivity).
        if obj.is_sensitive:
            return f"{PLACEHOLDER} ({obj.pk})"
        return f"{obj.get_domain_display()}: {obj.text[:60]}"


class FollowUpForm(forms.Form):
    what = _text(_("Follow-up action"), rows=2, max_length=1000)
    who = forms.ChoiceField(label=_("Who"), choices=WHO, initial=Action.Who.DIRECTOR)
    department = forms.ChoiceField(
        label=_("Department"),
        required=False,
        choices=[("", "—"), *DEPARTMENTS],
        help_text=_("When a department does it: it appears on that department's worklist."),
    )
    due = forms.DateField(label=_("By when"), required=False, widget=DATE)
    goal = GoalChoice(
        label=_("Under goal"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("A new goal “Afspraak uit werkoverleg”"),
    )
    domain = forms.ChoiceField(
        label=_("Life domain of the new goal"),
        choices=ZrmDomain.choices,
        initial=ZrmDomain.HOUSING,
        required=False,
        help_text=_("Only when the action goes under a new goal."),
    )

    def __init__(self, *args, item_id: int, goals, **kwargs):
        kwargs.setdefault("auto_id", f"id_followup_{item_id}_%s")
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals


class CloseForm(forms.Form):
    notes = _text(_("General notes"), required=False, rows=3)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_close_%s")
        super().__init__(*args, **kwargs)


class PutForwardForm(forms.Form):
    question = _text(
        _("Your question to the team"),
        rows=3,
        max_length=2000,
        help_text=_("The case goes on the team's next meeting. Ask what you want the team's view on."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_put_forward_%s")
        super().__init__(*args, **kwargs)
