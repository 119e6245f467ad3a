"""Reads of the privacy pages: the privacy officer only (the retention rules also the functional
administrator); everyone else gets 404, as for a page that does not exist."""

from django.http import Http404

from regie.accounts.models import Role
from regie.privacy.models import Hold, RetentionRule, RetentionRun, SubjectRequest


def require_privacy(user) -> None:
    if not user.is_authenticated or user.role != Role.PRIVACY:
        raise Http404


def require_retention_editor(user) -> None:
    if not user.is_authenticated or user.role not in (Role.PRIVACY, Role.ADMIN):
        raise Http404


def requests_for(user):
    require_privacy(user)
    return SubjectRequest.objects.select_related("person", "handled_by").order_by("-received_on", "-pk")


def request_for(user, pk) -> SubjectRequest:
    require_privacy(user)
    try:
        return SubjectRequest.objects.select_related("person__tenancy__unit", "handled_by").get(pk=pk)
    except SubjectRequest.DoesNotExist as err:
        raise Http404 from err


def holds_for(user):
    require_privacy(user)
    return Hold.objects.select_related("person", "placed_by", "lifted_by", "request").order_by("-placed_at", "-pk")


def hold_for(user, pk) -> Hold:
    require_privacy(user)
    try:
        return Hold.objects.get(pk=pk)
    except Hold.DoesNotExist as err:
        raise Http404 from err


def retention_overview(user) -> dict:
    require_retention_editor(user)
    return {
        "rules": list(RetentionRule.objects.select_related("updated_by")),
        "runs": list(RetentionRun.objects.order_by("-started_at", "-pk")[:20]),
    }


def rule_for(user, pk) -> RetentionRule:
    require_retention_editor(user)
    try:
        return RetentionRule.objects.get(pk=pk)
    except RetentionRule.DoesNotExist as err:
        raise Http404 from err
