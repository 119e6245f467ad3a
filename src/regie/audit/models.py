"""The access log: who did what with which case or household record, when, why and from where.

Its fields follow what NEN 7513 asks of a care record's log. Entries are append-only for the
application (no update, no delete) and name records by kind and id, never by foreign key, so the
log outlives the records it describes and can't be cascaded away.
"""

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

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["record_type", "record_id", "-at"]),
            models.Index(fields=["user_id", "-at"]),
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
