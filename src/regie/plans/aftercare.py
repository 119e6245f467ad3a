"""Evaluation moments, the closing assessment and aftercare checks: the writes and the reads.

Decisions (docs/aftercare.md says more):

- An evaluation moment is done when `done_at` is set (`evaluation_complete`) or, read-time, when
  the case has an assessment with moment "evaluation" dated no more than `EARLY_DAYS` before its
  due date. The plan's assessment service need not know about evaluations; it may call
  `evaluations_settle` to store the link.
- Closing without a closing assessment is allowed (an outcome is what closing needs); the case
  page warns and the closed case carries a "closing assessment missing" mark.
- Closing schedules the checks (`REGIE_AFTERCARE_MONTHS`, default 3 and 12 months after the
  closing date, clamped to the month's end), except when the household is gone (moved away,
  evicted, tenant deceased).
- When the household is back under direction (the case re-opened, or a new case opened for it),
  its pending checks answer themselves: they are settled as "new case needed", kept as history.
- A case opened within 12 months of the household's previous case closing (inclusive: the same
  calendar day 12 months later still counts) is a recurrence.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateField, Max, OuterRef, QuerySet, Subquery, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.models import Case, EntryKind, Outcome, Status, TimelineEntry
from regie.cases.selectors import case_for
from regie.core.paging import compiled_rows
from regie.housing.models import Unit
from regie.plans.models import AftercareCheck, Assessment, Evaluation

# An evaluation assessment made up to this many days before the planned moment still answers it.
EARLY_DAYS = 7
# The caseload lists what is overdue and what falls due within this many days.
DUE_HORIZON_DAYS = 14
RECURRENCE_MONTHS = 12
# The household is gone: nobody to check on.
NO_AFTERCARE = frozenset({Outcome.MOVED, Outcome.EVICTED, Outcome.DECEASED})

Result = AftercareCheck.Result


def add_months(day: date, months: int) -> date:
    """`day` moved `months` calendar months on; a day the month lacks becomes its last (31 Aug + 3 = 30 Nov)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def aftercare_months() -> tuple[int, ...]:
    """The months after closure at which a check falls due (setting REGIE_AFTERCARE_MONTHS)."""
    months = getattr(settings, "REGIE_AFTERCARE_MONTHS", (3, 12)) or ()
    return tuple(sorted({int(m) for m in months if int(m) > 0}))


def is_recurrence(closed_at: datetime | None, opened_at: datetime) -> bool:
    """Opened within 12 months of the closing, compared as local calendar days, the last day included."""
    if closed_at is None:
        return False
    closed_on = timezone.localdate(closed_at)
    opened_on = timezone.localdate(opened_at)
    return closed_on <= opened_on <= add_months(closed_on, RECURRENCE_MONTHS)


def previous_case_for_recurrence(household, opened_at: datetime) -> Case | None:
    """The household's most recently closed case, when the new one is a recurrence of it."""
    previous = (
        Case.objects.filter(household=household, status=Status.CLOSED, closed_at__isnull=False)
        .order_by("-closed_at", "-pk")
        .first()
    )
    return previous if previous is not None and is_recurrence(previous.closed_at, opened_at) else None


def _entry(case_id: int, by, kind: str = EntryKind.AFTERCARE, text: str = "", **data) -> None:
    TimelineEntry.objects.create(case_id=case_id, kind=kind, actor=by, at=timezone.now(), text=text, data=data)


def _log(case_ids, by, action: str = Action.UPDATE) -> None:
    access_record(user=by, action=action, record_type="case", record_ids=case_ids)


# -- aftercare checks -------------------------------------------------------------------------


