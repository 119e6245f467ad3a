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


class LoginMethod(models.TextChoices):
    PASSWORD = "password", _("Password")
    OIDC = "oidc", _("Single sign-on")


class SessionEndReason(models.TextChoices):
    LOGOUT = "logout", _("Logged out")
    IDLE = "idle", _("Idle too long")
    MAX_AGE = "max_age", _("Maximum duration reached")
    BY_USER = "by_user", _("Ended by the user")
    BY_ADMIN = "by_admin", _("Ended by an administrator")
    DEACTIVATED = "deactivated", _("Account deactivated")


class UserSessionQuerySet(models.QuerySet):
    def active(self):
        """Sessions not ended and not yet past the idle or the absolute limit.

        A session the browser simply abandoned is never "ended"; the limits hide it. last_seen_at
        is written at most once a minute, hence the minute's grace.
        """
        from datetime import timedelta

        from django.conf import settings
        from django.utils import timezone

        now = timezone.now()
        idle = timedelta(minutes=settings.REGIE_SESSION_IDLE_MINUTES + 1)
        return self.filter(
            ended_at__isnull=True,
            last_seen_at__gte=now - idle,
            created_at__gte=now - timedelta(hours=settings.REGIE_SESSION_MAX_HOURS),
        )


class UserSession(models.Model):
    """One login of a user: what the session overview shows and what ending sessions acts on.

    The session's own data (login time, last activity) lives in the Django session, so checking
    the limits costs no query; this row mirrors it at most once a minute. The session key is kept
    only while the session lives: it is a bearer secret, and nothing needs it afterwards.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("user"))
    session_key = models.CharField(_("session key"), max_length=40, unique=True, null=True, editable=False)
    created_at = models.DateTimeField(_("logged in at"))
    last_seen_at = models.DateTimeField(_("last active at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("reason ended"), max_length=20, choices=SessionEndReason.choices, blank=True)
    # Browser and operating system only ("Firefox · Windows"): enough to recognise a device,
    # too coarse to fingerprint one.
    device = models.CharField(_("device"), max_length=60, blank=True)
    login_method = models.CharField(_("login method"), max_length=10, choices=LoginMethod.choices)

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at", "-pk"]
        indexes = [models.Index(fields=["user", "ended_at"])]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"session {self.pk} of user {self.user_id}"
