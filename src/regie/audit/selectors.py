"""Searching the access log and flagging unusual access: only the privacy officer may (404 for others)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet, Value
from django.db.models.functions import Concat, ExtractHour, TruncDate, TruncHour
from django.http import Http404
from django.utils import timezone

from regie.accounts.models import Role
from regie.audit.models import AccessLogEntry, Action, EmergencyAccess, Outcome, SecurityIncident

# Reads outside the caseload are counted over these kinds of record.
SCOPED_KINDS = ("case", "household")
NIGHT_FROM, NIGHT_UNTIL = 22, 7


def require_privacy_officer(user) -> None:
    if not user.is_authenticated or user.role != Role.PRIVACY:
        raise Http404


def _period(date_from: date | None, date_to: date | None, name: str = "at") -> Q:
    """Whole local days, the end day included."""
    tz = timezone.get_current_timezone()
    q = Q()
    if date_from:
        q &= Q(**{f"{name}__gte": datetime.combine(date_from, time.min, tzinfo=tz)})
    if date_to:
        q &= Q(**{f"{name}__lt": datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz)})
    return q


def person_records(person_pk: int) -> Q:
    """Every log entry about a person: his household, its cases and their plan's actions."""
    from regie.cases.models import Case
    from regie.housing.models import Person
    from regie.plans.models import Action as PlanAction

    household = Person.objects.filter(pk=person_pk).values_list("tenancy_id", flat=True).first()
    if household is None:
        return Q(pk__in=[])
    cases = [str(pk) for pk in Case.objects.filter(household_id=household).values_list("pk", flat=True)]
    actions = [str(pk) for pk in PlanAction.objects.filter(case_id__in=cases).values_list("pk", flat=True)]
    return (
        Q(record_type="household", record_id=str(household))
        | Q(record_type="case", record_id__in=cases)
        | Q(record_type="action", record_id__in=actions)
    )


def log_search(
    user,
    *,
    username="",
    record_type="",
    record_id="",
    action="",
    outcome="",
    date_from=None,
    date_to=None,
    person=None,
    emergency=False,
) -> QuerySet[AccessLogEntry]:
    require_privacy_officer(user)
    qs = AccessLogEntry.objects.filter(_period(date_from, date_to))
    if username:
        qs = qs.filter(username=username)
    if record_type:
        qs = qs.filter(record_type=record_type)
    if record_id:
        qs = qs.filter(record_id=record_id)
    if action:
        qs = qs.filter(action=action)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if person:
        qs = qs.filter(person_records(person))
    if emergency:
        qs = qs.filter(emergency=True)
    return qs.order_by("-at", "-pk")


def person_lookup(user, query: str):
    """Persons whose person number is the query, or whose last name starts with it (at most 50)."""
    from regie.housing.models import Person

    require_privacy_officer(user)
    query = query.strip()
    if not query:
        return []
    found = Person.objects.filter(Q(person_id=query) | Q(last_name__istartswith=query)).select_related("tenancy")
    return list(found.order_by("last_name", "first_name", "pk")[:50])


@dataclass
class Signals:
    outside_caseload: list[dict] = field(default_factory=list)
    night_reads: list[dict] = field(default_factory=list)
    emergencies: list[EmergencyAccess] = field(default_factory=list)
    emergency_refused: list[AccessLogEntry] = field(default_factory=list)
    refused_bursts: list[dict] = field(default_factory=list)
    incidents: list[SecurityIncident] = field(default_factory=list)


def _scope_of(user_id: int) -> tuple[set[str], set[str]]:
    """The cases (ever on its team, or of his teams if he manages) and households (his teams'
    areas, and those of his cases) a user works on: reads of these are his own work. As of now,
    not as of the day of the read: a case he has since left still counts as his."""
    from regie.accounts.models import User
    from regie.cases.models import Case, CaseMember
    from regie.housing.models import Tenancy

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return set(), set()
    cases = Q(pk__in=CaseMember.objects.filter(user=user).values("case_id"))
    if user.role == Role.MANAGER:
        cases |= Q(team__in=user.teams.values("pk"))
    case_rows = list(Case.objects.filter(cases).values_list("pk", "household_id"))
    areas = user.teams.values("area_id")
    households = {str(pk) for pk in Tenancy.objects.filter(unit__area_id__in=areas).values_list("pk", flat=True)}
    households |= {str(h) for _, h in case_rows}
    return {str(pk) for pk, _ in case_rows}, households


