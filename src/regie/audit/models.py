"""The access log: who did what with which case or household record, when, why and from where.

Its fields follow what NEN 7513 asks of a care record's log. Entries are append-only for the
application (no update, no delete) and name records by kind and id, never by foreign key, so the
log outlives the records it describes and can't be cascaded away.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Create")
    READ = "read", _("Read")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")


class Sensitivity(models.TextChoices):
    NORMAL = "normal", _("Normal")
    SPECIAL = "special", _("Special category")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Allowed")
    DENIED = "denied", _("Refused")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")


class AccessLogEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    record_type = models.CharField(_("record kind"), max_length=40)
    record_id = models.CharField(_("record"), max_length=40)
    sensitivity = models.CharField(_("sensitivity"), max_length=10, choices=Sensitivity.choices)
    # The user is kept by id and name, not by foreign key: the log outlives accounts too.
    user_id = models.BigIntegerField(_("user id"), null=True)
    username = models.CharField(_("user"), max_length=150)
    user_role = models.CharField(_("role"), max_length=20)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=150, blank=True)
    purpose = models.CharField(_("purpose"), max_length=40)
    ip_address = models.GenericIPAddressField(_("network address"), null=True)
    channel = models.CharField(_("channel"), max_length=10)  # web, api, cli
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    emergency = models.BooleanField(_("emergency override"), default=False)
    # The hash chain (regie.audit.chain): rows are written unsealed (both NULL) inside the page's own
    # transaction; the sealer gives them their place in the chain shortly after they commit. The
    # database refuses every other change (regie.audit.triggers).
    seq = models.BigIntegerField(_("chain position"), null=True, unique=True, editable=False)
    hash = models.CharField(_("chain hash"), max_length=64, null=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["record_type", "record_id", "-at"]),
            models.Index(fields=["user_id", "-at"]),
            # The sealer's work list: small, because rows are sealed within a minute.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_log_unsealed"),
        ]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.record_type}:{self.record_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")


class ChainHead(models.Model):
    """One row: where the chain ends (last sealed position and hash) and where it starts after a
    purge (the anchor: position and hash of the last purged row), so verify can start there."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="0" * 64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("access log chain head")

    def __str__(self) -> str:
        return f"{self.anchor_seq}..{self.last_seq}"


class LogPurge(models.Model):
    """A purge of access log entries past their retention: how many, up to which moment."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    purged = models.PositiveIntegerField(_("entries removed"))
    up_to = models.DateTimeField(_("entries before"))
    anchor_seq = models.BigIntegerField(_("chain now starts after"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log purge")
        verbose_name_plural = _("access log purges")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.purged}"


class IncidentKind(models.TextChoices):
    CHAIN_BREAK = "chain_break", _("Access log chain broken")
    UNSEALED = "unsealed", _("Access log entries left unsealed")


class SecurityIncident(models.Model):
    """Something the system detected that a privacy officer must look into. `details` names
    positions, ids and counts, never personal data: it goes out by e-mail."""

    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    detected_at = models.DateTimeField(_("detected"), default=timezone.now)
    details = models.TextField(_("details"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        ordering = ["-detected_at", "-pk"]
        verbose_name = _("security incident")
        verbose_name_plural = _("security incidents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.detected_at:%Y-%m-%d %H:%M}"


class EmergencyAccessQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(expires_at__gt=now or timezone.now())


class EmergencyAccess(models.Model):
    """A noodknop grant: read access to one case outside the user's scope, for a few hours, with
    the reason he gave. The case is kept by id, like the log, so the record of the override
    outlives the case."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    case_id = models.BigIntegerField(_("case"))
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "case_id", "expires_at"])]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")

    def __str__(self) -> str:
        return f"#{self.case_id} {self.granted_at:%Y-%m-%d %H:%M}"
