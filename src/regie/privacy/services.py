"""Writes of the privacy officer (and, for retention rules, the functional administrator):
retention rules, holds, the register of subject requests and executing an erasure."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.audit.models import Action as LogAction
from regie.audit.services import access_record
from regie.cases.models import Case, Status
from regie.housing.models import Person
from regie.privacy.models import (
    HOLDING_KINDS,
    Hold,
    HoldKind,
    HoldTarget,
    RecordKind,
    RequestKind,
    RequestStatus,
    RetentionRule,
    SubjectRequest,
    add_months,
)
from regie.privacy.retention import BLOCKING_ERASURE, destroy_case, destroy_household, household_holds, rules
from regie.privacy.workflow import check_transition

PURPOSE = "privacy_audit"
# Art. 12(3): one month, extendable by two further months where necessary.
MAX_EXTENSION_MONTHS = 2


def rule_update(*, rule: RetentionRule, nomination: str, months: int, note: str, by) -> RetentionRule:
    with transaction.atomic():
        rule.nomination, rule.months, rule.note = nomination, months, note
        rule.updated_at, rule.updated_by = timezone.now(), by
        rule.full_clean()
        rule.save(update_fields=["nomination", "months", "note", "updated_at", "updated_by"])
        access_record(user=by, action=LogAction.UPDATE, record_type="retention_rule", record_ids=[rule.pk])
    return rule


def hold_place(
    *,
    target: str,
    kind: str,
    reason: str,
    by,
    record_id: int | None = None,
    person: Person | None = None,
    ends_at: datetime | None = None,
    request: SubjectRequest | None = None,
) -> Hold:
    if target == HoldTarget.CASE and not Case.objects.filter(pk=record_id).exists():
        raise ValidationError({"record_id": _("There is no case with this number.")})
    if target == HoldTarget.HOUSEHOLD and not Person.objects.filter(tenancy_id=record_id).exists():
        from regie.housing.models import Tenancy

        if not Tenancy.objects.filter(pk=record_id).exists():
            raise ValidationError({"record_id": _("There is no household with this number.")})
    with transaction.atomic():
        hold = Hold(
            target=target,
            record_id=record_id if target != HoldTarget.PERSON else None,
            person=person if target == HoldTarget.PERSON else None,
            kind=kind,
            reason=reason,
            placed_by=by,
            ends_at=ends_at,
            request=request,
        )
        hold.full_clean()
        hold.save()
        access_record(user=by, action=LogAction.CREATE, record_type="hold", record_ids=[hold.pk])
    return hold


def hold_lift(*, hold: Hold, by) -> Hold:
    if hold.lifted_at is not None:
        raise ValidationError(_("This hold has already been lifted."))
    with transaction.atomic():
        hold.lifted_at, hold.lifted_by = timezone.now(), by
        hold.save(update_fields=["lifted_at", "lifted_by"])
        access_record(user=by, action=LogAction.UPDATE, record_type="hold", record_ids=[hold.pk])
    return hold


def request_create(
    *, kind: str, received_on: date, by, person: Person | None = None, reference: str = ""
) -> SubjectRequest:
    """Register a request; erasure, restriction and objection put the person's household on hold
    while they run (docs/retention-and-rights.md, "Holds")."""
    with transaction.atomic():
        request = SubjectRequest(
            person=person,
            reference=reference,
            kind=kind,
            received_on=received_on,
            deadline=add_months(received_on, 1),
            handled_by=by,
        )
        request.full_clean()
        request.save()
        access_record(user=by, action=LogAction.CREATE, record_type="subject_request", record_ids=[request.pk])
        if person is not None and kind in HOLDING_KINDS:
            hold_place(
                target=HoldTarget.PERSON,
                person=person,
                kind=HoldKind.GDPR,
                reason=_("Request %(number)s (%(kind)s) is being handled.")
                % {"number": request.pk, "kind": request.get_kind_display()},
                by=by,
                request=request,
            )
    return request


def request_extend(*, request: SubjectRequest, months: int, reason: str, by) -> SubjectRequest:
    if not request.is_open:
        raise ValidationError(_("A closed request can't be extended."))
    if request.extended_until is not None:
        raise ValidationError(_("The deadline has already been extended once."))
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise ValidationError({"months": _("The deadline can be extended by one or two months.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request needs more time; the person must be told.")})
    with transaction.atomic():
        request.extended_until = add_months(request.deadline, months)
        request.extension_reason = reason.strip()
        request.save(update_fields=["extended_until", "extension_reason"])
        access_record(user=by, action=LogAction.UPDATE, record_type="subject_request", record_ids=[request.pk])
    return request


def request_transition(*, request: SubjectRequest, to_status: str, by, outcome: str = "") -> SubjectRequest:
    check_transition(request.status, to_status)
    closing = to_status in (RequestStatus.GRANTED, RequestStatus.PARTLY, RequestStatus.REFUSED, RequestStatus.WITHDRAWN)
    if closing and to_status != RequestStatus.WITHDRAWN and not (outcome or request.outcome).strip():
        raise ValidationError({"outcome": _("Record the outcome: what was decided and why.")})
    with transaction.atomic():
        request.status = to_status
        if outcome.strip():
            request.outcome = outcome.strip()
        fields = ["status", "outcome"]
        if closing:
            request.closed_on = timezone.localdate()
            fields.append("closed_on")
            now = timezone.now()
            for hold in request.holds.filter(lifted_at__isnull=True):
                hold.lifted_at, hold.lifted_by = now, by
                hold.save(update_fields=["lifted_at", "lifted_by"])
        request.save(update_fields=fields)
        access_record(user=by, action=LogAction.UPDATE, record_type="subject_request", record_ids=[request.pk])
    return request


def erasure_refusals(request: SubjectRequest) -> list[str]:
    """Why an erasure can't be carried out now; empty when it can."""
    reasons = []
    if request.kind != RequestKind.ERASURE:
        reasons.append(_("Only an erasure request is carried out this way."))
    if request.person_id is None:
        reasons.append(_("The request names no person in Regie."))
        return reasons
    if request.status != RequestStatus.IN_PROGRESS:
        reasons.append(_("Take the request into handling first."))
    tenancy_id = request.person.tenancy_id
    labels = dict(HoldKind.choices)
    for kind in household_holds(tenancy_id, ignore_request=request):
        if kind in BLOCKING_ERASURE:
            reasons.append(
                _("A hold blocks it: %(kind)s. Lift the hold when the reason has passed.") % {"kind": labels[kind]}
            )
    if Case.objects.filter(household_id=tenancy_id).exclude(status=Status.CLOSED).exists():
        reasons.append(_("The household has an open case: close it first (the outcome says why)."))
    return reasons


