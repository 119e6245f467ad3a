"""Early signals: imports of the corporation's files, versioned detection rules, what detection
found, the signal inbox's decisions and the municipality signal (DETECTION.md, IMPORT.md).

Detection results are kept per run; the inbox reads the latest run. A candidate's decision
(dismissed, assigned, case opened) outlives runs, so it lives on its own row per household.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.housing.models import Tenancy


class ImportRun(models.Model):
    """One import of one file or folder, from the CLI or the web app."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKED = "checked", _("Checked (dry run)")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Done, rows rejected")
        FAILED = "failed", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    class Origin(models.TextChoices):
        CLI = "cli", _("Command line")
        WEB = "web", _("Web app")
        DEMO = "demo", _("Demo")

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.CLI)
    # The folder holding the uploaded files (web) or the path given (CLI); file names only, no data.
    source = models.CharField(_("source"), max_length=500)
    files = models.JSONField(_("files"), default=list)
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    accept_partial = models.BooleanField(_("accept partial"), default=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # Per file: kind, rows, new, changed, unchanged, rejected, warnings (counts only).
    summary = models.JSONField(_("summary"), default=dict)
    # The report (and rejects files) on disk under DATA_DIR/imports/<id>/.
    report_path = models.CharField(max_length=500, blank=True)
    exit_code = models.PositiveSmallIntegerField(null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"import {self.pk}"

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status in (self.Status.DONE, self.Status.REJECTED) else 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class RuleSet(models.Model):
    """One version of the detection rules; the newest is in force. Never edited: a change is a new row."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    config = models.JSONField(_("rules"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")

    def __str__(self) -> str:
        return f"v{self.version}"


class DetectionRun(models.Model):
    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly")
        IMPORT = "import", _("After an import")
        MANUAL = "manual", _("On demand")
        CLI = "cli", _("Command line")

    as_of = models.DateField(_("reference date"))
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="runs", verbose_name=_("rules"))
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households with a signal"), default=0)
    multi_problem = models.PositiveIntegerField(_("multi-problem households"), default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"
        verbose_name = _("detection run")
        verbose_name_plural = _("detection runs")

    def __str__(self) -> str:
        return f"{self.as_of} {self.rule_set}"


class Flag(models.Model):
    """A household with at least one active domain in one run (single signals included)."""

    run = models.ForeignKey(DetectionRun, on_delete=models.CASCADE, related_name="flags")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="flags")
    # Active domains in the fixed order FINANCES|BEHAVIOUR|LIVEABILITY|CARE, joined by "|".
    domains = models.CharField(_("domains"), max_length=60)
    score = models.PositiveSmallIntegerField(_("score"))
    multi_problem = models.BooleanField(_("multi-problem"))
    latest_event_date = models.DateField(_("latest event"), null=True, blank=True)
    # The F1 severity band (0 when F1 doesn't fire): a dismissal comes back when it rises.
    arrears_band = models.PositiveSmallIntegerField(default=0)
    # Fired rules with their severities, event ids and the snapshot used (explain).
    detail = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "tenancy"], name="flag_one_per_run")]
        indexes = [models.Index(fields=["run", "multi_problem", "-score"])]

    def __str__(self) -> str:
        return f"{self.tenancy_id} {self.domains} {self.score}"

    @property
    def domain_list(self) -> list[str]:
        return self.domains.split("|") if self.domains else []


class Candidate(models.Model):
    """The inbox's decision about one household, kept across detection runs."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        DISMISSED = "dismissed", _("Dismissed")
        CASE_OPENED = "case_opened", _("Case opened")
        LINKED = "linked", _("Linked to a case")

    tenancy = models.OneToOneField(Tenancy, on_delete=models.CASCADE, related_name="candidate")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_candidates",
        verbose_name=_("assigned to"),
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What a dismissal saw: it comes back when a newer event arrives or the arrears band rises.
    dismissed_max_event = models.BigIntegerField(null=True, blank=True)
    dismissed_band = models.PositiveSmallIntegerField(null=True, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return f"{self.tenancy_id} {self.status}"


class CaseSignal(models.Model):
    """New signals on a household with an open case, for its director to acknowledge."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="signals")
    run = models.ForeignKey(DetectionRun, on_delete=models.CASCADE, related_name="+")
    domains = models.CharField(_("domains"), max_length=60)
    score = models.PositiveSmallIntegerField(_("score"))
    # The events that are new since the last acknowledged signal (ids of housing.Event).
    event_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.domains}"


class MunicipalitySignal(models.Model):
    """A vroegsignalering record handed to the municipality, and its answer."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Help accepted")
        REFUSED = "refused", _("Help refused")
        NO_CONTACT = "no_contact", _("No contact")

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="municipality_signals")
    # The run of arrears it is about: one signal per run (DETECTION.md, condition 5).
    arrears_since = models.DateField(_("arrears since"))
    arrears_amount = models.DecimalField(_("arrears"), max_digits=11, decimal_places=2)
    as_of = models.DateField(_("reference date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pause_until = models.DateField(_("collection paused until"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenancy", "arrears_since"], name="wgs_one_per_arrears_run"),
            models.CheckConstraint(condition=Q(arrears_amount__gt=0), name="wgs_amount_positive"),
        ]
        verbose_name = _("municipality signal")
        verbose_name_plural = _("municipality signals")

    def __str__(self) -> str:
        return f"{self.tenancy_id} {self.arrears_since}"
