"""Every write to the network: consent, referrals and their status, reminders, and the directory.

One transaction each, with the access-log record naming the actor, and for what concerns a case
an entry on its timeline. The consent gate lives in `referral_create`: nothing of a case goes to a
partner without a valid consent covering it or a legal ground with its written justification.
"""

import logging
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regie.accounts.models import Role, User
from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.models import Case, EntryKind
from regie.cases.services import _entry
from regie.housing.models import Person
from regie.network.models import Consent, ContactPerson, LegalGround, Organisation, Referral, ReferralEvent
from regie.network.workflow import ANSWERS, check_transition
from regie.plans.models import ZrmDomain
from regie.plans.sensitivity import sensitive_among

log = logging.getLogger(__name__)

DOCUMENT_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# A legal ground is no formality: say in a few sentences why sharing without consent is needed.
JUSTIFICATION_MIN_CHARS = 30
# The grounds that let a sensitive domain (mental health, substance use, justice) go to a partner
# without the household's consent: statutory duties to share, where the law itself has weighed the
# special-category data (AVG art. 9(2)(b)/(g) with the Wmo 2015 reporting right behind the Meldcode;
# a legal obligation names its own statute). Vital interest and the Wgs are no such duty: the Wgs
# covers arrears only, and in acute danger one calls the crisis service, not a referral.
STATUTORY_GROUNDS = frozenset({LegalGround.MELDCODE, LegalGround.LEGAL_OBLIGATION})


def _log(case: Case, by: User | None, action: str = Action.UPDATE) -> None:
    access_record(user=by, action=action, record_type="case", record_ids=[case.pk])


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def domain_labels(codes: Iterable[str]) -> str:
    labels = dict(ZrmDomain.choices)
    return ", ".join(str(labels.get(c, c)) for c in codes)


def _clean_domains(domains: Iterable[str]) -> list[str]:
    domains = list(dict.fromkeys(domains))
    if not domains:
        raise ValidationError({"domains": _("Choose at least one life domain.")})
    unknown = [d for d in domains if d not in ZrmDomain.values]
    if unknown:
        raise ValidationError({"domains": _("Unknown life domain: %(codes)s.") % {"codes": ", ".join(unknown)}})
    # In the matrix's order, so the same scope always reads the same.
    return [d for d in ZrmDomain.values if d in domains]


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is closed; re-open it first."))


# -- consent -------------------------------------------------------------------------------------


def _store_document(document):
    """Give the upload a random name: the file's own name often carries a person's name, and it
    must not end up in the storage path (the file is only served through a checked view)."""
    ext = PurePath(document.name or "").suffix.lower()
    if ext not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            {"document": _("Attach a PDF or a photo (JPG or PNG) of the signed consent.")},
        )
    if document.size > DOCUMENT_MAX_BYTES:
        raise ValidationError({"document": _("The document is larger than 10 MB.")})
    document.name = f"{secrets.token_hex(16)}{ext}"
    return document


