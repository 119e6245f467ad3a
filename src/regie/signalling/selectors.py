"""Reads of the signal inbox that depend on who asks."""

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from regie.cases.models import Case
from regie.housing.models import Event, Tenancy
from regie.housing.selectors import area_ids_of
from regie.signalling.models import Candidate, CaseSignal, DetectionRun, Flag
from regie.signalling.rules import Domain

# The rules of DETECTION.md and the domain each one belongs to; ONT is the score bonus for a
# scheduled eviction (it has points, not a severity).
RULE_DOMAIN = {"F1": "FINANCES", "F2": "FINANCES", "F3": "FINANCES", "B1": "BEHAVIOUR"}
RULE_DOMAIN |= {"L1": "LIVEABILITY", "L2": "LIVEABILITY", "C1": "CARE", "ONT": "FINANCES"}

# In the order a page lists them: by domain (FINANCES|BEHAVIOUR|LIVEABILITY|CARE).
RULE_LABELS = {
    "F1": _("arrears"),
    "F2": _("legal steps"),
    "F3": _("finance reports"),
    "ONT": _("eviction scheduled"),
    "B1": _("nuisance"),
    "L1": _("no access"),
    "L2": _("liveability reports"),
    "C1": _("care"),
}

WAITING = (Candidate.Status.NEW, Candidate.Status.ASSIGNED)


def latest_run() -> DetectionRun | None:
    return DetectionRun.objects.select_related("rule_set").order_by("-started_at", "-pk").first()


def inbox(user, *, run: DetectionRun | None, mine: bool = False) -> QuerySet[Flag]:
    """The multi-problem households of the user's areas waiting for a decision, in inbox order
    (DETECTION.md: score, latest event date, tenancy number as text)."""
    if run is None or not user.is_authenticated or not user.reads_case_content:
        return Flag.objects.none()
    qs = Flag.objects.filter(
        run=run,
        multi_problem=True,
        tenancy__unit__area_id__in=area_ids_of(user),
        tenancy__candidate__status__in=WAITING,
    ).exclude(Exists(Case.objects.open().filter(household=OuterRef("tenancy_id"))))
    if mine:
        qs = qs.filter(tenancy__candidate__assigned_to=user)
    return qs.select_related("tenancy__unit", "tenancy__candidate__assigned_to").order_by(
        "-score", F("latest_event_date").desc(nulls_last=True), "tenancy__tenancy_id"
    )


def household_flag(tenancy: Tenancy) -> Flag | None:
    """The household's flag in the latest run, single signals included (None: nothing fired)."""
    run = latest_run()
    if run is None:
        return None
    return Flag.objects.filter(run=run, tenancy=tenancy).select_related("run__rule_set").first()


def explain(flag: Flag) -> list[dict]:
    """The rules that fired, each with its domain, severity and the events behind it, for display."""
    rules = flag.detail.get("rules", {})
    pks = {pk for rule in rules.values() for pk in rule.get("event_pks", [])}
    events = {e.pk: e for e in Event.objects.filter(pk__in=pks)}
    out = []
    for code in sorted(rules, key=lambda c: (list(RULE_LABELS).index(c) if c in RULE_LABELS else 99, c)):
        rule = rules[code]
        out.append(
            {
                "code": code,
                "label": RULE_LABELS.get(code, ""),
                "domain": RULE_DOMAIN.get(code, ""),
                "domain_label": Domain(RULE_DOMAIN[code]).label if code in RULE_DOMAIN else "",
                "severity": rule.get("severity"),
                "points": rule.get("points"),
                "events": sorted(
                    (events[pk] for pk in rule.get("event_pks", []) if pk in events),
                    key=lambda e: (e.date, e.pk),
                    reverse=True,
                ),
            }
        )
    return out


def open_signals(case: Case) -> list[CaseSignal]:
    """New signals on the case, not yet acknowledged by its director, with their events."""
    signals = list(CaseSignal.objects.filter(case=case, acknowledged_at__isnull=True).order_by("-created_at"))
    pks = {pk for s in signals for pk in s.event_ids}
    events = {e.pk: e for e in Event.objects.filter(pk__in=pks)}
    for s in signals:
        s.events = sorted((events[pk] for pk in s.event_ids if pk in events), key=lambda e: e.date, reverse=True)
        s.domain_labels = [Domain(d).label for d in s.domains.split("|") if d]
    return signals
