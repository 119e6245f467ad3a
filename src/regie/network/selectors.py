"""Reads of the network: the directory and its search, an organisation's measured response times
and the cases it is engaged in (only those the reader may see), and a case's network.

The directory itself holds no personal data of tenants, so every colleague may read it; what ties
an organisation to a household (referrals, department actions) is shown only for cases the reader
may see (`cases_visible_to`), and logged.
"""

import re
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation

from regie.accounts.models import Department
from regie.audit.models import Action as LogAction
from regie.audit.services import access_record
from regie.cases.selectors import cases_visible_to
from regie.network.models import Consent, Organisation, PartnerType, Referral
from regie.network.workflow import ENGAGED
from regie.plans.models import Action

# Words that carry no meaning in a directory search ("wie helpt bij verslaving in deze wijk").
STOPWORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "at",
        "bij",
        "buurt",
        "de",
        "deze",
        "die",
        "district",
        "dit",
        "een",
        "en",
        "for",
        "helps",
        "helpt",
        "het",
        "in",
        "met",
        "of",
        "on",
        "op",
        "that",
        "the",
        "this",
        "van",
        "voor",
        "wat",
        "what",
        "who",
        "wie",
        "wijk",
        "with",
    )
)
SEARCH_FIELDS = ("name", "services", "must", "may", "working_area", "referral_criteria", "referral_route")


def may_use_directory(user) -> bool:
    """Every colleague may look partners up; only professionals and managers see the cases behind them."""
    return user.is_authenticated and user.is_active


def _stems(word: str) -> list[str]:
    """The word, and for longer Dutch words a crude stem ("schulden" → "schuld"), so the search
    finds "schuldhulpverlening" too. Not a stemmer: just the common plural endings."""
    out = [word]
    for ending in ("en", "s", "e"):
        if len(word) >= 6 and word.endswith(ending):
            out.append(word[: -len(ending)])
            break
    return out


def _label_codes(choices, stem: str) -> list[str]:
    """Codes whose label, in the reader's language or in English, contains the stem."""
    with translation.override("en"):
        english = {value: str(label).lower() for value, label in choices}
    return [value for value, label in choices if stem in str(label).lower() or stem in english[value]]


def _search_q(q: str) -> Q:
    condition = Q()
    for word in re.findall(r"\w+", q.lower()):
        if word in STOPWORDS or len(word) < 2:
            continue
        any_of = Q()
        for stem in _stems(word):
            for name in SEARCH_FIELDS:
                any_of |= Q(**{f"{name}__icontains": stem})
            any_of |= Q(partner_type__in=_label_codes(PartnerType.choices, stem))
            any_of |= Q(department__in=_label_codes(Department.choices, stem))
            area = Organisation.areas.through.objects.filter(organisation_id=OuterRef("pk"), area__name__icontains=stem)
            any_of |= Q(Exists(area))
        condition &= any_of
    return condition


def directory(
    *, q: str = "", kind: str = "", partner_type: str = "", area=None, include_inactive: bool = False
) -> QuerySet[Organisation]:
    """Organisations matching every word of `q` in their name, services, must/may, criteria,
    working area or type; in `area` means serving that area or, with no areas set, the whole
    municipality."""
    qs = Organisation.objects.all()
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if partner_type:
        qs = qs.filter(partner_type=partner_type)
    if area is not None:
        through = Organisation.areas.through.objects.filter(organisation_id=OuterRef("pk"))
        qs = qs.filter(Exists(through.filter(area=area)) | ~Exists(through))
    if q.strip():
        qs = qs.filter(_search_q(q))
    return qs.order_by("kind", "name", "pk")


def organisation_for(user, pk: int) -> Organisation:
    if not may_use_directory(user):
        raise Http404
    # Inactive organisations keep their page: old referrals still link to it.
    org = Organisation.objects.filter(pk=pk).prefetch_related("areas").first()
    if org is None:
        raise Http404
    return org


# -- response times ------------------------------------------------------------------------------


@dataclass
class ResponseStats:
    expected_days: int
    answered: int = 0
    median_days: float | None = None
    mean_days: float | None = None
    within_expected: float | None = None  # share of answers within the expected time, 0..1
    waiting: int = 0
    overdue: int = 0
    days: list[float] = field(default_factory=list, repr=False)

    @property
    def within_percent(self) -> int | None:
        return None if self.within_expected is None else round(self.within_expected * 100)


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400