@transaction.atomic
def aftercare_schedule(*, case: Case, by, months: tuple[int, ...] | None = None) -> list[AftercareCheck]:
    """Plan the checks after a closure. Called by `case_transition` inside its transaction (which
    logs the write); returns no checks when the household is gone."""
    if case.status != Status.CLOSED or case.closed_at is None:
        raise ValidationError(_("Aftercare checks are planned when a case closes."))
    if case.outcome in NO_AFTERCARE:
        return []
    closed_on = timezone.localdate(case.closed_at)
    dues = sorted({add_months(closed_on, m) for m in (months if months is not None else aftercare_months())})
    checks = AftercareCheck.objects.bulk_create([AftercareCheck(case=case, due=d) for d in dues])
    if checks:
        _entry(case.pk, by, event="scheduled", dues=[d.isoformat() for d in dues])
    return checks


@transaction.atomic
def aftercare_settle_pending(*, cases: list[Case], by, reason: str) -> int:
    """The household is back under direction (`reason`: "reopened" or "new_case"): the pending
    checks of these cases are settled as "new case needed" and kept as history."""
    ids = [c.pk for c in cases]
    pending = AftercareCheck.objects.filter(case_id__in=ids, done_at__isnull=True)
    settled = sorted(set(pending.values_list("case_id", flat=True)))
    if not settled:
        return 0
    count = pending.update(done_at=timezone.now(), done_by=by, result=Result.REOPENED)
    # A re-opened case tells it on its own timeline; a new case tells it on its opening entry
    # (`recurrence_of`), and the old case's checks show "new case needed".
    if reason == "reopened":
        for case_id in settled:
            _entry(case_id, by, event="settled", reason=reason)
    return count


@transaction.atomic
def aftercare_check_record(
    *, check: AftercareCheck, result: str, by, note: str = "", next_check: date | None = None
) -> AftercareCheck:
    """Record a check: how it goes with the household. A concern may plan one more check."""
    check = AftercareCheck.objects.select_for_update().select_related("case").get(pk=check.pk)
    errors = {}
    if check.done_at is not None:
        raise ValidationError(_("This aftercare check was already recorded."))
    if check.case.status != Status.CLOSED:
        raise ValidationError(_("The case is open again; aftercare checks belong to a closed case."))
    if result not in Result.values:
        errors["result"] = _("Choose how it goes with the household.")
    if next_check is not None:
        if result != Result.CONCERN:
            errors["next_check"] = _("A further check is planned only when there is a concern.")
        elif next_check <= timezone.localdate():
            errors["next_check"] = _("Plan the further check after today.")
    if errors:
        raise ValidationError(errors)
    check.result, check.note, check.done_at, check.done_by = result, note.strip(), timezone.now(), by
    check.full_clean(exclude=["case", "done_by"])
    check.save(update_fields=["result", "note", "done_at", "done_by"])
    data = {"event": "recorded", "result": result, "due": check.due.isoformat()}
    if next_check is not None:
        AftercareCheck.objects.create(case=check.case, due=next_check)
        data["next_check"] = next_check.isoformat()
    _entry(check.case_id, by, text=check.note, **data)
    _log([check.case_id], by)
    return check


# -- evaluation moments -----------------------------------------------------------------------


@transaction.atomic
def evaluation_plan(*, case: Case, due: date, by) -> Evaluation:
    """Plan an evaluation moment on an open case."""
    if not case.is_open:
        raise ValidationError(_("A closed case has no evaluations to plan."))
    if due < timezone.localdate():
        raise ValidationError({"due": _("An evaluation is planned for today or later.")})
    if Evaluation.objects.filter(case=case, due=due).exists():
        raise ValidationError({"due": _("An evaluation is already planned on this day.")})
    evaluation = Evaluation(case=case, due=due)
    evaluation.full_clean(exclude=["case"])
    evaluation.save()
    _entry(case.pk, by, kind=EntryKind.PLAN, event="evaluation_planned", due=due.isoformat())
    _log([case.pk], by)
    return evaluation


