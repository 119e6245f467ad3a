"""The retention run: archive closed cases (GEA), and destroy what is past its period (VER) unless
a hold blocks it (GEB) or the law says keep (BEW). One transaction per record, so a failure leaves
that record whole and the run goes on; every destruction leaves a DestructionRecord and a
`delete` entry in the access log.
"""

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone

from regie.audit.models import Action as LogAction
from regie.audit.services import access_record
from regie.cases.models import Case, Status
from regie.housing.models import ArrearsSnapshot, Event, Person, Tenancy
from regie.network.models import Consent
from regie.privacy.anonymise import anonymise_case, anonymise_household, delete_consent_files, live_cases
from regie.privacy.models import (
    ArchiveStatus,
    CaseArchive,
    DestructionRecord,
    Hold,
    HoldKind,
    HoldTarget,
    Nomination,
    RecordKind,
    RetentionRule,
    RetentionRun,
    add_months,
)

logger = logging.getLogger(__name__)

PURPOSE = "retention"


class SystemActor:
    """Who the access log names for the nightly run: Regie itself, not a person."""

    pk = None
    username = "regie-retention"
    role = "system"


SYSTEM = SystemActor()


@dataclass
class HoldIndex:
    """Active holds by case and by household (a person's hold covers his household). BEW wins."""

    cases: dict[int, str] = field(default_factory=dict)
    households: dict[int, str] = field(default_factory=dict)
    reasons: dict[tuple[str, int], list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, *, now=None, ignore_request=None) -> "HoldIndex":
        index = cls()
        holds = Hold.objects.active(now).select_related("person")
        if ignore_request is not None:
            holds = holds.exclude(request=ignore_request)
        for hold in holds:
            if hold.target == HoldTarget.CASE:
                bucket, key = index.cases, hold.record_id
            else:
                bucket, key = index.households, (hold.person.tenancy_id if hold.person_id else hold.record_id)
            if bucket.get(key) != ArchiveStatus.DUTY:
                bucket[key] = hold.status
            index.reasons[("case" if bucket is index.cases else "household", key)].append(hold.get_kind_display())
        return index

    def for_case(self, case_id: int, household_id: int) -> str | None:
        found = {self.cases.get(case_id), self.households.get(household_id)} - {None}
        if ArchiveStatus.DUTY in found:
            return ArchiveStatus.DUTY
        return ArchiveStatus.BLOCKED if found else None

    def for_household(self, household_id: int, case_ids=()) -> str | None:
        found = {self.households.get(household_id)} | {self.cases.get(c) for c in case_ids}
        found.discard(None)
        if ArchiveStatus.DUTY in found:
            return ArchiveStatus.DUTY
        return ArchiveStatus.BLOCKED if found else None


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def day_end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def rules() -> dict[str, RetentionRule]:
    return {r.kind: r for r in RetentionRule.objects.all()}


def destroy_after(rule: RetentionRule | None, start: date) -> date | None:
    if rule is None or rule.nomination == Nomination.KEEP:
        return None
    return add_months(start, rule.months)


def case_archive(*, case: Case, rule: RetentionRule | None = None, hold_status: str | None = None, by=None):
    """A closed case goes to the archive (GEA, or GEB/BEW under a hold) with its destruction date."""
    if case.status != Status.CLOSED or case.closed_at is None:
        raise ValueError("Only a closed case is archived.")
    rule = rule or RetentionRule.objects.filter(kind=RecordKind.CASE_FILE).first()
    with transaction.atomic():
        archive, created = CaseArchive.objects.get_or_create(
            case=case,
            defaults={
                "archive_status": hold_status or ArchiveStatus.ARCHIVED,
                "archived_at": case.closed_at,
                "destroy_after": destroy_after(rule, local_day(case.closed_at)),
            },
        )
        if not created and archive.archive_status != ArchiveStatus.DESTROYED:
            archive.archive_status = hold_status or ArchiveStatus.ARCHIVED
            archive.archived_at = case.closed_at
            archive.destroy_after = destroy_after(rule, local_day(case.closed_at))
            archive.save(update_fields=["archive_status", "archived_at", "destroy_after"])
        access_record(
            user=by or SYSTEM, action=LogAction.UPDATE, record_type="case", record_ids=[case.pk], purpose=PURPOSE
        )
    return archive


