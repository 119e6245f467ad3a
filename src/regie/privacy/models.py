"""Retention and the tenant's rights: how long each kind of record is kept (VERA ARCHIEFNOMINATIE),
each closed case's archive state (VERA ARCHIEFSTATUS), holds that stop destruction, the nightly
runs with the bare fact of each destruction, and the register of requests under AVG art. 15-21.

Nothing here names a person except `SubjectRequest.person` and `Hold.person`: a destruction record
keeps only kind, id, date and rule, which is all VERA's VER status allows to remain.
"""

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class RecordKind(models.TextChoices):
    """The kinds of record a retention rule is about. The access log is not here: audit owns it."""

    CASE_FILE = "case_file", _("Case file (closed case with plan, contacts, decisions)")
    CONSENT_DOCUMENT = "consent_document", _("Signed consent document (uploaded file)")
    EVENT = "event", _("Signals and events from the corporation's systems")
    ARREARS = "arrears", _("Arrears history")
    HOUSEHOLD = "household", _("Former household (names and contact details after the tenancy ended)")


# What starts each kind's period, shown beside the rule.
TRIGGERS = {
    RecordKind.CASE_FILE: _("after the case was closed"),
    RecordKind.CONSENT_DOCUMENT: _("after the case was closed"),
    RecordKind.EVENT: _("after the date of the event, once no case of the household is open"),
    RecordKind.ARREARS: _("after the date of the balance, once no case of the household is open"),
    RecordKind.HOUSEHOLD: _("after the tenancy ended and its last case was destroyed"),
}


class Nomination(models.TextChoices):
    """VERA ARCHIEFNOMINATIE."""

    KEEP = "BEW", _("Keep (no destruction)")
    DESTROY = "VER", _("Destroy after the period")


class ArchiveStatus(models.TextChoices):
    """VERA ARCHIEFSTATUS."""

    CURRENT = "ACT", _("Current")
    ARCHIVED = "GEA", _("Archived")
    DUTY = "BEW", _("Legal duty to keep")
    BLOCKED = "GEB", _("Blocked (hold)")
    TRANSFERRED = "OVE", _("Transferred")
    DESTROYED = "VER", _("Destroyed")


class RetentionRule(models.Model):
    """How long one kind of record is kept; one row per kind, edited on the retention page."""

    kind = models.CharField(_("record kind"), max_length=20, choices=RecordKind.choices, unique=True)
    nomination = models.CharField(_("archive nomination"), max_length=3, choices=Nomination.choices)
    months = models.PositiveSmallIntegerField(_("months"))
    note = models.CharField(_("ground"), max_length=300, blank=True, help_text=_("Why this period (law, policy)."))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.kind} {self.nomination} {self.months}"

    @property
    def trigger(self) -> str:
        return str(TRIGGERS.get(self.kind, ""))