@transaction.atomic
def evaluation_cancel(*, evaluation: Evaluation, by) -> None:
    """Take a planned evaluation off the case; a done one stays."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.done_at is not None:
        raise ValidationError(_("This evaluation is done; it stays on the case."))
    case_id, due = evaluation.case_id, evaluation.due
    evaluation.delete()
    _entry(case_id, by, kind=EntryKind.PLAN, event="evaluation_cancelled", due=due.isoformat())
    _log([case_id], by)


def _answers(assessment: Assessment, evaluation: Evaluation) -> bool:
    return (
        assessment.case_id == evaluation.case_id
        and assessment.moment == Assessment.Moment.EVALUATION
        and (evaluation.due - assessment.assessed_on).days <= EARLY_DAYS
    )


@transaction.atomic
def evaluation_complete(*, evaluation: Evaluation, assessment: Assessment, by) -> Evaluation:
    """Store that this evaluation assessment answers this evaluation moment."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.done_at is not None:
        raise ValidationError(_("This evaluation is already done."))
    if not _answers(assessment, evaluation):
        raise ValidationError(
            _("Only an evaluation assessment of this case, made at or after the planned moment, completes it.")
        )
    if Evaluation.objects.filter(assessment=assessment).exists():
        raise ValidationError(_("This assessment already completes another evaluation."))
    evaluation.assessment, evaluation.done_at = assessment, timezone.now()
    evaluation.save(update_fields=["assessment", "done_at"])
    _log([evaluation.case_id], by)
    return evaluation


def evaluations_settle(*, assessment: Assessment, by) -> Evaluation | None:
    """For the assessment service: link a new evaluation assessment to the earliest open evaluation
    moment it answers (if any). Without this call the read-time match shows the same."""
    if assessment.moment != Assessment.Moment.EVALUATION:
        return None
    for evaluation in Evaluation.objects.filter(case_id=assessment.case_id, done_at__isnull=True).order_by("due"):
        if _answers(assessment, evaluation):
            return evaluation_complete(evaluation=evaluation, assessment=assessment, by=by)
    return None


# -- reads --------------------------------------------------------------------------------------


def _state(due: date, done: bool, today: date) -> str:
    if done:
        return "done"
    if due < today:
        return "overdue"
    if (due - today).days <= DUE_HORIZON_DAYS:
        return "due"
    return "planned"


@dataclass(frozen=True)
class CaseAftercare:
    evaluations: list  # Evaluation with .state and .done_on
    checks: list  # AftercareCheck with .state
    closure_assessment: date | None
    has_evaluation_assessment: bool


def case_aftercare(case: Case, today: date | None = None, *, reads=None) -> CaseAftercare:
    """The evaluation moments, the closing assessment and the checks of a case the caller may see.
    `reads`: the case page's shared reads (cases.panel_reads), with the assessments already read
    and what the case has no rows of."""
    assessments = reads.assessments if reads is not None else None
    today = today or timezone.localdate()
    moments = [Assessment.Moment.EVALUATION, Assessment.Moment.CLOSURE]
    if assessments is None:
        rows = list(Assessment.objects.filter(case=case, moment__in=moments).values_list("moment", "assessed_on"))
    else:
        rows = [(a.moment, a.assessed_on) for a in assessments if a.moment in moments]
    evaluation_days = sorted(d for m, d in rows if m == Assessment.Moment.EVALUATION)
    closure_days = [d for m, d in rows if m == Assessment.Moment.CLOSURE]
    evaluations = []
    if reads is None or reads.has("evaluations"):
        evaluations = list(Evaluation.objects.filter(case=case).select_related("assessment").order_by("due", "pk"))
    for ev in evaluations:
        ev.done_on = _matched_day(ev, evaluation_days)
        ev.state = _state(ev.due, ev.done_on is not None, today)
    checks = []
    if reads is None or reads.has("aftercare_checks"):
        checks = list(AftercareCheck.objects.filter(case=case).select_related("done_by").order_by("due", "pk"))
    for check in checks:
        check.state = _state(check.due, check.done_at is not None, today)
    return CaseAftercare(
        evaluations=evaluations,
        checks=checks,
        closure_assessment=max(closure_days) if closure_days else None,
        has_evaluation_assessment=bool(evaluation_days),
    )