def _sync_archive(rules_by_kind, holds: HoldIndex) -> None:
    """Bring every case's archive state in line with its status, the rule and the holds."""
    rule = rules_by_kind.get(RecordKind.CASE_FILE)
    # Re-opened cases are current again.
    CaseArchive.objects.exclude(case__status=Status.CLOSED).exclude(archive_status=ArchiveStatus.DESTROYED).update(
        archive_status=ArchiveStatus.CURRENT, destroy_after=None
    )
    existing = {
        a.case_id: a
        for a in CaseArchive.objects.filter(case__status=Status.CLOSED).exclude(archive_status=ArchiveStatus.DESTROYED)
    }
    for case in (
        Case.objects.filter(status=Status.CLOSED, closed_at__isnull=False)
        .exclude(archive__archive_status=ArchiveStatus.DESTROYED)
        .only("pk", "household_id", "closed_at", "status")
    ):
        status = holds.for_case(case.pk, case.household_id) or ArchiveStatus.ARCHIVED
        after = destroy_after(rule, local_day(case.closed_at))
        archive = existing.get(case.pk)
        if archive is None or (archive.archive_status, archive.destroy_after) != (status, after):
            case_archive(case=case, rule=rule, hold_status=status)


def _due_cases(rule: RetentionRule | None, as_of: date) -> list[tuple[int, int]]:
    """(case id, household id) of closed cases past the case-file period, not yet destroyed."""
    if rule is None or rule.nomination == Nomination.KEEP:
        return []
    # A loose cut in SQL (month lengths differ), then the exact date in Python.
    cutoff = day_end(add_months(as_of, -rule.months) + timedelta(days=3))
    rows = (
        Case.objects.filter(status=Status.CLOSED, closed_at__lt=cutoff)
        .exclude(archive__archive_status=ArchiveStatus.DESTROYED)
        .values_list("pk", "household_id", "closed_at")
        .order_by("pk")
    )
    return [(pk, hh) for pk, hh, closed in rows if add_months(local_day(closed), rule.months) <= as_of]


def destroy_case(*, case_id: int, rule: RetentionRule | None, run=None, request=None, by=None) -> None:
    """One case file to VER: its texts and links to people go, its figures stay (anonymise_case)."""
    now = timezone.now()
    with transaction.atomic():
        consent_ids = list(Consent.objects.filter(case_id=case_id).exclude(document="").values_list("pk", flat=True))
        anonymise_case(case_id)
        CaseArchive.objects.update_or_create(
            case_id=case_id,
            defaults={"archive_status": ArchiveStatus.DESTROYED, "destroyed_at": now},
            # An erasure can reach a closed case the night has not archived yet.
            create_defaults={"archive_status": ArchiveStatus.DESTROYED, "destroyed_at": now, "archived_at": now},
        )
        records = [
            DestructionRecord(kind=RecordKind.CASE_FILE, record_id=str(case_id), rule=rule, run=run, request=request)
        ]
        records += [
            DestructionRecord(kind=RecordKind.CONSENT_DOCUMENT, record_id=str(pk), rule=rule, run=run, request=request)
            for pk in consent_ids
        ]
        DestructionRecord.objects.bulk_create(records)
        access_record(
            user=by or SYSTEM, action=LogAction.DELETE, record_type="case", record_ids=[case_id], purpose=PURPOSE
        )


def destroy_household(*, tenancy_id: int, rule: RetentionRule | None, run=None, request=None, by=None) -> None:
    with transaction.atomic():
        counts = anonymise_household(tenancy_id)
        DestructionRecord.objects.create(
            kind=RecordKind.HOUSEHOLD,
            record_id=str(tenancy_id),
            rows=counts["persons"],
            rule=rule,
            run=run,
            request=request,
        )
        access_record(
            user=by or SYSTEM,
            action=LogAction.DELETE,
            record_type="household",
            record_ids=[tenancy_id],
            purpose=PURPOSE,
        )