@transaction.atomic
def consent_record(
    *,
    case: Case,
    person: Person,
    domains: Iterable[str],
    given_on: date,
    form: str,
    by: User,
    organisation: Organisation | None = None,
    purpose: str = "",
    valid_until: date | None = None,
    document=None,
) -> Consent:
    """Record a household member's consent to share the named life domains with a partner (or for
    a purpose); it goes onto the case's timeline."""
    _require_open(case)
    purpose = purpose.strip()
    errors: dict[str, str] = {}
    if person.tenancy_id != case.household_id:
        errors["person"] = _("Only members of this household can give consent.")
    if organisation is None and not purpose:
        errors["organisation"] = _("Choose the partner the consent is for, or describe its purpose.")
    if organisation is not None and organisation.kind != Organisation.Kind.PARTNER:
        errors["organisation"] = _(
            "Internal departments need no consent; they are engaged through actions in the plan."
        )
    if given_on > timezone.localdate():
        errors["given_on"] = _("Consent can't be given in the future.")
    if valid_until is not None and valid_until < given_on:
        errors["valid_until"] = _("The consent can't end before it was given.")
    if form not in Consent.Form.values:
        errors["form"] = _("Say whether the consent was given in writing or spoken.")
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        case=case,
        person=person,
        organisation=organisation,
        purpose=purpose,
        domains=_clean_domains(domains),
        given_on=given_on,
        form=form,
        valid_until=valid_until,
        recorded_by=by,
    )
    if document:
        consent.document = _store_document(document)
    consent.full_clean(exclude=["case", "person", "organisation", "recorded_by", "document"])
    consent.save()
    _entry(
        case,
        EntryKind.CONSENT,
        by,
        change="recorded",
        consent=consent.pk,
        organisation=organisation.pk if organisation else None,
        organisation_name=organisation.name if organisation else "",
        purpose=purpose,
        domains=consent.domains,
        valid_until=valid_until.isoformat() if valid_until else None,
    )
    _log(case, by)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, by: User, on: date | None = None) -> Consent:
    """The person withdraws his consent from `on` (today by default); referrals already made stay on
    record, new ones on this consent are refused from that day."""
    consent = Consent.objects.select_for_update(of=("self",)).select_related("case", "organisation").get(pk=consent.pk)
    on = on or timezone.localdate()
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    if on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("Record a withdrawal on the day it happens, not in advance.")})
    if on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("A consent can't be withdrawn before it was given.")})
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    _entry(
        consent.case,
        EntryKind.CONSENT,
        by,
        change="withdrawn",
        consent=consent.pk,
        organisation=consent.organisation_id,
        organisation_name=consent.organisation.name if consent.organisation else "",
        purpose=consent.purpose,
        withdrawn_on=on.isoformat(),
    )
    _log(consent.case, by)
    return consent


# -- the consent gate ----------------------------------------------------------------------------


def _consent_refusal(case: Case, organisation: Organisation, domains: list[str], today: date) -> str:
    """Why no consent of the household lets this referral through, as specific as we can say."""
    for_partner = [
        c
        for c in Consent.objects.filter(case=case, organisation=organisation, person__tenancy_id=case.household_id)
        if c.given_on <= today
    ]
    if not for_partner:
        return _(
            "There is no consent from the household to share with %(partner)s. Record the consent first, "
            "or record the legal ground that allows sharing without it, with its justification."
        ) % {"partner": organisation.name}
    valid = [c for c in for_partner if c.valid_on(today)]
    if not valid:
        if all(c.withdrawn_on is not None and c.withdrawn_on <= today for c in for_partner):
            return _("The consent to share with %(partner)s was withdrawn. Ask the household again.") % {
                "partner": organisation.name
            }
        return _("The consent to share with %(partner)s is no longer valid. Ask the household to renew it.") % {
            "partner": organisation.name
        }
    best = max(valid, key=lambda c: len(set(c.domains) & set(domains)))
    missing = [d for d in domains if d not in best.domains]
    return _(
        "The consent to share with %(partner)s does not cover: %(domains)s. Share less, or ask the "
        "household for consent that covers it."
    ) % {"partner": organisation.name, "domains": domain_labels(missing)}


def _check_chosen_consent(consent: Consent, case: Case, organisation: Organisation, domains, today: date) -> None:
    if consent.case_id != case.pk or consent.person.tenancy_id != case.household_id:
        raise ValidationError({"consent": _("Choose a consent given by a member of this household.")})
    if consent.organisation_id is not None and consent.organisation_id != organisation.pk:
        raise ValidationError(
            {
                "consent": _("This consent is for %(other)s, not for %(partner)s.")
                % {"other": consent.organisation.name, "partner": organisation.name}
            }
        )
    if not consent.valid_on(today):
        if consent.withdrawn_on is not None and consent.withdrawn_on <= today:
            msg = _("This consent was withdrawn on %(day)s.") % {"day": _day(consent.withdrawn_on)}
        elif consent.given_on > today:
            msg = _("This consent only starts on %(day)s.") % {"day": _day(consent.given_on)}
        else:
            msg = _("This consent expired on %(day)s.") % {"day": _day(consent.valid_until)}
        raise ValidationError({"consent": msg})
    missing = [d for d in domains if d not in consent.domains]
    if missing:
        raise ValidationError(
            {"consent": _("This consent does not cover: %(domains)s.") % {"domains": domain_labels(missing)}}
        )