def request_execute_erasure(*, request: SubjectRequest, by) -> dict[str, int]:
    """Destroy the household's closed case files now, and, when the tenancy has ended, the
    household's names, contact details, events and arrears. A running tenancy keeps the tenants'
    names and contact details: the corporation needs them for the contract (art. 17(1)(a) doesn't
    apply); the outcome must say so."""
    refusals = erasure_refusals(request)
    if refusals:
        raise ValidationError(refusals)
    tenancy = request.person.tenancy
    retention_rules = rules()
    done = {"cases": 0, "household": 0}
    with transaction.atomic():
        case_ids = list(
            Case.objects.filter(household=tenancy, status=Status.CLOSED)
            .exclude(archive__archive_status="VER")
            .values_list("pk", flat=True)
        )
        for case_id in case_ids:
            destroy_case(case_id=case_id, rule=retention_rules.get(RecordKind.CASE_FILE), request=request, by=by)
        done["cases"] = len(case_ids)
        if tenancy.end_date is not None and tenancy.end_date <= timezone.localdate():
            destroy_household(
                tenancy_id=tenancy.pk, rule=retention_rules.get(RecordKind.HOUSEHOLD), request=request, by=by
            )
            done["household"] = 1
        access_record(user=by, action=LogAction.UPDATE, record_type="subject_request", record_ids=[request.pk])
    return done