def _households_without_live_cases(going=()):
    """Households with no case file left; in a dry run, counting those going tonight as gone."""
    live = live_cases(OuterRef("pk"))
    if going:
        live = live.exclude(pk__in=list(going))
    return Tenancy.objects.annotate(live=Exists(live)).filter(live=False)


@dataclass
class Plan:
    """What one run destroys (or, dry, would destroy), by kind: ids only."""

    ids: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    held: list[int] = field(default_factory=list)


def _plan_cases(rules_by_kind, holds: HoldIndex, as_of: date) -> Plan:
    plan = Plan()
    case_rule = rules_by_kind.get(RecordKind.CASE_FILE)
    for case_id, household_id in _due_cases(case_rule, as_of):
        if holds.for_case(case_id, household_id):
            plan.held.append(case_id)
        else:
            plan.ids[RecordKind.CASE_FILE].append(case_id)
    going = set(plan.ids[RecordKind.CASE_FILE])

    # Consent documents may have a shorter period than the case file they belong to.
    rule = rules_by_kind.get(RecordKind.CONSENT_DOCUMENT)
    if rule and rule.nomination == Nomination.DESTROY:
        for pk, case_id, household_id, closed in (
            Consent.objects.filter(case__status=Status.CLOSED)
            .exclude(document="")
            .values_list("pk", "case_id", "case__household_id", "case__closed_at")
            .order_by("pk")
        ):
            if case_id in going or closed is None or add_months(local_day(closed), rule.months) > as_of:
                continue
            if not holds.for_case(case_id, household_id):
                plan.ids[RecordKind.CONSENT_DOCUMENT].append(pk)
    return plan


def _plan_households(rules_by_kind, holds: HoldIndex, as_of: date, going=()) -> Plan:
    """Events, arrears and former households: only where no case file is left (after the cases)."""
    plan = Plan()
    without_cases = _households_without_live_cases(going)
    for kind, model in ((RecordKind.EVENT, Event), (RecordKind.ARREARS, ArrearsSnapshot)):
        rule = rules_by_kind.get(kind)
        if not rule or rule.nomination != Nomination.DESTROY:
            continue
        cutoff = add_months(as_of, -rule.months)
        rows = (
            model.objects.filter(date__lte=cutoff, tenancy__in=without_cases.values("pk"))
            .values("tenancy_id")
            .annotate(n=Count("pk"))
            .order_by("tenancy_id")
        )
        for row in rows:
            if not holds.for_household(row["tenancy_id"]):
                plan.ids[kind].append((row["tenancy_id"], row["n"]))

    rule = rules_by_kind.get(RecordKind.HOUSEHOLD)
    if rule and rule.nomination == Nomination.DESTROY:
        done = DestructionRecord.objects.filter(kind=RecordKind.HOUSEHOLD, record_id=OuterRef("pk_str"))
        ended = (
            without_cases.filter(end_date__isnull=False, end_date__lte=add_months(as_of, -rule.months))
            .annotate(pk_str=_as_text("pk"))
            .filter(~Exists(done))
            .values_list("pk", flat=True)
            .order_by("pk")
        )
        plan.ids[RecordKind.HOUSEHOLD] = [pk for pk in ended if not holds.for_household(pk)]
    return plan


def _as_text(name: str):
    # DestructionRecord.record_id is text (it names records of any kind).
    return Cast(name, output_field=CharField())


def _destroy_rows(*, model, kind: str, tenancy_id: int, cutoff: date, rule, run, by) -> int:
    with transaction.atomic():
        n, _ = model.objects.filter(tenancy_id=tenancy_id, date__lte=cutoff).delete()
        if n:
            DestructionRecord.objects.create(kind=kind, record_id=str(tenancy_id), rows=n, rule=rule, run=run)
            access_record(
                user=by or SYSTEM,
                action=LogAction.DELETE,
                record_type="household",
                record_ids=[tenancy_id],
                purpose=PURPOSE,
            )
    return n