def consent_for_referral(*, case: Case, organisation: Organisation, domains: list[str], today: date) -> Consent | None:
    """A household member's consent valid today for this partner that covers every domain: the one
    that ends last (no end beats any end)."""
    valid = [
        c
        for c in Consent.objects.filter(
            case=case, organisation=organisation, person__tenancy_id=case.household_id
        ).select_related("person")
        if c.valid_on(today) and set(domains) <= set(c.domains)
    ]
    return max(valid, key=lambda c: (c.valid_until is None, c.valid_until or date.min, c.pk), default=None)


def _sensitive_consent(
    case: Case, organisation: Organisation, domains: list[str], legal_ground: str, today: date
) -> Consent | None:
    """Under a legal ground that is no statutory duty, the sensitive domains shared still need the
    household's valid consent for this partner that covers them: that consent, or refused saying
    which domains and why. None when nothing sensitive is shared or the ground is a statutory duty."""
    sensitive = sensitive_among(domains)
    if not sensitive or legal_ground in STATUTORY_GROUNDS:
        return None
    consent = consent_for_referral(case=case, organisation=organisation, domains=sensitive, today=today)
    if consent is None:
        raise ValidationError(
            {
                "domains": _(
                    "%(domains)s: a sensitive domain goes to a partner only with the household's consent that "
                    "covers it. The legal ground “%(ground)s” does not set that aside; only a statutory duty "
                    "(the Meldcode, a legal obligation) does. Record the consent, or share without it."
                )
                % {"domains": domain_labels(sensitive), "ground": LegalGround(legal_ground).label}
            }
        )
    return consent


@transaction.atomic
def referral_create(
    *,
    case: Case,
    organisation: Organisation,
    reason: str,
    shared: str,
    domains: Iterable[str],
    by: User,
    contact: ContactPerson | None = None,
    consent: Consent | None = None,
    legal_ground: str = "",
    legal_justification: str = "",
) -> Referral:
    """Refer the household to a partner, through the consent gate.

    Allowed only with (a) a consent valid today, given by a member of the household, for this
    partner, covering every life domain shared (found here when none is chosen), or a purpose
    consent the referrer chooses explicitly for it; or (b) a legal ground with its written
    justification, which for a sensitive domain (mental health, substance use, justice) must be a
    statutory duty (`STATUTORY_GROUNDS`) or come with a consent covering that domain. Otherwise
    refused, saying why.
    """
    _require_open(case)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if organisation.kind != Organisation.Kind.PARTNER:
        errors["organisation"] = _("Internal departments are engaged through actions in the plan, not by referral.")
    elif not organisation.is_active:
        errors["organisation"] = _("%(partner)s is no longer in the directory.") % {"partner": organisation.name}
    if contact is not None and (contact.organisation_id != organisation.pk or not contact.is_active):
        errors["contact"] = _("Choose a contact person of %(partner)s.") % {"partner": organisation.name}
    reason, shared = reason.strip(), shared.strip()
    if not reason:
        errors["reason"] = _("Say why you refer the household.")
    if not shared:
        errors["shared"] = _("Say what you share with the partner.")
    if errors:
        raise ValidationError(errors)
    domains = _clean_domains(domains)
    legal_justification = legal_justification.strip()
    if consent is not None:  # as it stands now, not as the caller's copy remembers it
        consent = Consent.objects.select_related("person", "organisation").get(pk=consent.pk)
    if legal_ground:
        if legal_ground not in LegalGround.values:
            raise ValidationError({"legal_ground": _("Choose a legal ground from the list.")})
        if len(legal_justification) < JUSTIFICATION_MIN_CHARS:
            raise ValidationError(
                {
                    "legal_justification": _(
                        "Sharing without consent needs a written justification: say why this ground "
                        "applies and why asking for consent is not possible or not safe."
                    )
                }
            )
        if consent is not None:
            _check_chosen_consent(consent, case, organisation, domains, today)
        else:
            consent = _sensitive_consent(case, organisation, domains, legal_ground, today)
    elif consent is not None:
        _check_chosen_consent(consent, case, organisation, domains, today)
    else:
        consent = consent_for_referral(case=case, organisation=organisation, domains=domains, today=today)
        if consent is None:
            raise ValidationError({"consent": _consent_refusal(case, organisation, domains, today)})
    referral = Referral(
        case=case,
        organisation=organisation,
        contact=contact,
        reason=reason,
        shared=shared,
        domains=domains,
        consent=consent,
        legal_ground=legal_ground,
        legal_justification=legal_justification if legal_ground else "",
        created_by=by,
    )
    referral.full_clean(exclude=["case", "organisation", "contact", "consent", "created_by"])
    referral.save()
    ReferralEvent.objects.create(referral=referral, status=Referral.Status.SENT, at=referral.sent_at, by=by)
    _entry(
        case,
        EntryKind.REFERRAL,
        by,
        at=referral.sent_at,
        text=reason,
        change="sent",
        referral=referral.pk,
        organisation=organisation.pk,
        organisation_name=organisation.name,
        domains=domains,
        consent=consent.pk if consent else None,
        legal_ground=legal_ground,
    )
    _log(case, by, Action.CREATE)
    return referral