def response_stats(organisations, *, now: datetime | None = None) -> dict[int, ResponseStats]:
    """Measured response times per organisation: days from sent to the first answer (accepted or
    declined) over all its referrals; one query for any number of organisations."""
    now = now or timezone.now()
    orgs = {o.pk: o for o in organisations}
    stats = {pk: ResponseStats(expected_days=o.expected_response_days) for pk, o in orgs.items()}
    rows = Referral.objects.filter(organisation_id__in=list(orgs)).values_list(
        "organisation_id", "sent_at", "answered_at"
    )
    for org_id, sent_at, answered_at in rows:
        s = stats[org_id]
        if answered_at is None:
            s.waiting += 1
            if sent_at + timedelta(days=s.expected_days) < now:
                s.overdue += 1
        else:
            s.days.append(_days(answered_at - sent_at))
    for s in stats.values():
        if s.days:
            s.answered = len(s.days)
            s.median_days = round(statistics.median(s.days), 1)
            s.mean_days = round(statistics.fmean(s.days), 1)
            s.within_expected = sum(d <= s.expected_days for d in s.days) / len(s.days)
    return stats


def is_overdue(referral: Referral, now: datetime | None = None) -> bool:
    """Sent and not answered within the partner's expected response time."""
    now = now or timezone.now()
    return referral.status == Referral.Status.SENT and (
        referral.sent_at + timedelta(days=referral.organisation.expected_response_days) < now
    )


# -- what an organisation is engaged in ----------------------------------------------------------


@dataclass
class Engagement:
    case: object
    status: str
    status_label: str
    since: object
    active: bool
    overdue: bool = False


def engaged_cases(user, org: Organisation, *, limit: int = 200) -> list[Engagement]:
    """The cases the organisation is engaged in that `user` may see, active ones first; the cases
    shown are logged as read. A partner through referrals, a department through plan actions."""
    visible = cases_visible_to(user)
    now = timezone.now()
    rows: list[Engagement] = []
    if org.kind == Organisation.Kind.PARTNER:
        referrals = (
            Referral.objects.filter(organisation=org, case__in=visible)
            .select_related("case__household", "organisation")
            .order_by("-sent_at", "-pk")[:limit]
        )
        for r in referrals:
            rows.append(
                Engagement(
                    case=r.case,
                    status=r.status,
                    status_label=r.get_status_display(),
                    since=r.sent_at,
                    active=r.status in (Referral.Status.SENT, *ENGAGED),
                    overdue=is_overdue(r, now),
                )
            )
    else:
        actions = (
            Action.objects.filter(who=Action.Who.DEPARTMENT, department=org.department, case__in=visible)
            .select_related("case__household")
            .order_by("-created_at", "-pk")[:limit]
        )
        for a in actions:
            rows.append(
                Engagement(
                    case=a.case,
                    status=a.status,
                    status_label=a.get_status_display(),
                    since=a.created_at,
                    active=a.status in (Action.Status.OPEN, Action.Status.IN_PROGRESS),
                    overdue=bool(a.due and a.due < timezone.localdate() and a.status != Action.Status.DONE),
                )
            )
    rows.sort(key=lambda e: (not e.active, -e.since.timestamp()))
    access_record(user=user, action=LogAction.READ, record_type="case", record_ids=sorted({e.case.pk for e in rows}))
    return rows


# -- a case's network ----------------------------------------------------------------------------


def case_consents(case) -> list[Consent]:
    return list(
        Consent.objects.filter(case=case)
        .select_related("person", "organisation", "recorded_by")
        .order_by("-given_on", "-pk")
    )


def case_referrals(case) -> list[Referral]:
    return list(
        Referral.objects.filter(case=case)
        .select_related("organisation", "contact", "consent__person", "created_by")
        .prefetch_related("events")
        .order_by("-sent_at", "-pk")
    )


def case_department_actions(case) -> list[Action]:
    """The plan's actions for internal departments (owned by the plan; read here for the picture)."""
    return list(
        Action.objects.filter(case=case, who=Action.Who.DEPARTMENT)
        .exclude(status=Action.Status.CANCELLED)
        .select_related("assignee")
        # Undated actions last on every database (SQLite would put NULL first).
        .order_by("department", F("due").asc(nulls_last=True), "pk")
    )


def departments_by_code(codes) -> dict[str, Organisation]:
    """The directory's entry of each internal department named, with its active contact people."""
    out: dict[str, Organisation] = {}
    qs = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, department__in=list(codes), is_active=True)
    for org in qs.prefetch_related("people").order_by("pk"):
        out.setdefault(org.department, org)
    return out
