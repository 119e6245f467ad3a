"""Reads of households that depend on who asks: fetch and authorise in one call."""

import re
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from regie.audit.models import Action
from regie.audit.services import access_denied, access_record
from regie.housing.models import ArrearsSnapshot, Event, Person, Tenancy

POSTCODE = re.compile(r"^\s*(\d{4})\s*([a-zA-Z]{2})\s*$")


def area_ids_of(user) -> list[int]:
    """The areas of the user's teams; asked once per request (the user object lives that long)."""
    if not hasattr(user, "_regie_area_ids"):
        user._regie_area_ids = list(user.teams.values_list("area_id", flat=True).distinct())
    return user._regie_area_ids


def households_visible_to(user) -> QuerySet[Tenancy]:
    """Professionals and managers see the households of their teams' areas, and those of cases they
    may see; other roles see no household."""
    if not user.is_authenticated or not user.reads_case_content:
        return Tenancy.objects.none()
    from regie.cases.selectors import cases_visible_to

    in_case = Exists(cases_visible_to(user).filter(household=OuterRef("pk")))
    return Tenancy.objects.filter(Q(unit__area_id__in=area_ids_of(user)) | in_case)


def household_for(user, pk: int) -> Tenancy:
    """The household, logged as read; 404 when missing or not the user's to see.

    Fetched by key and then checked, the same rule as `households_visible_to` (own areas, or a case
    the user may see), so the common case costs one plain query rather than an OR with a subquery."""
    household = Tenancy.objects.select_related("unit", "unit__area").filter(pk=pk).first()
    if household is None:
        raise Http404
    if not _may_see(user, household):
        access_denied(user=user, record_type="household", record_id=pk)
        raise Http404
    access_record(user=user, action=Action.READ, record_type="household", record_ids=[household.pk])
    return household


def _may_see(user, household: Tenancy) -> bool:
    if not user.is_authenticated or not user.reads_case_content:
        return False
    if household.unit.area_id in area_ids_of(user):
        return True
    from regie.cases.selectors import cases_visible_to

    return cases_visible_to(user).filter(household=household).exists()


def household_search(user, query: str) -> QuerySet[Tenancy]:
    """Households by name, address, postcode or tenancy number, within what the user may see."""
    qs = households_visible_to(user).select_related("unit")
    query = (query or "").strip()
    if not query:
        return qs.none()
    if m := POSTCODE.match(query):
        return qs.filter(unit__postcode=f"{m[1]} {m[2].upper()}")
    condition = Q(tenancy_id__iexact=query) | Q(name__icontains=query)
    condition |= Exists(Person.objects.filter(tenancy=OuterRef("pk"), last_name__icontains=query))
    street = re.match(r"^(.*?)\s+(\d+)\s*\S*$", query)
    if street:
        condition |= Q(unit__street__icontains=street[1], unit__house_number=int(street[2]))
    else:
        condition |= Q(unit__street__icontains=query)
    return qs.filter(condition)


def latest_balance_subquery(outer: str = "pk"):
    return Subquery(ArrearsSnapshot.objects.filter(tenancy=OuterRef(outer)).order_by("-date").values("balance")[:1])


def legal_step_exists(outer: str = "pk", *, days: int = 365):
    from regie.core.vera import LEGAL_STEP_CODES

    since = timezone.localdate() - timedelta(days=days)
    return Exists(Event.objects.filter(tenancy=OuterRef(outer), type__in=LEGAL_STEP_CODES, date__gt=since))


def household_detail(household: Tenancy) -> dict:
    """Everything the household page shows, in a fixed number of queries."""
    return {
        "persons": list(household.persons.all()),
        "arrears": list(household.arrears.order_by("date")),
        "events": list(household.events.order_by("-date", "-pk")[:200]),
        "unit_events": list(
            Event.objects.filter(unit_id=household.unit_id, tenancy__isnull=True).order_by("-date")[:50]
        ),
    }
