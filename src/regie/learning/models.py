"""Lessons (leerpunten) and structural obstacles (knelpunten).

A lesson is shown without personal data to anyone not on its cases: its own texts must not name
people (the form says so), and its links to cases show only to who may see them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Team


class Lesson(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="lessons")
    title = models.CharField(_("title"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    what_worked = models.TextField(_("what worked or failed"))
    next_time = models.TextField(_("what to do next time"))
    domains = models.JSONField(_("domains"), default=list)  # ZRM domain codes
    partners = models.ManyToManyField("network.Organisation", blank=True, related_name="lessons")
    measures = models.ManyToManyField("mandate.Measure", blank=True, related_name="lessons")
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="lessons")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title


class Obstacle(models.Model):
    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        IN_PROGRESS = "in_progress", _("Being worked on")
        RESOLVED = "resolved", _("Resolved")
        NOT_SOLVABLE = "not_solvable", _("Cannot be solved now")

    class Where(models.TextChoices):
        PROCEDURE = "procedure", _("A procedure")
        DEPARTMENT = "department", _("A department")
        PARTNER = "partner", _("A partner")
        RULE = "rule", _("A rule or law")
        OTHER = "other", _("Other")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="obstacles")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    where = models.CharField(_("where"), max_length=12, choices=Where.choices)
    outside = models.BooleanField(_("outside the corporation"), default=False)
    partner = models.ForeignKey(
        "network.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="obstacles"
    )
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="obstacles")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_obstacles"
    )
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.RAISED)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")

    def __str__(self) -> str:
        return self.title


class ObstacleStep(models.Model):
    """An action the owner takes on the obstacle, or a status change with its note."""

    obstacle = models.ForeignKey(Obstacle, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=14, choices=Obstacle.Status.choices, blank=True)
    text = models.TextField()
    due = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


# For the API schema (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]): "status" is a name
# many models use, so the obstacle's gets a name of its own.
OBSTACLE_STATUSES = Obstacle.Status.choices
