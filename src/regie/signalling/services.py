"""Every write of the signal inbox: detection runs, inbox decisions, case signals.

Each service is one transaction and writes its audit trail: the run or decision row names who did
it, a case's timeline records what came from the inbox, and reads of households are logged.
"""

import json
import time
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import User
from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.models import Case, EntryKind, TimelineEntry
from regie.cases.services import case_open
from regie.housing.models import Event, Tenancy
from regie.signalling import rules
from regie.signalling.models import Candidate, CaseSignal, DetectionRun, Flag, RuleSet

# Runs whose flags are kept; older runs keep their row (when, which rules, how many) but not their
# flags, so a nightly run doesn't grow the table by a corporation's worth of rows each night.
KEEP_RUNS = 14


def _event_pks(rules: dict) -> set[int]:
    """The events behind the fired rules (a finding's `rules`, or a stored flag's detail["rules"])."""
    return {pk for rule in rules.values() for pk in rule.get("event_pks", ())}


@transaction.atomic
def detection_run(
    *, as_of: date, trigger: str, by: User | None = None, rule_set: RuleSet | None = None
) -> DetectionRun:
    """Run detection on `as_of` with the rules in force, store the flags and update the inbox.

    Multi-problem households without an open case become inbox candidates (a dismissed one comes
    back only when a newer event arrived or its arrears band rose); households with an open case
    get their new signals on the case instead.
    """
    from regie.signalling.detection import detect

    rule_set = rule_set or rules.current()
    started = time.monotonic()
    findings = detect(as_of=as_of, config=rule_set.config)
    run = DetectionRun.objects.create(as_of=as_of, rule_set=rule_set, trigger=trigger, triggered_by=by)
    _insert_flags(run, findings)
    multi = [f for f in findings if f.multi_problem]
    _update_inbox(run, multi)
    run.households = len(findings)
    run.multi_problem = len(multi)
    run.finished_at = timezone.now()
    run.seconds = round(time.monotonic() - started, 3)
    run.save(update_fields=["households", "multi_problem", "finished_at", "seconds"])
    old = DetectionRun.objects.order_by("-started_at", "-pk").values_list("pk", flat=True)[KEEP_RUNS:]
    Flag.objects.filter(run_id__in=list(old)).delete()
    return run


def _flag_detail(f) -> dict:
    # Finding.rules and .severities are JSON-ready already (the engine promises it); only the
    # figures of F1 need turning into text.
    return {
        "severities": f.severities,
        "rules": f.rules,
        "balance": str(f.balance),
        "months": str(f.months),
        "snapshot": f.snapshot.isoformat() if f.snapshot else None,
    }


def _insert_flags(run: DetectionRun, findings: list) -> None:
    """Store the run's flags: with COPY on PostgreSQL (a national run has a million of them; model
    instances and INSERTs cost seconds per hundred thousand), with bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        Flag.objects.bulk_create(
            [
                Flag(
                    run=run,
                    tenancy_id=f.tenancy_pk,
                    domains="|".join(f.domains),
                    score=f.score,
                    multi_problem=f.multi_problem,
                    latest_event_date=f.latest_event_date,
                    arrears_band=f.arrears_band,
                    detail=_flag_detail(f),
                )
                for f in findings
            ],
            batch_size=2000,
        )
        return
    columns = "run_id, tenancy_id, domains, score, multi_problem, latest_event_date, arrears_band, detail"
    # The table name comes from the model, the rows go through COPY's own protocol.
    sql = f"COPY {Flag._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for f in findings:
            copy.write_row(
                (
                    run.pk,
                    f.tenancy_pk,
                    "|".join(f.domains),
                    f.score,
                    f.multi_problem,
                    f.latest_event_date,
                    f.arrears_band,
                    json.dumps(_flag_detail(f)),
                )
            )


def _update_inbox(run: DetectionRun, multi: list) -> None:
    open_cases = dict(
        Case.objects.open().filter(household_id__in=[f.tenancy_pk for f in multi]).values_list("household_id", "pk")
    )
    candidates = {c.tenancy_id: c for c in Candidate.objects.filter(tenancy_id__in=[f.tenancy_pk for f in multi])}
    latest_event = dict(
        Event.objects.filter(tenancy_id__in=list(candidates))
        .values("tenancy_id")
        .annotate(m=Max("pk"))
        .values_list("tenancy_id", "m")
    )
    new, back, on_cases = [], [], []
    for f in multi:
        if f.tenancy_pk in open_cases:
            on_cases.append((open_cases[f.tenancy_pk], f))
            continue
        candidate = candidates.get(f.tenancy_pk)
        if candidate is None:
            new.append(Candidate(tenancy_id=f.tenancy_pk))
        elif candidate.status == Candidate.Status.DISMISSED:
            newer_event = (latest_event.get(f.tenancy_pk) or 0) > (candidate.dismissed_max_event or 0)
            if newer_event or f.arrears_band > (candidate.dismissed_band or 0):
                back.append(candidate)
        elif candidate.status in (Candidate.Status.CASE_OPENED, Candidate.Status.LINKED):
            # Its case has been closed since (an open one was handled above): a new candidate.
            back.append(candidate)
    Candidate.objects.bulk_create(new, batch_size=2000)
    for candidate in back:
        candidate.status = Candidate.Status.NEW
        candidate.case = None
    Candidate.objects.bulk_update(back, ["status", "case"], batch_size=2000)
    _signal_cases(run, on_cases)


def _signal_cases(run: DetectionRun, on_cases: list) -> None:
    """Put the events each open case hasn't shown yet onto it as a new signal.

    Shown are the events of earlier signals on the case and those the case was opened or linked
    with from the inbox. A case opened straight from the household page gets the household's
    current signals once, at the next run: the director learns which rules fire. Two reads for
    all cases together: a corporation has thousands of open cases.
    """
    case_ids = [case_id for case_id, _finding in on_cases]
    seen: dict[int, set[int]] = {case_id: set() for case_id in case_ids}
    for case_id, ids in CaseSignal.objects.filter(case_id__in=case_ids).values_list("case_id", "event_ids"):
        seen[case_id].update(ids)
    entries = TimelineEntry.objects.filter(case_id__in=case_ids, kind=EntryKind.SIGNAL)
    for case_id, data in entries.values_list("case_id", "data"):
        seen[case_id].update(data.get("event_ids", []))
    signals = []
    for case_id, finding in on_cases:
        fresh = sorted(_event_pks(finding.rules) - seen[case_id])
        if fresh:
            signals.append(
                CaseSignal(
                    case_id=case_id, run=run, domains="|".join(finding.domains), score=finding.score, event_ids=fresh
                )
            )
    CaseSignal.objects.bulk_create(signals, batch_size=2000)


def _candidate(tenancy: Tenancy) -> Candidate:
    candidate = Candidate.objects.select_for_update().filter(tenancy=tenancy).first()
    if candidate is None or candidate.status not in (Candidate.Status.NEW, Candidate.Status.ASSIGNED):
        raise ValidationError(_("This household is no longer waiting in the inbox; reload the page."))
    return candidate


def _decide(candidate: Candidate, by: User, status: str, **fields) -> Candidate:
    candidate.status = status
    candidate.decided_at = timezone.now()
    candidate.decided_by = by
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.save()
    access_record(user=by, action=Action.UPDATE, record_type="household", record_ids=[candidate.tenancy_id])
    return candidate


def latest_flag(tenancy: Tenancy) -> Flag | None:
    return Flag.objects.filter(tenancy=tenancy).select_related("run__rule_set").order_by("-run__started_at").first()


@transaction.atomic
def candidate_dismiss(*, tenancy: Tenancy, by: User, reason: str) -> Candidate:
    """Dismiss with a reason; it comes back after a newer event or a higher arrears band."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this household needs no case now.")})
    candidate = _candidate(tenancy)
    flag = latest_flag(tenancy)
    max_event = Event.objects.filter(tenancy=tenancy).aggregate(m=Max("pk"))["m"] or 0
    return _decide(
        candidate,
        by,
        Candidate.Status.DISMISSED,
        reason=reason,
        dismissed_max_event=max_event,
        dismissed_band=flag.arrears_band if flag else 0,
        assigned_to=None,
    )


