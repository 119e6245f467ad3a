"""Forms for the mandate's pages: they parse input; the services decide whether a decision is
within the mandate, who approves it, and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Department, Team
from regie.core.forms import OwnIds
from regie.mandate.models import Approval, Budget, Level, Measure

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label, *, rows=2, required=True, help_text="", max_length=2000):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MeasureChoiceField(forms.ModelChoiceField):
    """A measure, with the kind of parameter it takes, so the director knows what to fill in."""

    def label_from_instance(self, obj):
        if obj.parameter == Measure.Parameter.NONE:
            return str(obj.name)
        return f"{obj.name} ({obj.get_parameter_display()})"


class DecisionForm(OwnIds, forms.Form):
    id_prefix = "decision"

    measure = MeasureChoiceField(label=_("Measure"), queryset=Measure.objects.none())
    value = forms.DecimalField(
        label=_("Amount or number of months"),
        required=False,
        min_value=0,
        max_digits=11,
        decimal_places=2,
        help_text=_("For a measure with an amount (euros) or a number of months."),
    )
    on_date = forms.DateField(label=_("Date"), required=False, widget=DATE, help_text=_("For a measure with a date."))
    problem = _text(_("The problem it solves"))
    justification = _text(
        _("Justification"), rows=3, help_text=_("Why this measure, for this household, now. The approver reads this.")
    )
    deviates_from = forms.CharField(
        label=_("The standard procedure it departs from"),
        required=False,
        max_length=300,
        help_text=_("Leave empty when the decision follows the procedure."),
    )
    expected_effect = _text(_("Expected effect"))
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Measure.objects.filter(is_active=True)
        self.fields["measure"].queryset = qs
        if measures is not None:
            # Choices from the measures the page already holds: no second query to draw them.
            self.fields["measure"].choices = [("", "---------")] + [
                (m.pk, self.fields["measure"].label_from_instance(m)) for m in measures
            ]

    def clean(self):
        d = super().clean()
        measure = d.get("measure")
        if measure is None:
            return d
        if measure.parameter in (Measure.Parameter.AMOUNT, Measure.Parameter.MONTHS) and d.get("value") is None:
            self.add_error("value", _("This measure needs an amount or a number of months."))
        if measure.parameter == Measure.Parameter.DATE and d.get("on_date") is None:
            self.add_error("on_date", _("This measure needs a date."))
        return d


class ReasonForm(forms.Form):
    """A reason, for withdrawing a decision or replying to the approver's question."""

    reason = _text(_("Reason"))

    def __init__(self, *args, id_prefix: str, label=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{id_prefix}_%s")
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


# What an approver may answer; the director's reply is a form of its own.
ANSWERS = [
    (a.value, label)
    for a, label in (
        (Approval.Answer.APPROVE, _("Approve")),
        (Approval.Answer.DECLINE, _("Decline")),
        (Approval.Answer.QUESTION, _("Ask a question")),
        (Approval.Answer.ESCALATE, _("Pass to a higher level")),
    )
]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), choices=ANSWERS, widget=forms.RadioSelect)
    reason = _text(_("Reason"), help_text=_("Always give a reason: the director and the case timeline show it."))

    def __init__(self, *args, decision_id: int, may_escalate: bool = True, **kwargs):
        kwargs.setdefault("auto_id", f"id_answer_{decision_id}_%s")
        super().__init__(*args, **kwargs)
        if not may_escalate:
            self.fields["answer"].choices = [c for c in ANSWERS if c[0] != Approval.Answer.ESCALATE]


class SpendForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount spent"), min_value=0, max_digits=11, decimal_places=2)

    def __init__(self, *args, decision_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"id_spend_{decision_id}_%s")
        super().__init__(*args, **kwargs)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)

    def period(self):
        today = timezone.localdate()
        d = self.cleaned_data if self.is_valid() else {}
        start = d.get("start") or today.replace(month=1, day=1)
        end = d.get("end") or today.replace(month=12, day=31)
        if end < start:
            start, end = end, start
        return start, end

    def clean(self):
        d = super().clean()
        if d.get("start") and d.get("end") and d["end"] < d["start"]:
            self.add_error("end", _("The end comes before the start."))
        return d


# -- Beheer ---------------------------------------------------------------------------------


class MeasureForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Short, unique, without spaces."))
    name = forms.CharField(label=_("Name"), max_length=200)
    description = _text(_("Description"), required=False)
    parameter = forms.ChoiceField(label=_("Parameter"), choices=Measure.Parameter.choices)
    vera_code = forms.CharField(
        label=_("VERA code"), max_length=60, required=False, help_text=_("Where the sector has a code for it.")
    )
    department = forms.ChoiceField(
        label=_("Department"),
        required=False,
        choices=[("", "—"), *Department.choices],
        help_text=_("The department whose work it changes: it gets an action when a decision takes effect."),
    )
    uses_budget = forms.BooleanField(label=_("Paid from the custom budget"), required=False)
    deviates_from_procedure = forms.BooleanField(label=_("A departure from a standard procedure"), required=False)
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, help_text=_("An inactive measure can't be chosen any more.")
    )


class LimitsForm(forms.Form):
    """The limits of every active measure per level: per cell whether that level decides alone,
    and for a measure with an amount or months up to what figure."""

    NOT_ALONE, UP_TO, NO_LIMIT = "not", "upto", "any"
    note = forms.CharField(
        label=_("Note on this change"), max_length=300, help_text=_("Why the limits change; kept with the version.")
    )

    def __init__(self, *args, measures, current: dict, **kwargs):
        """`current` maps (measure_code, level) to the max_value in force (None = no upper bound);
        a missing key means that level can't decide alone."""
        super().__init__(*args, **kwargs)
        self.measures = list(measures)
        self.current = current
        self.rows = []
        for m in self.measures:
            with_figure = m.parameter in (Measure.Parameter.AMOUNT, Measure.Parameter.MONTHS)
            cells = []
            for level in Level:
                key = (m.code, level.value)
                mode_name, value_name = f"mode_{m.pk}_{level.value}", f"value_{m.pk}_{level.value}"
                if key not in current:
                    mode, value = self.NOT_ALONE, None
                elif current[key] is None:
                    mode, value = self.NO_LIMIT, None
                else:
                    mode, value = self.UP_TO, current[key]
                if with_figure:
                    choices = [
                        (self.NOT_ALONE, _("not alone")),
                        (self.UP_TO, _("alone, up to")),
                        (self.NO_LIMIT, _("alone, without limit")),
                    ]
                else:
                    choices = [(self.NOT_ALONE, _("not alone")), (self.NO_LIMIT, _("alone"))]
                self.fields[mode_name] = forms.ChoiceField(
                    label=_("%(level)s decides") % {"level": level.label}, choices=choices, initial=mode
                )
                if with_figure:
                    self.fields[value_name] = forms.DecimalField(
                        label=_("%(level)s: up to") % {"level": level.label},
                        required=False,
                        min_value=0,
                        max_digits=11,
                        decimal_places=2,
                        initial=value,
                    )
                cells.append((level, mode_name, value_name if with_figure else None))
            self.rows.append((m, cells))

    def bound_rows(self):
        return [
            (m, [(level, self[mode], self[value] if value else None) for level, mode, value in cells])
            for m, cells in self.rows
        ]

    def changes(self) -> dict:
        """What differs from the version in force: (code, level) -> Decimal | None | False."""
        out = {}
        for m, cells in self.rows:
            for level, mode_name, value_name in cells:
                key = (m.code, level.value)
                mode = self.cleaned_data.get(mode_name)
                if mode == self.NOT_ALONE:
                    new = False
                elif mode == self.NO_LIMIT:
                    new = None
                else:
                    new = self.cleaned_data.get(value_name)
                old = self.current.get(key, False)
                if not _same(new, old):
                    out[key] = new
        return out

    def clean(self):
        d = super().clean()
        for _m, cells in self.rows:
            for _level, mode_name, value_name in cells:
                if value_name and d.get(mode_name) == self.UP_TO and d.get(value_name) is None:
                    self.add_error(value_name, _("Give the figure up to which this level decides alone."))
        return d


def _same(a, b) -> bool:
    # False (not alone), None (no limit) and a figure (0 included) are three different things.
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b
    return a == b


class BudgetForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("Budget (euros)"), min_value=0, max_digits=11, decimal_places=2)

    def __init__(self, *args, budget: Budget | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        if budget is not None:
            # Team and year identify the budget; only the amount changes.
            self.fields["team"].disabled = True
            self.fields["year"].disabled = True
