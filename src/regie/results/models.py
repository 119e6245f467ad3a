"""Result agreements between a manager and a professional, on indicators computed from the data
(never typed in)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    EVICTIONS_PREVENTED = "evictions_prevented", _("Evictions prevented among his cases")
    ARREARS_PAID_DOWN = "arrears_paid_down", _("Arrears paid down (euros)")
    CLOSED_SELF_SUFFICIENT = "closed_self_sufficient", _("Cases closed with self-sufficiency gained")
    DAYS_TO_CONTACT = "days_to_contact", _("Days from signal to first contact (median)")
    CASELOAD = "caseload", _("Caseload (open cases)")
    AFTERCARE_HOLDS = "aftercare_holds", _("Aftercare without recurrence")


class Agreement(models.Model):
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreements")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "professional"]
        verbose_name = _("result agreement")
        verbose_name_plural = _("result agreements")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="agreement_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.professional_id} {self.start}–{self.end}"


class Target(models.Model):
    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.AT_LEAST)
    value = models.DecimalField(_("target"), max_digits=11, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "indicator"], name="target_one_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.direction} {self.value}"