def _matched_day(evaluation: Evaluation, evaluation_days: list[date]) -> date | None:
    """The day the evaluation was done: its stored assessment, else the first evaluation assessment
    in its window, else (done by hand) the day it was marked done."""
    if evaluation.assessment is not None:
        return evaluation.assessment.assessed_on
    for day in evaluation_days:
        if (evaluation.due - day).days <= EARLY_DAYS:
            return day
    return timezone.localdate(evaluation.done_at) if evaluation.done_at else None


def _latest_evaluation_assessment():
    return Subquery(
        Assessment.objects.filter(case=OuterRef("case"), moment=Assessment.Moment.EVALUATION)
        .values("case")
        .annotate(last=Max("assessed_on"))
        .values("last")[:1]
    )


@dataclass
class DueItem:
    """An evaluation or aftercare check on the caseload's "due" section, with what the row shows."""

    pk: int
    case_id: int
    due: date
    state: str
    household_name: str
    address: str
    postcode: str


_DUE_FIELDS = (
    "kind",
    "pk",
    "case_id",
    "due",
    "last_assessed",
    "case__household__name",
    "case__household__unit__street",
    "case__household__unit__house_number",
    "case__household__unit__house_number_suffix",
    "case__household__unit__postcode",
)


def _due_queryset(director_id: int, until: date):
    # The director always sees the cases he directs (he is on their team), so a plain join on the
    # director is the same set as cases_visible_to(user) narrowed to him, without its subquery.
    evaluations = (
        Evaluation.objects.filter(case__director_id=director_id, done_at__isnull=True, due__lte=until)
        .exclude(case__status=Status.CLOSED)
        .annotate(kind=Value("evaluation"), last_assessed=_latest_evaluation_assessment())
        .order_by()  # SQLite allows no ORDER BY inside a UNION; sorted below
        .values_list(*_DUE_FIELDS)
    )
    checks = (
        AftercareCheck.objects.filter(
            case__director_id=director_id, case__status=Status.CLOSED, done_at__isnull=True, due__lte=until
        )
        .annotate(kind=Value("check"), last_assessed=Value(None, output_field=DateField()))
        .order_by()
        .values_list(*_DUE_FIELDS)
    )
    return evaluations.union(checks, all=True)


def due_for(user, today: date | None = None) -> tuple[list[DueItem], list[DueItem]]:
    """What needs the user now: evaluations of the open cases he directs and aftercare checks of the
    closed cases he directed, overdue or due within DUE_HORIZON_DAYS.

    One query for both (a UNION of two narrow selects). The caseload asks this on every view and
    compiling it cost more than running it, so it is compiled once per director and day
    (core.paging.compiled_rows)."""
    today = today or timezone.localdate()
    until = date.fromordinal(today.toordinal() + DUE_HORIZON_DAYS)
    out: dict[str, list[DueItem]] = {"evaluation": [], "check": []}
    rows = compiled_rows(("due-for", user.pk, until), lambda: _due_queryset(user.pk, until))
    for kind, pk, case_id, due, last_assessed, name, street, number, suffix, postcode in sorted(
        rows, key=lambda row: (row[3], row[1])
    ):
        if kind == "evaluation" and last_assessed is not None and (due - last_assessed).days <= EARLY_DAYS:
            continue  # done early: an evaluation assessment within its window
        address = Unit(street=street, house_number=number, house_number_suffix=suffix).address
        out[kind].append(DueItem(pk, case_id, due, _state(due, False, today), name, address, postcode))
    return out["evaluation"], out["check"]


def check_for(user, pk: int) -> AftercareCheck:
    """An aftercare check of a case the user may see (logged as a read of the case); else 404."""
    case_id = AftercareCheck.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    case = case_for(user, case_id)
    check = AftercareCheck.objects.select_related("done_by").get(pk=pk)
    check.case = case
    return check


def checks_of(case: Case) -> QuerySet[AftercareCheck]:
    return AftercareCheck.objects.filter(case=case).order_by("due", "pk")