def _outside_caseload(reads: QuerySet, threshold: int, tz) -> list[dict]:
    # First the few user-days with many distinct records at all (one aggregate query), then only
    # for those, which of the records lay outside the user's own work.
    candidates = (
        reads.filter(record_type__in=SCOPED_KINDS)
        .annotate(day=TruncDate("at", tzinfo=tz), key=Concat("record_type", Value(":"), "record_id"))
        .values("user_id", "username", "day")
        .annotate(n=Count("key", distinct=True))
        .filter(n__gt=threshold)
        .order_by("day", "username")
    )
    flagged = []
    scopes: dict[int, tuple[set[str], set[str]]] = {}
    for row in candidates:
        if row["user_id"] is None:
            continue
        if row["user_id"] not in scopes:  # once per user, however many of his days are flagged
            scopes[row["user_id"]] = _scope_of(row["user_id"])
        cases, households = scopes[row["user_id"]]
        start = datetime.combine(row["day"], time.min, tzinfo=tz)
        seen = set(
            reads.filter(user_id=row["user_id"], at__gte=start, at__lt=start + timedelta(days=1))
            .filter(record_type__in=SCOPED_KINDS)
            .values_list("record_type", "record_id")
            .distinct()
        )
        outside = {(kind, rid) for kind, rid in seen if rid not in (cases if kind == "case" else households)}
        if len(outside) > threshold:
            flagged.append({**row, "outside": len(outside)})
    return flagged


def access_signals(user, *, date_from: date, date_to: date) -> Signals:
    """Unusual access in a period: many reads outside one's own work in a day, reads at night,
    every emergency override, bursts of refused accesses; and the security incidents."""
    require_privacy_officer(user)
    tz = timezone.get_current_timezone()
    period = _period(date_from, date_to)
    reads = AccessLogEntry.objects.filter(period, action=Action.READ, outcome=Outcome.SUCCESS).order_by()
    signals = Signals()
    signals.outside_caseload = _outside_caseload(reads, getattr(settings, "REGIE_UNUSUAL_READS", 20), tz)
    signals.night_reads = list(
        reads.annotate(hour=ExtractHour("at", tzinfo=tz))
        .filter(Q(hour__gte=NIGHT_FROM) | Q(hour__lt=NIGHT_UNTIL))
        .annotate(day=TruncDate("at", tzinfo=tz))
        .values("user_id", "username", "day")
        .annotate(n=Count("id"), first=Min("at"), last=Max("at"))
        .order_by("day", "username")
    )
    signals.emergencies = list(
        EmergencyAccess.objects.filter(_period(date_from, date_to, "granted_at"))
        .select_related("user")
        .order_by("-granted_at")
    )
    signals.emergency_refused = list(
        AccessLogEntry.objects.filter(period, emergency=True, outcome=Outcome.DENIED).order_by("-at")[:200]
    )
    signals.refused_bursts = list(
        AccessLogEntry.objects.filter(period, outcome=Outcome.DENIED)
        .annotate(hour=TruncHour("at", tzinfo=tz))
        .values("user_id", "username", "hour")
        .annotate(n=Count("id"))
        .filter(n__gte=getattr(settings, "REGIE_REFUSED_BURST", 5))
        .order_by("hour", "username")
    )
    signals.incidents = list(
        SecurityIncident.objects.filter(Q(resolved_at__isnull=True) | _period(date_from, date_to, "detected_at"))
        .select_related("resolved_by")
        .order_by("-detected_at")[:100]
    )
    return signals