@transaction.atomic
def referral_transition(
    *, referral: Referral, to_status: str, by: User, at: datetime | None = None, note: str = ""
) -> Referral:
    """Record the partner's answer or the referral's progress; each change an event with its moment.

    `at` is when it happened (the partner may have called yesterday); the first accepted or declined
    is the answer the response time is measured to."""
    referral = (
        Referral.objects.select_for_update(of=("self",)).select_related("case", "organisation").get(pk=referral.pk)
    )
    check_transition(referral.status, to_status)
    now = timezone.now()
    at = at or now
    if at > now + timedelta(minutes=5):
        raise ValidationError({"at": _("A change can't be in the future.")})
    last = referral.events.order_by("-at", "-pk").values_list("at", flat=True).first() or referral.sent_at
    if at < last:
        raise ValidationError({"at": _("This moment lies before the referral's previous step.")})
    from_status = referral.status
    referral.status = to_status
    fields = ["status"]
    if to_status in ANSWERS and referral.answered_at is None:
        referral.answered_at = at
        fields.append("answered_at")
    if to_status == Referral.Status.ENDED:
        referral.ended_at = at
        fields.append("ended_at")
    referral.save(update_fields=fields)
    ReferralEvent.objects.create(referral=referral, status=to_status, at=at, by=by, note=note.strip())
    _entry(
        referral.case,
        EntryKind.REFERRAL,
        by,
        at=at,
        text=note.strip(),
        change="status",
        referral=referral.pk,
        organisation=referral.organisation_id,
        organisation_name=referral.organisation.name,
        **{"from": from_status, "to": to_status},
    )
    _log(referral.case, by)
    return referral


# -- reminders -----------------------------------------------------------------------------------


def overdue_since(referral: Referral) -> datetime:
    return referral.sent_at + timedelta(days=referral.organisation.expected_response_days)


def referral_reminders(*, now: datetime | None = None) -> int:
    """Remind the case director of every referral the partner has not answered within its expected
    response time; once per referral (reminded_at). Returns how many reminders went out.

    Each reminder is its own transaction: the mail goes out before reminded_at commits, so a mail
    server that fails leaves the referral for the next run rather than marking it done."""
    now = now or timezone.now()
    waiting = Referral.objects.filter(status=Referral.Status.SENT, reminded_at__isnull=True).select_related(
        "organisation"
    )
    due = [r.pk for r in waiting if overdue_since(r) < now]
    sent = 0
    for pk in due:
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(of=("self",))
                .select_related("organisation", "case__director")
                .filter(pk=pk, status=Referral.Status.SENT, reminded_at__isnull=True)
                .first()
            )
            if referral is None:  # answered or reminded since we looked
                continue
            _remind(referral, now)
            referral.reminded_at = now
            referral.save(update_fields=["reminded_at"])
            access_record(user=None, action=Action.UPDATE, record_type="case", record_ids=[referral.case_id])
            sent += 1
    log.info("referral reminders sent: %d", sent)
    return sent