@transaction.atomic
def candidate_assign(*, tenancy: Tenancy, by: User, to: User) -> Candidate:
    """Hand the candidate to a colleague of one's own team, to look into."""
    if not to.is_active or not to.teams.filter(pk__in=by.teams.values("pk")).exists():
        raise ValidationError({"to": _("Choose a colleague of your own team.")})
    candidate = _candidate(tenancy)
    return _decide(candidate, by, Candidate.Status.ASSIGNED, assigned_to=to)


def _signal_entry(case: Case, by: User, flag: Flag | None, *, linked_from: Tenancy | None = None) -> None:
    data = {}
    if flag is not None:
        data = {
            "domains": flag.domain_list,
            "score": flag.score,
            "rules_version": flag.run.rule_set.version,
            "event_ids": sorted(_event_pks(flag.detail.get("rules", {}))),
        }
    if linked_from is not None:
        data["linked_household"] = linked_from.pk
    TimelineEntry.objects.create(case=case, kind=EntryKind.SIGNAL, actor=by, data=data)


@transaction.atomic
def candidate_open_case(*, tenancy: Tenancy, by: User, question: str = "") -> Case:
    """Open a case from the inbox; the signal's rules and events go onto its timeline."""
    candidate = _candidate(tenancy)
    case = case_open(household=tenancy, director=by, by=by, question=question)
    _signal_entry(case, by, latest_flag(tenancy))
    _decide(candidate, by, Candidate.Status.CASE_OPENED, case=case)
    return case


@transaction.atomic
def candidate_link(*, tenancy: Tenancy, case: Case, by: User) -> Candidate:
    """Link the signal to an open case (of a related household): it shows there as a new signal."""
    if not case.is_open:
        raise ValidationError({"case": _("Choose an open case.")})
    candidate = _candidate(tenancy)
    flag = latest_flag(tenancy)
    if flag is not None:
        CaseSignal.objects.create(
            case=case,
            run=flag.run,
            domains=flag.domains,
            score=flag.score,
            event_ids=sorted(_event_pks(flag.detail.get("rules", {}))),
        )
    _signal_entry(case, by, flag, linked_from=tenancy)
    return _decide(candidate, by, Candidate.Status.LINKED, case=case)


@transaction.atomic
def case_signal_acknowledge(*, signal: CaseSignal, by: User) -> CaseSignal:
    if signal.acknowledged_at is not None:
        return signal
    signal.acknowledged_at = timezone.now()
    signal.acknowledged_by = by
    signal.save(update_fields=["acknowledged_at", "acknowledged_by"])
    access_record(user=by, action=Action.UPDATE, record_type="case", record_ids=[signal.case_id])
    return signal


@transaction.atomic
def rules_update(*, config: dict, by: User, note: str = "") -> RuleSet:
    """Store an edited rule configuration as the next version (the old ones stay, for the flags)."""
    merged = rules.validate(config)
    current = rules.current()
    if merged == current.config:
        raise ValidationError(_("Nothing changed: the rules are the same as version %(v)s.") % {"v": current.version})
    last = RuleSet.objects.select_for_update().order_by("-version").first()
    return RuleSet.objects.create(version=last.version + 1, config=merged, created_by=by, note=note.strip()[:300])
