"""Aftercare checks and recurrence through the services: scheduling, re-opening, recording."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from regie.audit.models import AccessLogEntry
from regie.cases import services
from regie.cases.models import EntryKind, Status, TimelineEntry
from regie.plans import aftercare
from regie.plans.models import AftercareCheck
from tests.factories import open_case

pytestmark = pytest.mark.django_db
Result = AftercareCheck.Result


def close(case, by, outcome="resolved"):
    return services.case_transition(case=case, to_status=Status.CLOSED, by=by, outcome=outcome)


def close_at(monkeypatch, case, by, moment: datetime, outcome="resolved"):
    """Close the case as if it were `moment` (the service stamps timezone.now())."""
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: moment)
        return close(case, by, outcome)


def dues(case):
    return list(AftercareCheck.objects.filter(case=case, done_at__isnull=True).values_list("due", flat=True))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), 3, date(2026, 11, 30)),
        (date(2026, 8, 31), 12, date(2027, 8, 31)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # a leap year's February
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 10, 15), 3, date(2027, 1, 15)),  # over the year's end
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert aftercare.add_months(day, months) == expected


def test_closing_schedules_checks_at_3_and_12_months(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    case = close(case, world.pro_n)
    closed_on = timezone.localdate(case.closed_at)
    assert dues(case) == [aftercare.add_months(closed_on, 3), aftercare.add_months(closed_on, 12)]
    entry = TimelineEntry.objects.get(case=case, kind=EntryKind.AFTERCARE)
    assert entry.data["event"] == "scheduled" and len(entry.data["dues"]) == 2


def test_closing_on_31_august_makes_the_first_check_30_november(world, monkeypatch):
    case = open_case(household=world.hh_n, director=world.pro_n)
    close_at(monkeypatch, case, world.pro_n, datetime(2026, 8, 31, 10, 0, tzinfo=UTC))
    assert dues(case) == [date(2026, 11, 30), date(2027, 8, 31)]


def test_the_closing_day_is_the_local_day(world, monkeypatch):
    # 31 August 22:30 UTC is already 1 September in Amsterdam.
    case = open_case(household=world.hh_n, director=world.pro_n)
    close_at(monkeypatch, case, world.pro_n, datetime(2026, 8, 31, 22, 30, tzinfo=UTC))
    assert dues(case) == [date(2026, 12, 1), date(2027, 9, 1)]


def test_the_months_are_a_setting(world, settings):
    settings.REGIE_AFTERCARE_MONTHS = (6,)
    case = close(open_case(household=world.hh_n, director=world.pro_n), world.pro_n)
    assert dues(case) == [aftercare.add_months(timezone.localdate(case.closed_at), 6)]


@pytest.mark.parametrize("outcome", ["moved", "evicted", "deceased"])
def test_no_checks_when_the_household_is_gone(world, outcome):
    case = close(open_case(household=world.hh_n, director=world.pro_n), world.pro_n, outcome)
    assert not AftercareCheck.objects.filter(case=case).exists()


def test_reopening_settles_the_pending_checks_and_closing_again_plans_new_ones(world, monkeypatch):
    case = open_case(household=world.hh_n, director=world.pro_n)
    close_at(monkeypatch, case, world.pro_n, datetime(2026, 1, 15, 10, 0, tzinfo=UTC))
    first = AftercareCheck.objects.get(case=case, due=date(2026, 4, 15))
    aftercare.aftercare_check_record(check=first, result=Result.HOLDS, by=world.pro_n)
    case = services.case_transition(case=case, to_status=Status.IN_PROGRESS, by=world.pro_n)
    assert dues(case) == []
    settled = AftercareCheck.objects.get(case=case, due=date(2027, 1, 15))
    assert (settled.result, settled.done_by) == (Result.REOPENED, world.pro_n)
    assert AftercareCheck.objects.get(pk=first.pk).result == Result.HOLDS  # what was recorded stays
    assert TimelineEntry.objects.filter(case=case, kind=EntryKind.AFTERCARE, data__event="settled").exists()
    close_at(monkeypatch, case, world.pro_n, datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    assert dues(case) == [date(2026, 6, 2), date(2027, 3, 2)]


def test_recording_a_check(world):
    case = close(open_case(household=world.hh_n, director=world.pro_n), world.pro_n)
    check = AftercareCheck.objects.filter(case=case).first()
    aftercare.aftercare_check_record(check=check, result=Result.HOLDS, note=" Huur betaald. ", by=world.pro_n)
    check.refresh_from_db()
    assert (check.result, check.note, check.done_by) == (Result.HOLDS, "Huur betaald.", world.pro_n)
    assert check.done_at is not None
    entry = TimelineEntry.objects.filter(case=case, kind=EntryKind.AFTERCARE, data__event="recorded").get()
    assert entry.data["result"] == "holds"
    assert AccessLogEntry.objects.filter(record_id=str(case.pk), action="update", username="pro-n").exists()
    with pytest.raises(ValidationError):
        aftercare.aftercare_check_record(check=check, result=Result.CONCERN, by=world.pro_n)


def test_a_concern_may_plan_a_further_check(world):
    case = close(open_case(household=world.hh_n, director=world.pro_n), world.pro_n)
    check = AftercareCheck.objects.filter(case=case).first()
    later = timezone.localdate() + timedelta(days=30)
    with pytest.raises(ValidationError) as err:
        aftercare.aftercare_check_record(check=check, result=Result.HOLDS, next_check=later, by=world.pro_n)
    assert "next_check" in err.value.message_dict
    aftercare.aftercare_check_record(check=check, result=Result.CONCERN, next_check=later, by=world.pro_n)
    assert later in dues(case)


def test_an_unknown_result_is_refused(world):
    case = close(open_case(household=world.hh_n, director=world.pro_n), world.pro_n)
    with pytest.raises(ValidationError):
        aftercare.aftercare_check_record(
            check=AftercareCheck.objects.filter(case=case).first(), result="x", by=world.pro_n
        )


# -- recurrence -----------------------------------------------------------------------------------


def _closed_case_on(world, closed_on: date):
    case = close(open_case(household=world.hh_n, director=world.pro_n), world.pro_n)
    noon = datetime.combine(closed_on, datetime.min.time().replace(hour=12), tzinfo=timezone.get_default_timezone())
    type(case).objects.filter(pk=case.pk).update(closed_at=noon, opened_at=noon - timedelta(days=90))
    return case


def test_a_new_case_within_12_months_is_a_recurrence(world):
    old = _closed_case_on(world, timezone.localdate() - timedelta(days=100))
    new = open_case(household=world.hh_n, director=world.pro_n2)
    assert new.recurrence_of == old
    opened = TimelineEntry.objects.get(case=new, kind=EntryKind.OPENED)
    assert opened.data["recurrence_of"] == old.pk


def test_exactly_12_months_is_still_a_recurrence(world):
    old = _closed_case_on(world, aftercare.add_months(timezone.localdate(), -12))
    assert open_case(household=world.hh_n, director=world.pro_n).recurrence_of == old


def test_a_day_over_12_months_is_not_a_recurrence(world):
    _closed_case_on(world, aftercare.add_months(timezone.localdate(), -12) - timedelta(days=1))
    new = open_case(household=world.hh_n, director=world.pro_n)
    assert new.recurrence_of is None
    assert "recurrence_of" not in TimelineEntry.objects.get(case=new, kind=EntryKind.OPENED).data


def test_a_first_case_is_no_recurrence_and_another_household_does_not_count(world):
    _closed_case_on(world, timezone.localdate() - timedelta(days=10))
    assert open_case(household=world.hh_s, director=world.pro_s).recurrence_of is None


def test_a_new_case_settles_the_old_cases_pending_checks(world):
    old = close(open_case(household=world.hh_n, director=world.pro_n), world.pro_n)
    assert len(dues(old)) == 2
    open_case(household=world.hh_n, director=world.pro_n)
    assert dues(old) == []
    assert set(AftercareCheck.objects.filter(case=old).values_list("result", flat=True)) == {Result.REOPENED}
