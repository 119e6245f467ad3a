"""A case: one household, one plan, one director; its team, contacts and timeline."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Team
from regie.core.vera import CaseRole, Channel
from regie.housing.models import Person, Tenancy


class Status(models.TextChoices):
    SIGNALLED = "signalled", _("Signalled")
    INTAKE = "intake", _("Intake")
    PLAN = "plan", _("Plan")
    IN_PROGRESS = "in_progress", _("In progress")
    EVALUATION = "evaluation", _("Evaluation")
    AFTERCARE = "aftercare", _("Aftercare")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    """Why a case closed; required to close."""

    RESOLVED = "resolved", _("Goals met")
    PARTLY = "partly", _("Goals partly met")
    NOT_MET = "not_met", _("Goals not met")
    STABLE = "stable", _("Situation stable, no direction needed")
    HANDED_OVER = "handed_over", _("Transferred to a partner organisation")
    DECLINED = "declined", _("Tenant declined help")
    NO_CONTACT = "no_contact", _("No contact could be made")
    MOVED = "moved", _("Moved away")
    EVICTED = "evicted", _("Evicted")
    DECEASED = "deceased", _("Tenant deceased")
    OTHER = "other", _("Other")


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Status.CLOSED)


class Case(models.Model):
    household = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="cases", verbose_name=_("household"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SIGNALLED)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="directed_cases",
        verbose_name=_("director"),
    )
    # The team that owns the case: the director's team; its manager sees the case.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team"))
    question = models.TextField(
        _("the tenant's question"),
        blank=True,
        help_text=_("In the tenant's own words: what does he want to change?"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    # A case opened within 12 months of the household's previous case closing is a recurrence.
    recurrence_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recurrence of")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            # One household, one open case: enforced by the database as well as the service.
            models.UniqueConstraint(
                fields=["household"],
                condition=~Q(status="closed"),
                name="case_one_open_per_household",
            ),
            models.CheckConstraint(condition=~Q(status="closed") | ~Q(outcome=""), name="case_closed_has_outcome"),
        ]
        indexes = [
            models.Index(fields=["director", "status"]),
            models.Index(fields=["team", "status"]),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    def days_open(self, now=None) -> int:
        end = self.closed_at or now or timezone.now()
        return (end - self.opened_at).days


class CaseMember(models.Model):
    """A colleague on the case team with a VERA ZAAKROL; the director holds ZAA."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members", verbose_name=_("case"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_memberships",
        verbose_name=_("colleague"),
    )
    role = models.CharField(_("role"), max_length=3, choices=CaseRole.choices)
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(removed_at__isnull=True),
                name="case_member_once_active",
            )
        ]
        indexes = [models.Index(fields=["user", "removed_at"])]
        verbose_name = _("case team member")
        verbose_name_plural = _("case team members")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Contact(models.Model):
    """A contact moment with the household."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("case"))
    at = models.DateTimeField(_("date and time"))
    channel = models.CharField(_("channel"), max_length=3, choices=Channel.choices)
    persons = models.ManyToManyField(Person, blank=True, related_name="contacts", verbose_name=_("household members"))
    others = models.CharField(
        _("others present"),
        max_length=300,
        blank=True,
        help_text=_("Colleagues or partners who took part."),
    )
    summary = models.TextField(_("summary"))
    # Sensitive ZRM domain codes the note touches (regie.plans.sensitivity): such a note is read
    # by the case team only.
    domains = models.JSONField(_("sensitive domains"), default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.at:%Y-%m-%d}"

    @property
    def is_sensitive(self) -> bool:
        from regie.plans.sensitivity import contact_is_sensitive

        return contact_is_sensitive(self)


class EntryKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    STATUS = "status", _("Status changed")
    REOPENED = "reopened", _("Case reopened")
    CONTACT = "contact", _("Contact")
    TEAM = "team", _("Case team changed")
    DIRECTOR = "director", _("Direction passed on")
    QUESTION = "question", _("Question recorded")
    NEXT_STEP = "next_step", _("Next step set")
    SIGNAL = "signal", _("Signal from the inbox")
    ASSESSMENT = "assessment", _("Self-sufficiency assessed")
    PLAN = "plan", _("Plan changed")
    CONSENT = "consent", _("Consent recorded")
    REFERRAL = "referral", _("Referral")
    AFTERCARE = "aftercare", _("Aftercare")
    DECISION = "decision", _("Decision")
    MEETING = "meeting", _("Team meeting")


class TimelineEntry(models.Model):
    """One moment in a case's own history; the household's events join it when shown."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("case"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # Structured facts (status codes, role codes, user ids), rendered in the reader's language.
    data = models.JSONField(default=dict, blank=True)
    text = models.TextField(blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["case", "-at"])]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"
