"""The network (sociale kaart): partner organisations and internal departments with their
responsibilities and authorities, their people, the tenant's consent to share, and referrals.

Consent and a recorded legal ground are what the consent gate checks before anything of a case is
shared with a partner (services.referral_create refuses without one, saying why).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Area, Department


class PartnerType(models.TextChoices):
    DEBT_COUNSELLING = "debt", _("Debt counselling")
    ADDICTION = "addiction", _("Addiction care")
    CHILD_PROTECTION = "child", _("Child protection / Veilig Thuis")
    MENTAL_HEALTH = "mental", _("Mental health care")
    DISTRICT_TEAM = "district", _("Municipal social service / district team")
    POLICE = "police", _("Police")
    GP = "gp", _("GP")
    SOCIAL_WORK = "social", _("Social work")
    BUDGET_COACHING = "budget", _("Budget coaching")
    FINANCIAL_ADMIN = "admin", _("Financial administration (bewindvoering)")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """An outside partner, or one of the corporation's own departments (kind tells which)."""

    class Kind(models.TextChoices):
        PARTNER = "partner", _("Partner organisation")
        DEPARTMENT = "department", _("Internal department")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PARTNER)
    partner_type = models.CharField(_("type"), max_length=12, choices=PartnerType.choices, blank=True)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, blank=True)
    name = models.CharField(_("name"), max_length=200)
    working_area = models.CharField(_("working area"), max_length=300, blank=True)
    areas = models.ManyToManyField(Area, blank=True, related_name="organisations", verbose_name=_("areas"))
    # Responsibilities and authorities (BRIEF, way of working 3): what they must, may and cannot do.
    must = models.TextField(_("responsibilities (must do)"), blank=True)
    may = models.TextField(_("authorities (may do)"), blank=True)
    cannot = models.TextField(_("cannot do"), blank=True)
    services = models.TextField(_("services"), blank=True)
    referral_route = models.TextField(_("referral route"), blank=True)
    referral_criteria = models.TextField(_("referral criteria"), blank=True)
    expected_response_days = models.PositiveSmallIntegerField(_("expected response (days)"), default=10)
    data_sharing_agreement = models.BooleanField(_("data-sharing agreement in force"), default=False)
    agreement_until = models.DateField(_("agreement valid until"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="partner") & ~Q(partner_type="")) | (Q(kind="department") & ~Q(department="")),
                name="organisation_type_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def agreement_in_force(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.data_sharing_agreement and (self.agreement_until is None or self.agreement_until >= on)


class ContactPerson(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # A colleague of the corporation who is this department's contact (internal departments).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self) -> str:
        return self.name


class Consent(models.Model):
    """A household member's consent to share (part of) his case with a partner, or for a purpose."""

    class Form(models.TextChoices):
        WRITTEN = "written", _("Written")
        SPOKEN = "spoken", _("Spoken")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey("housing.Person", on_delete=models.PROTECT, related_name="consents")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    # ZRM domain codes (plans.ZrmDomain) the consent covers.
    domains = models.JSONField(_("domains"), default=list)
    given_on = models.DateField(_("given on"))
    form = models.CharField(_("how"), max_length=10, choices=Form.choices)
    document = models.FileField(_("document"), upload_to="consents/%Y/", blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(organisation__isnull=True, purpose=""), name="consent_partner_or_purpose"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.organisation_id or self.purpose}"

    def valid_on(self, day) -> bool:
        return (
            self.given_on <= day
            and (self.valid_until is None or self.valid_until >= day)
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )


class LegalGround(models.TextChoices):
    """Grounds to share without consent; each needs a written justification."""

    MELDCODE = "meldcode", _("Meldcode domestic violence and child abuse (Veilig Thuis)")
    VITAL_INTEREST = "vital", _("Vital interest of the person (AVG art. 6(1)(d))")
    LEGAL_OBLIGATION = "legal", _("Legal obligation (AVG art. 6(1)(c))")
    WGS = "wgs", _("Early warning of arrears (Wgs art. 3a)")


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        IN_PROGRESS = "in_progress", _("In progress")
        ENDED = "ended", _("Ended")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals")
    contact = models.ForeignKey(ContactPerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField(_("why"))
    shared = models.TextField(_("what is shared"))
    domains = models.JSONField(_("domains"), default=list)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    legal_ground = models.CharField(_("legal ground"), max_length=12, choices=LegalGround.choices, blank=True)
    legal_justification = models.TextField(_("justification"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(consent__isnull=False) | ~Q(legal_ground=""), name="referral_consent_or_ground"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.organisation_id}"


class ReferralEvent(models.Model):
    """Each status change of a referral, with its moment, so response times can be measured."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=Referral.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"referralevent {self.pk}"