def _destroy_consent(*, consent_id: int, rule, run, by) -> None:
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent_id)
        if delete_consent_files([consent]):
            DestructionRecord.objects.create(
                kind=RecordKind.CONSENT_DOCUMENT, record_id=str(consent_id), rule=rule, run=run
            )
            access_record(
                user=by or SYSTEM,
                action=LogAction.DELETE,
                record_type="case",
                record_ids=[consent.case_id],
                purpose=PURPOSE,
            )


def retention_run(*, as_of: date, dry_run: bool = False, by=None) -> RetentionRun:
    """Archive, then destroy what is due on `as_of`. A dry run records the run and changes nothing
    else; `run.planned` holds the ids either way (for the command's report)."""
    run = RetentionRun.objects.create(as_of=as_of, dry_run=dry_run, by=by if getattr(by, "pk", None) else None)
    rules_by_kind = rules()
    holds = HoldIndex.build()
    if not dry_run:
        _sync_archive(rules_by_kind, holds)
    counts: Counter = Counter()
    errors: list[dict] = []

    def attempt(label: str, record_id, fn, **kwargs) -> None:
        try:
            fn(**kwargs)
        except Exception as exc:  # noqa: BLE001 - one record's failure must not stop the night's run
            # The class name and the id only: an exception's message can quote the record.
            logger.error("retention: %s %s failed (%s)", label, record_id, type(exc).__name__)
            errors.append({"kind": label, "id": str(record_id), "error": type(exc).__name__})
        else:
            counts[label] += 1

    def execute(plan: Plan) -> None:
        for kind, ids in plan.ids.items():
            counts[kind] += 0
            if dry_run:
                counts[kind] = len(ids)
                continue
            rule = rules_by_kind.get(kind)
            for item in ids:
                if kind == RecordKind.CASE_FILE:
                    attempt(kind, item, destroy_case, case_id=item, rule=rule, run=run, by=by)
                elif kind == RecordKind.CONSENT_DOCUMENT:
                    attempt(kind, item, _destroy_consent, consent_id=item, rule=rule, run=run, by=by)
                elif kind in (RecordKind.EVENT, RecordKind.ARREARS):
                    model = Event if kind == RecordKind.EVENT else ArrearsSnapshot
                    cutoff = add_months(as_of, -rule.months)
                    attempt(
                        kind,
                        item[0],
                        _destroy_rows,
                        model=model,
                        kind=kind,
                        tenancy_id=item[0],
                        cutoff=cutoff,
                        rule=rule,
                        run=run,
                        by=by,
                    )
                elif kind == RecordKind.HOUSEHOLD:
                    attempt(kind, item, destroy_household, tenancy_id=item, rule=rule, run=run, by=by)

    cases = _plan_cases(rules_by_kind, holds, as_of)
    execute(cases)
    going = cases.ids[RecordKind.CASE_FILE] if dry_run else ()
    households = _plan_households(rules_by_kind, holds, as_of, going)
    execute(households)

    counts["held"] = len(cases.held)
    run.counts = dict(counts)
    run.errors = errors
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "errors", "finished_at"])
    planned = {**cases.ids, **households.ids}
    run.planned = {k: [i[0] if isinstance(i, tuple) else i for i in v] for k, v in planned.items()}
    run.planned["held"] = cases.held
    return run


def household_holds(tenancy_id: int, *, ignore_request=None) -> list[str]:
    """The kinds of the active holds that touch a household or one of its cases or members."""
    case_ids = list(Case.objects.filter(household_id=tenancy_id).values_list("pk", flat=True))
    person_ids = list(Person.objects.filter(tenancy_id=tenancy_id).values_list("pk", flat=True))
    holds = Hold.objects.active().filter(
        Q(target=HoldTarget.HOUSEHOLD, record_id=tenancy_id)
        | Q(target=HoldTarget.CASE, record_id__in=case_ids)
        | Q(target=HoldTarget.PERSON, person_id__in=person_ids)
    )
    if ignore_request is not None:
        holds = holds.exclude(request=ignore_request)
    return sorted({h.kind for h in holds})


BLOCKING_ERASURE = (HoldKind.DUTY, HoldKind.PROCEDURE, HoldKind.INVESTIGATION)
