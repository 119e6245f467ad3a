"""The plan: self-sufficiency assessments (ZRM), goals and actions, worklists, the signed plan,
evaluation moments and aftercare checks.

One plan per case; it is the case's goals and actions, not a separate document. The PDF the
tenant signs is drawn from them, and the signature records the date and what was signed.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Department
from regie.plans.sensitivity import is_sensitive


class ZrmDomain(models.TextChoices):
    """The 13 domains of the Zelfredzaamheid-Matrix (ZRM 2017), in the matrix's order."""

    FINANCES = "finances", _("Finances")
    WORK = "work", _("Work and education")
    TIME_USE = "time_use", _("Time use")
    HOUSING = "housing", _("Housing")
    DOMESTIC = "domestic", _("Domestic relations")
    MENTAL = "mental", _("Mental health")
    PHYSICAL = "physical", _("Physical health")
    SUBSTANCE = "substance", _("Substance use")
    BASIC_ADL = "basic_adl", _("Basic ADL")
    INSTRUMENTAL_ADL = "instr_adl", _("Instrumental ADL")
    NETWORK = "network", _("Social network")
    PARTICIPATION = "participation", _("Community participation")
    JUSTICE = "justice", _("Justice")


class ZrmScore(models.IntegerChoices):
    ACUTE = 1, _("Acute problems")
    NOT = 2, _("Not self-sufficient")
    LIMITED = 3, _("Limited self-sufficiency")
    SUFFICIENT = 4, _("Sufficiently self-sufficient")
    FULL = 5, _("Fully self-sufficient")


class Assessment(models.Model):
    class Moment(models.TextChoices):
        INTAKE = "intake", _("Intake")
        EVALUATION = "evaluation", _("Evaluation")
        CLOSURE = "closure", _("Closure")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    moment = models.CharField(_("moment"), max_length=12, choices=Moment.choices)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessed_on", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.case_id} {self.moment} {self.assessed_on}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(_("domain"), max_length=16, choices=ZrmDomain.choices)
    score = models.PositiveSmallIntegerField(_("score"), choices=ZrmScore.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="score_one_per_domain"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="score_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}={self.score}"


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACHIEVED = "achieved", _("Achieved")
        PARTLY = "partly", _("Partly achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        DROPPED = "dropped", _("Dropped")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=16, choices=ZrmDomain.choices)
    text = models.TextField(_("goal"), help_text=_("In the tenant's own words where possible."))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_sensitive(self) -> bool:
        """Mental health, substance use or justice: for the case team only (plans.sensitivity)."""
        return is_sensitive(self.domain)


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Who(models.TextChoices):
        TENANT = "tenant", _("The tenant")
        DIRECTOR = "director", _("The director")
        DEPARTMENT = "department", _("An internal department")
        PARTNER = "partner", _("A partner organisation")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    # The goal's case, kept here so worklists and the caseload need no join through goals.
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="actions")
    what = models.TextField(_("what"))
    who = models.CharField(_("who"), max_length=12, choices=Who.choices)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, blank=True)
    referral = models.ForeignKey(
        "network.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    # The colleague who accepted a department's action.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    due = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["department", "status", "due"]), models.Index(fields=["case", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(who="department") | ~Q(department=""), name="action_department_named"),
            models.CheckConstraint(
                condition=~Q(who="partner") | Q(referral__isnull=False), name="action_partner_referral"
            ),
        ]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.what[:60]


class ActionUpdate(models.Model):
    """Progress reported on an action (by the department colleague or the director)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Action.Status.choices)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"actionupdate {self.pk}"


class PlanSignature(models.Model):
    """The tenant signed the plan (the PDF of that moment): date, and a digest of what he signed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="plan_signatures")
    person = models.ForeignKey("housing.Person", on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signed on"))
    digest = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"plansignature {self.pk}"


class Evaluation(models.Model):
    """A scheduled evaluation moment; done when its assessment is recorded."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evaluations")
    due = models.DateField(_("due"))
    assessment = models.OneToOneField(Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"evaluation {self.pk}"


class AftercareCheck(models.Model):
    """A check after closure (by default 3 and 12 months) that brings the household back."""

    class Result(models.TextChoices):
        HOLDS = "holds", _("It holds")
        CONCERN = "concern", _("Concern: keep an eye")
        REOPENED = "reopened", _("New case needed")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="aftercare_checks")
    due = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"aftercarecheck {self.pk}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A personal iCal feed of due actions behind a secret URL; revoking makes a new secret."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"feed of {self.user_id}"