def _remind(referral: Referral, now: datetime) -> None:
    """The e-mail names the case by number and the partner, never the household: mail leaves the
    system's need-to-know, the case page doesn't."""
    director = referral.case.director
    if not director.email:
        return
    days = (now - referral.sent_at).days
    url = settings.REGIE_BASE_URL + reverse("cases:detail", args=[referral.case_id]) + "#network-h"
    subject = _("Regie: no answer from %(partner)s (case %(case)s)") % {
        "partner": referral.organisation.name,
        "case": referral.case_id,
    }
    body = "\n\n".join(
        [
            ngettext(
                "%(partner)s has not answered your referral of case %(case)s, sent %(days)d day ago.",
                "%(partner)s has not answered your referral of case %(case)s, sent %(days)d days ago.",
                days,
            )
            % {"partner": referral.organisation.name, "case": referral.case_id, "days": days},
            _("They usually answer within %(n)d days. Call or e-mail them, and record their answer in Regie:")
            % {"n": referral.organisation.expected_response_days},
            url,
        ]
    )
    send_mail(subject, body, None, [director.email])


# -- the directory (functional administrator) ----------------------------------------------------

ORGANISATION_FIELDS = (
    "kind",
    "partner_type",
    "department",
    "name",
    "working_area",
    "must",
    "may",
    "cannot",
    "services",
    "referral_route",
    "referral_criteria",
    "expected_response_days",
    "data_sharing_agreement",
    "agreement_until",
    "phone",
    "email",
    "website",
    "is_active",
)
CONTACT_FIELDS = ("name", "function", "phone", "email", "user", "is_active")


def _require_admin(by: User) -> None:
    if by.role != Role.ADMIN:
        raise ValidationError(_("Only the functional administrator maintains the directory."))


def _directory_log(by: User, action: str, organisation_pk: int) -> None:
    access_record(user=by, action=action, record_type="organisation", record_ids=[organisation_pk])


def _clean_kind(org: Organisation) -> None:
    if org.kind == Organisation.Kind.PARTNER:
        org.department = ""
        if not org.partner_type:
            raise ValidationError({"partner_type": _("Choose the partner's type.")})
    else:
        org.partner_type = ""
        if not org.department:
            raise ValidationError({"department": _("Choose which department this is.")})
    if org.agreement_until and not org.data_sharing_agreement:
        raise ValidationError({"agreement_until": _("Tick the data-sharing agreement, or leave its end date empty.")})


@transaction.atomic
def organisation_create(*, by: User, areas: Iterable = (), **fields) -> Organisation:
    _require_admin(by)
    org = Organisation(**{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS})
    _clean_kind(org)
    org.full_clean()
    org.save()
    org.areas.set(list(areas))
    _directory_log(by, Action.CREATE, org.pk)
    return org


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, by: User, areas: Iterable | None = None, **fields
) -> Organisation:
    """Change an organisation; `is_active=False` takes it out of the directory's choices while its
    referrals and consents stay on record (it is never deleted)."""
    _require_admin(by)
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = [k for k in fields if k in ORGANISATION_FIELDS]
    for k in changed:
        setattr(org, k, fields[k])
    _clean_kind(org)
    org.full_clean()
    org.save(update_fields=list({*changed, "department", "partner_type"}))
    if areas is not None:
        org.areas.set(list(areas))
    _directory_log(by, Action.UPDATE, org.pk)
    return org


@transaction.atomic
def contact_person_create(*, organisation: Organisation, by: User, **fields) -> ContactPerson:
    _require_admin(by)
    person = ContactPerson(organisation=organisation, **{k: v for k, v in fields.items() if k in CONTACT_FIELDS})
    person.full_clean()
    person.save()
    _directory_log(by, Action.UPDATE, organisation.pk)
    return person


@transaction.atomic
def contact_person_update(*, person: ContactPerson, by: User, **fields) -> ContactPerson:
    _require_admin(by)
    changed = [k for k in fields if k in CONTACT_FIELDS]
    for k in changed:
        setattr(person, k, fields[k])
    person.full_clean()
    person.save(update_fields=changed)
    _directory_log(by, Action.UPDATE, person.organisation_id)
    return person
