"""Room to act (mandaat): the catalogue of custom measures, who decides how much of each alone
(versioned limits), the decisions taken in cases with their justification, the approvals beyond
the mandate, and each team's custom budget.

A decision that has taken effect is never edited: a correction is a new decision that refers to
the old one (`corrects`). Every decision keeps the limits version it was taken under.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Department, Team


class Level(models.TextChoices):
    """Who may decide, from the lowest to the highest: the professional, his manager, the board."""

    PROFESSIONAL = "professional", _("Professional")
    MANAGER = "manager", _("Manager")
    BOARD = "board", _("Director-board (bestuurder)")


LEVEL_ORDER = [Level.PROFESSIONAL, Level.MANAGER, Level.BOARD]


class Measure(models.Model):
    """A custom measure the corporation allows, with the parameters a decision fills in."""

    class Parameter(models.TextChoices):
        AMOUNT = "amount", _("An amount (euros)")
        MONTHS = "months", _("A number of months")
        DATE = "date", _("A date")
        NONE = "none", _("No parameter")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The one figure the limits are about (amount or months); a date or none has no limit but "who".
    parameter = models.CharField(_("parameter"), max_length=10, choices=Parameter.choices)
    # A VERA code where the sector has one (e.g. BETALINGSREGELINGSTATUS.BEV for a frozen arrangement).
    vera_code = models.CharField(_("VERA code"), max_length=60, blank=True)
    # The department whose work the measure changes: it gets an action when the decision takes effect.
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, blank=True)
    uses_budget = models.BooleanField(_("paid from the custom budget"), default=False)
    deviates_from_procedure = models.BooleanField(_("a departure from a standard procedure"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.name


class LimitsVersion(models.Model):
    """One version of all limits; the newest is in force. A change makes a new version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class Limit(models.Model):
    """What one level decides alone for one measure in one version: up to `max_value` (amount in
    euros or months; empty = no upper bound). No row for a level: that level can't decide it alone."""

    version = models.ForeignKey(LimitsVersion, on_delete=models.CASCADE, related_name="limits")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="limits")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    max_value = models.DecimalField(_("up to"), max_digits=11, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "measure", "level"], name="limit_one_per_level"),
            models.CheckConstraint(
                condition=Q(max_value__isnull=True) | Q(max_value__gte=0), name="limit_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.level} ≤ {self.max_value}"


class Budget(models.Model):
    """A team's custom budget for a year; committed and spent follow from its decisions."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget"), max_digits=11, decimal_places=2)

    class Meta:
        ordering = ["-year", "team"]
        constraints = [models.UniqueConstraint(fields=["team", "year"], name="budget_one_per_team_year")]

    def __str__(self) -> str:
        return f"{self.team_id} {self.year}"


class Decision(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        QUESTION = "question", _("Question from the approver")
        EFFECTIVE = "effective", _("In effect")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="decisions")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="decisions")
    limits_version = models.ForeignKey(LimitsVersion, on_delete=models.PROTECT, related_name="decisions")
    value = models.DecimalField(_("amount or months"), max_digits=11, decimal_places=2, null=True, blank=True)
    on_date = models.DateField(_("date"), null=True, blank=True)
    problem = models.TextField(_("the problem it solves"))
    justification = models.TextField(_("justification"))
    deviates_from = models.CharField(_("the standard procedure it departs from"), max_length=300, blank=True)
    expected_effect = models.TextField(_("expected effect"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The lowest level that may take it: from the limits, the budget rule and the decider's role.
    required_level = models.CharField(_("needs"), max_length=12, choices=Level.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions")
    created_at = models.DateTimeField(default=timezone.now)
    effective_at = models.DateTimeField(null=True, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("corrects")
    )
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions")
    spent = models.DecimalField(_("spent"), max_digits=11, decimal_places=2, default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "required_level"])]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.measure_id} on {self.case_id}"


class Approval(models.Model):
    """One answer in a decision's approval: approve, decline, ask, or the director's reply."""

    class Answer(models.TextChoices):
        APPROVE = "approve", _("Approved")
        DECLINE = "decline", _("Declined")
        QUESTION = "question", _("Question")
        REPLY = "reply", _("Reply")
        ESCALATE = "escalate", _("Passed to a higher level")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="approvals")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.answer}"
