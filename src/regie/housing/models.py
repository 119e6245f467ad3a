"""The corporation's stock and its households, shaped like the import contract (IMPORT.md).

A household is the set of people on one tenancy; the tenancy is the household's anchor, so the
household pages and cases hang on `Tenancy`.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Area
from regie.core.vera import EventSource, HouseholdRole


class AreaDistrict(models.Model):
    """Which area (and so which team) a district of the units file belongs to.

    The import sets a unit's area from its `district`; a unit whose district is in no area is
    reported as a warning and seen by no team until the functional administrator maps it.
    """

    district = models.CharField(_("district"), max_length=80, unique=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="districts", verbose_name=_("area"))

    class Meta:
        ordering = ["district"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.district


class Unit(models.Model):
    """A verhuureenheid (VHE)."""

    unit_id = models.CharField(_("unit number"), max_length=40, unique=True)
    street = models.CharField(_("street"), max_length=120)
    house_number = models.PositiveIntegerField(_("house number"))
    house_number_suffix = models.CharField(_("suffix"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, db_index=True)
    city = models.CharField(_("city"), max_length=80)
    district = models.CharField(_("district"), max_length=80, blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("area"),
    )

    class Meta:
        ordering = ["street", "house_number", "house_number_suffix"]
        indexes = [models.Index(fields=["street", "house_number"])]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        number = (
            f"{self.house_number}{self.house_number_suffix}"
            if self.house_number_suffix[:1].isalpha()
            else (f"{self.house_number} {self.house_number_suffix}".strip())
        )
        return f"{self.street} {number}"


class TenancyQuerySet(models.QuerySet):
    def running_on(self, day):
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class Tenancy(models.Model):
    """A huurovereenkomst; the household living under it."""

    tenancy_id = models.CharField(_("tenancy number"), max_length=40, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="tenancies", verbose_name=_("unit"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    monthly_rent = models.DecimalField(_("monthly rent"), max_digits=9, decimal_places=2)
    # The household's display name ("Jansen", "De Vries-Bakker"), kept with the tenancy so lists
    # and search need no join over persons.
    name = models.CharField(_("household"), max_length=200, blank=True, db_index=True)

    objects = TenancyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "tenancy_id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.CheckConstraint(condition=Q(monthly_rent__gt=0), name="tenancy_rent_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="tenancy_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.tenancy_id

    def get_absolute_url(self) -> str:
        return reverse("housing:household", args=[self.pk])


class Person(models.Model):
    """A relatie in the household, with a VERA RELATIEROLSOORT role."""

    person_id = models.CharField(_("person number"), max_length=40, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="persons", verbose_name=_("tenancy"))
    role = models.CharField(_("role"), max_length=3, choices=HouseholdRole.choices)
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    name_prefix = models.CharField(_("name prefix"), max_length=20, blank=True)
    last_name = models.CharField(_("last name"), max_length=120, db_index=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        # By the foreign key itself: "tenancy" would join and sort on the household name.
        ordering = ["tenancy_id", "role", "birth_date"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)


class ArrearsSnapshot(models.Model):
    """The rent ledger's balance for a tenancy on one day; 0 or less means no arrears."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="arrears", verbose_name=_("tenancy"))
    date = models.DateField(_("date"))
    balance = models.DecimalField(_("balance"), max_digits=11, decimal_places=2)

    class Meta:
        ordering = ["tenancy", "date"]
        constraints = [models.UniqueConstraint(fields=["tenancy", "date"], name="arrears_one_per_day")]
        verbose_name = _("arrears snapshot")
        verbose_name_plural = _("arrears snapshots")

    def __str__(self) -> str:
        return f"{self.tenancy_id} {self.date}"


class Event(models.Model):
    """A report or collection step from one of the corporation's systems or a partner."""

    source = models.CharField(_("source"), max_length=3, choices=EventSource.choices)
    event_id = models.CharField(_("event number"), max_length=60)
    date = models.DateField(_("date"))
    tenancy = models.ForeignKey(
        Tenancy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("tenancy"),
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="events", verbose_name=_("unit"))
    type = models.CharField(_("type"), max_length=40)
    severity = models.PositiveSmallIntegerField(_("severity"), default=1)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "event_id"], name="event_unique_per_source"),
            models.CheckConstraint(condition=Q(severity__gte=1, severity__lte=3), name="event_severity_1_3"),
        ]
        indexes = [models.Index(fields=["tenancy", "-date"]), models.Index(fields=["type", "date"])]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.source}/{self.event_id}"

    @property
    def type_name(self) -> str:
        from regie.core.vera import vera_name

        return vera_name(self.type)