class CaseArchive(models.Model):
    """A closed case's archive state. Kept beside the case (not on it) so cases stay cases' own."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="archive")
    archive_status = models.CharField(_("archive status"), max_length=3, choices=ArchiveStatus.choices)
    archived_at = models.DateTimeField(_("archived"))
    # Empty when the rule says keep (BEW).
    destroy_after = models.DateField(_("destroy after"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["archive_status", "destroy_after"])]
        verbose_name = _("case archive state")
        verbose_name_plural = _("case archive states")

    def __str__(self) -> str:
        return f"{self.case_id} {self.archive_status}"


class HoldKind(models.TextChoices):
    PROCEDURE = "procedure", _("Legal procedure")
    INVESTIGATION = "investigation", _("Investigation or complaint")
    GDPR = "gdpr", _("GDPR request")
    DUTY = "duty", _("Legal duty to keep")


class HoldTarget(models.TextChoices):
    CASE = "case", _("Case")
    HOUSEHOLD = "household", _("Household")
    PERSON = "person", _("Person")


class HoldQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now), lifted_at__isnull=True)


class Hold(models.Model):
    """A block on destruction: ARCHIEFSTATUS GEB while active (BEW for a legal duty to keep).

    A hold on a person or household covers every case of that household."""

    target = models.CharField(_("on"), max_length=10, choices=HoldTarget.choices)
    # The case or household by internal number; a person by foreign key (the register names him).
    record_id = models.PositiveBigIntegerField(_("record number"), null=True, blank=True)
    person = models.ForeignKey(
        "housing.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=HoldKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    request = models.ForeignKey("SubjectRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="holds")

    objects = HoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target="person") & Q(person__isnull=False))
                | (~Q(target="person") & Q(record_id__isnull=False)),
                name="hold_names_its_record",
            )
        ]
        verbose_name = _("hold")
        verbose_name_plural = _("holds")

    def __str__(self) -> str:
        return f"hold {self.pk} {self.kind}"

    @property
    def status(self) -> str:
        return ArchiveStatus.DUTY if self.kind == HoldKind.DUTY else ArchiveStatus.BLOCKED

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and (self.ends_at is None or self.ends_at > now)


class RetentionRun(models.Model):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    as_of = models.DateField(_("as of"))
    dry_run = models.BooleanField(_("dry run"), default=False)
    # {kind: number of records destroyed (or, in a dry run, due)}; {"held": n} skipped for a hold.
    counts = models.JSONField(default=dict)
    # [{"kind": …, "id": …, "error": exception class}]: ids only, never the record's content.
    errors = models.JSONField(default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"run {self.pk} {self.as_of}"


class DestructionRecord(models.Model):
    """The fact of one destruction (VERA ARCHIEFSTATUS VER): what kind, which number, when, why."""

    kind = models.CharField(_("record kind"), max_length=20, choices=RecordKind.choices)
    record_id = models.CharField(_("record number"), max_length=40)
    # Events and arrears are destroyed per household: how many rows went.
    rows = models.PositiveIntegerField(default=1)
    destroyed_at = models.DateTimeField(default=timezone.now)
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, null=True, blank=True, related_name="records")
    request = models.ForeignKey(
        "SubjectRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="destructions"
    )

    class Meta:
        ordering = ["-destroyed_at", "-pk"]
        indexes = [models.Index(fields=["kind", "record_id"])]
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} destroyed"


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (art. 15)")
    RECTIFICATION = "rectification", _("Rectification (art. 16)")
    ERASURE = "erasure", _("Erasure (art. 17)")
    RESTRICTION = "restriction", _("Restriction (art. 18)")
    OBJECTION = "objection", _("Objection (art. 21)")


# Requests that block destruction while they run (see docs/retention-and-rights.md, "Holds").
HOLDING_KINDS = (RequestKind.ERASURE, RequestKind.RESTRICTION, RequestKind.OBJECTION)


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Partly granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CLOSED_STATUSES = (RequestStatus.GRANTED, RequestStatus.PARTLY, RequestStatus.REFUSED, RequestStatus.WITHDRAWN)


class SubjectRequestQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)


class SubjectRequest(models.Model):
    """A request under AVG art. 15-21, with its one-month deadline (art. 12(3)) and outcome."""

    person = models.ForeignKey(
        "housing.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    # How the request came in and how to find it again (letter date, mail subject) — no content.
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=14, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("deadline"))
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = models.CharField(_("reason for the extension"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    outcome = models.TextField(_("outcome"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handled by")
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(reference=""), name="request_person_or_reference"
            )
        ]
        verbose_name = _("subject request")
        verbose_name_plural = _("subject requests")

    def __str__(self) -> str:
        return f"request {self.pk} {self.kind}"

    def get_absolute_url(self) -> str:
        return reverse("privacy:request", args=[self.pk])

    @property
    def due(self) -> date:
        return self.extended_until or self.deadline

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    def is_overdue(self, today=None) -> bool:
        return self.is_open and (today or timezone.localdate()) > self.due
