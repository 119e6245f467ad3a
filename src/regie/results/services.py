"""Agreeing results: the manager of a team agrees targets with each of his professionals for a
period. Only targets are typed in; progress is computed (`regie.results.indicators`)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regie.accounts.models import Role
from regie.audit.models import Action as LogAction
from regie.audit.services import access_record
from regie.results.models import Agreement, Indicator, Target


def manages(manager, professional) -> bool:
    """A manager manages the professionals in (one of) his teams."""
    return (
        manager.is_authenticated
        and manager.role == Role.MANAGER
        and professional.role == Role.PROFESSIONAL
        and professional.teams.filter(pk__in=manager.teams.values("pk")).exists()
    )


def _check(manager, professional, start: date, end: date, targets: dict) -> None:
    if not manages(manager, professional):
        raise PermissionDenied
    if end < start:
        raise ValidationError({"end": _("The period ends before it starts.")})
    for indicator, (direction, value) in targets.items():
        Indicator(indicator)
        Target.Direction(direction)
        if Decimal(value) < 0:
            raise ValidationError({f"value_{indicator}": _("A target can't be negative.")})


def _set_targets(agreement: Agreement, targets: dict) -> None:
    agreement.targets.exclude(indicator__in=list(targets)).delete()
    for indicator, (direction, value) in targets.items():
        Target.objects.update_or_create(
            agreement=agreement, indicator=indicator, defaults={"direction": direction, "value": Decimal(value)}
        )


@transaction.atomic
def create_agreement(*, manager, professional, start: date, end: date, note: str = "", targets: dict) -> Agreement:
    """`targets`: indicator -> (direction, value)."""
    _check(manager, professional, start, end, targets)
    agreement = Agreement.objects.create(professional=professional, manager=manager, start=start, end=end, note=note)
    _set_targets(agreement, targets)
    access_record(user=manager, action=LogAction.CREATE, record_type="agreement", record_ids=[agreement.pk])
    return agreement


@transaction.atomic
def update_agreement(
    agreement: Agreement, *, manager, start: date, end: date, note: str = "", targets: dict
) -> Agreement:
    _check(manager, agreement.professional, start, end, targets)
    agreement.start, agreement.end, agreement.note, agreement.manager = start, end, note, manager
    agreement.save(update_fields=["start", "end", "note", "manager"])
    _set_targets(agreement, targets)
    access_record(user=manager, action=LogAction.UPDATE, record_type="agreement", record_ids=[agreement.pk])
    return agreement


@transaction.atomic
def delete_agreement(agreement: Agreement, *, manager) -> None:
    if not manages(manager, agreement.professional):
        raise PermissionDenied
    access_record(user=manager, action=LogAction.DELETE, record_type="agreement", record_ids=[agreement.pk])
    agreement.delete()


def agreements_exist(*, professional, start: date, end: date) -> bool:
    """Whether an agreement with the professional already covers exactly this period."""
    return Agreement.objects.filter(professional=professional, start=start, end=end).exists()
