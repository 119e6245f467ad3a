"""Who works with Regie: users with one role, in teams that each serve one area."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """A part of the corporation's stock (a district or cluster of neighbourhoods)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="teams", verbose_name=_("area"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional (case director)")
    MANAGER = "manager", _("Manager")
    DEPARTMENT = "department", _("Department colleague")
    ADMIN = "admin", _("Functional administrator")
    PRIVACY = "privacy", _("Privacy officer")
    BOARD = "board", _("Director-board (bestuurder)")


class Department(models.TextChoices):
    """Internal departments a colleague belongs to (BRIEF: the way of working, point 1)."""

    MAINTENANCE = "maintenance", _("Maintenance")
    COLLECTIONS = "collections", _("Collections")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood management")
    LETTING = "letting", _("Letting")
    LEGAL = "legal", _("Legal")
    CUSTOMER_CONTACT = "customer_contact", _("Customer contact")
    SOCIAL = "social", _("Social housing management")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PROFESSIONAL)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, default=Department.SOCIAL)
    teams = models.ManyToManyField(Team, blank=True, related_name="members", verbose_name=_("teams"))
    # Demo accounts log in only while the instance runs in demo mode (REGIE_DEMO).
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_professional(self) -> bool:
        return self.role == Role.PROFESSIONAL

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def reads_case_content(self) -> bool:
        """Only professionals and managers ever see what a case holds."""
        return self.role in (Role.PROFESSIONAL, Role.MANAGER)
