"""The team meeting (werkoverleg): each team's rhythm, meetings with attendees, an agenda Regie
drafts and the chair edits, and per item the advice and decisions that land on the case."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Team


class Kind(models.TextChoices):
    DAILY = "daily", _("Daily stand-up")
    CASE_REVIEW = "review", _("Weekly case review")
    OTHER = "other", _("Other meeting")


class Rhythm(models.Model):
    """When a team meets, and what the drafted agenda looks for."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rhythms")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # 0 = Monday … 6 = Sunday; empty for a daily meeting (working days).
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True)
    at = models.TimeField(_("time"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=15)
    # A case without a contact, status change or action for this many days goes on the agenda.
    no_progress_days = models.PositiveSmallIntegerField(_("no progress after (days)"), default=21)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["team", "kind"]
        constraints = [models.UniqueConstraint(fields=["team", "kind"], name="rhythm_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.team_id} {self.kind}"


class CaseQuestion(models.Model):
    """A professional puts a case forward for the team, with his question."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="team_questions")
    question = models.TextField(_("question to the team"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    # The meeting where it was discussed; empty while it waits.
    handled_in = models.ForeignKey("Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.question[:40]}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("In progress")
        CLOSED = "closed", _("Closed")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="meetings", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    notes = models.TextField(_("general notes"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("team meeting")
        verbose_name_plural = _("team meetings")

    def __str__(self) -> str:
        return f"{self.team_id} {self.starts_at:%Y-%m-%d}"


class AgendaItem(models.Model):
    class Source(models.TextChoices):
        PUT_FORWARD = "put_forward", _("Put forward with a question")
        NEW_CASE = "new_case", _("New case")
        NO_PROGRESS = "no_progress", _("No progress")
        OVERDUE_ACTIONS = "overdue", _("Overdue actions")
        APPROVAL = "approval", _("Decision awaiting approval")
        REFERRAL = "referral", _("Referral not answered")
        OBSTACLE = "obstacle", _("Open obstacle")
        ADDED = "added", _("Added by the chair")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    source = models.CharField(_("why on the agenda"), max_length=12, choices=Source.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    obstacle = models.ForeignKey("learning.Obstacle", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    question = models.ForeignKey(CaseQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(_("item"), max_length=300)
    removed = models.BooleanField(default=False)
    advice = models.TextField(_("advice"), blank=True)
    decision = models.TextField(_("decided"), blank=True)
    discussed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title
