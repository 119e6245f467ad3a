"""The municipality signal (DETECTION.md): conditions 1-5 at their edges, the review list, `regie wgs`."""

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from regie.signalling.models import MunicipalitySignal
from regie.signalling.rules import defaults
from regie.signalling.wgs import WgsRow, ready, review
from tests.factories import UserFactory
from tests.test_detection import D, ago, event, snap, tenancy

pytestmark = pytest.mark.django_db

AAN, CTP, BZW = "REGIE.AAN", "REGIE.CTP", "REGIE.BZW"


def in_arrears(tid="A", *, rent="650.00"):
    """Arrears since ago(60): paid up at ago(90), then 700, 1300, 1400.00 at ago(1)."""
    t = tenancy(tid, rent=rent)
    snap(t, ago(90), "0")
    snap(t, ago(60), "700")
    snap(t, ago(30), "1300")
    snap(t, ago(1), "1400.00")
    return t


def ready_household(tid="A", **kw):
    t = in_arrears(tid, **kw)
    event(t, ago(14), AAN, source="INC")  # exactly 14 days before D
    event(t, ago(20), CTP, source="INC")
    return t


def ready_ids(as_of=D, config=None) -> list[str]:
    return [r.tenancy_id for r in ready(as_of=as_of, config=config or defaults())]


def reviewed(tid="A"):
    return {r.tenancy_id: r for r in review(as_of=D, config=defaults())}[tid]


def test_ready_row():
    t = ready_household()
    assert ready(as_of=D, config=defaults()) == [WgsRow(t.pk, "A", Decimal("1400.00"), ago(60))]


def test_reminder_14_days_before_d_counts_13_does_not():
    t = in_arrears()
    event(t, ago(20), CTP)
    event(t, ago(13), AAN)
    assert ready_ids() == []
    assert reviewed().missing == ("reminder",)
    event(t, ago(14), AAN)
    assert ready_ids() == ["A"]
    assert reviewed().reminder_date == ago(14)


def test_the_minimum_days_come_from_the_config():
    t = in_arrears()
    event(t, ago(20), CTP)
    event(t, ago(13), AAN)
    cfg = defaults()
    cfg["wgs"]["reminder_min_days"] = 13
    assert ready_ids(config=cfg) == ["A"]


def test_reminder_before_the_arrears_began_does_not_count():
    t = in_arrears()
    event(t, ago(20), CTP)
    event(t, ago(61), AAN)  # the day before the run began
    assert ready_ids() == []
    event(t, ago(60), AAN)  # the day it began
    assert ready_ids() == ["A"]


def test_contact_attempt_on_or_after_the_start():
    t = in_arrears()
    event(t, ago(30), AAN)
    event(t, ago(61), CTP)
    event(t, D + timedelta(days=1), CTP)  # after D: ignored
    assert reviewed().missing == ("contact",)
    event(t, ago(60), CTP)
    assert ready_ids() == ["A"] and reviewed().contact_date == ago(60)


def test_contact_may_be_after_the_reminder_and_recent():
    t = in_arrears()
    event(t, ago(30), AAN)
    event(t, D, CTP)
    assert ready_ids() == ["A"]


@pytest.mark.parametrize(("days", "blocks"), [(15, False), (14, True), (5, True), (0, True), (-1, False)])
def test_objection_on_or_after_the_reminder_blocks(days, blocks):
    t = ready_household()  # reminder at ago(14)
    event(t, ago(days), BZW)
    assert ready_ids() == ([] if blocks else ["A"])
    r = reviewed()
    assert r.conditions["no_objection"] is not blocks
    assert r.objection_date == (ago(days) if blocks else None)


def test_objection_counts_against_the_latest_qualifying_reminder():
    t = in_arrears()
    event(t, ago(20), CTP)
    event(t, ago(40), AAN)
    event(t, ago(30), BZW)  # objected after the first reminder...
    assert ready_ids() == []
    event(t, ago(14), AAN)  # ... a newer reminder: the objection is before it
    assert ready_ids() == ["A"]
    event(t, ago(10), AAN)  # too recent for condition 2: doesn't move the reference
    assert ready_ids() == ["A"]


def test_already_signalled_for_the_same_run():
    t = ready_household()
    user = UserFactory()
    MunicipalitySignal.objects.create(
        tenancy=t, arrears_since=ago(200), arrears_amount=Decimal("900"), as_of=ago(190), sent_by=user
    )
    assert ready_ids() == ["A"]  # a signal about an earlier run doesn't count
    MunicipalitySignal.objects.create(
        tenancy=t, arrears_since=ago(60), arrears_amount=Decimal("1300"), as_of=ago(5), sent_by=user
    )
    assert ready_ids() == []
    assert reviewed().missing == ("not_sent",)


def test_a_new_run_after_a_zero_balance():
    t = tenancy("A")
    snap(t, ago(300), "800")
    snap(t, ago(270), "1500")
    snap(t, ago(240), "0.00")  # paid off: the run ends
    snap(t, ago(210), "-20")  # in credit
    snap(t, ago(100), "660")
    snap(t, ago(70), "1400")
    event(t, ago(280), AAN)  # reminder and contact of the old run
    event(t, ago(275), CTP)
    MunicipalitySignal.objects.create(
        tenancy=t, arrears_since=ago(300), arrears_amount=Decimal("1500"), as_of=ago(260), sent_by=UserFactory()
    )
    r = reviewed()
    assert r.arrears_since == ago(100)
    assert r.missing == ("reminder", "contact")
    event(t, ago(90), AAN)
    event(t, ago(90), CTP)
    assert ready_ids() == ["A"]


def test_the_run_is_that_of_the_latest_snapshot_on_or_before_d():
    t = tenancy("A")
    snap(t, ago(50), "700")
    snap(t, ago(20), "1400")
    snap(t, D + timedelta(days=1), "0")  # after D: neither ends the run nor counts
    event(t, ago(30), AAN)
    event(t, ago(30), CTP)
    assert [(r.tenancy_id, r.arrears_since, r.arrears_amount) for r in ready(as_of=D, config=defaults())] == [
        ("A", ago(50), Decimal("1400.00"))
    ]


def test_old_snapshots_however_old_and_the_first_ever_snapshot():
    t = tenancy("A")
    snap(t, date(2024, 1, 1), "700")
    snap(t, date(2024, 2, 1), "1400")
    event(t, date(2024, 3, 1), AAN)
    event(t, date(2024, 3, 1), CTP)
    assert reviewed().arrears_since == date(2024, 1, 1) and ready_ids() == ["A"]


def test_f1_must_fire_and_the_tenancy_run():
    below = in_arrears("LOW")
    snap(below, ago(0), "649.99")  # below one month's rent on D
    gone = tenancy("GONE", end=ago(1))
    snap(gone, ago(30), "5000")
    for t in (below, gone):
        event(t, ago(20), AAN)
        event(t, ago(20), CTP)
    assert review(as_of=D, config=defaults()) == []


def test_review_lists_every_f1_household_with_what_is_missing():
    ready_household("9")
    ready_household("10")
    in_arrears("11", rent="733.33")
    rows = review(as_of=D, config=defaults())
    assert [(r.tenancy_id, r.ready, r.missing, r.arrears_band) for r in rows] == [
        ("10", True, (), 2),
        ("11", False, ("reminder", "contact"), 1),
        ("9", True, (), 2),
    ]
    assert ready_ids() == ["10", "9"]


def test_events_on_no_tenancy_and_other_tenancies_do_not_count():
    t = in_arrears()
    other = tenancy("B")
    event(None, ago(20), AAN, unit=t.unit)
    event(other, ago(20), CTP, unit=t.unit)
    assert reviewed().missing == ("reminder", "contact")


def wgs_cmd(*args) -> str:
    out = StringIO()
    call_command("wgs", *args, stdout=out)
    return out.getvalue()


def test_wgs_csv_is_byte_exact_and_ordered_as_text():
    ready_household("9")
    t = ready_household("10", rent="600.00")
    snap(t, ago(0), "1234.5")
    in_arrears("8")  # not ready
    assert wgs_cmd("--as-of", "2026-11-27", "--format", "csv") == (
        "tenancy_id,arrears_amount,arrears_since\n10,1234.50,2026-09-28\n9,1400.00,2026-09-28\n"
    )


def test_wgs_json_and_table():
    ready_household("A")
    assert json.loads(wgs_cmd("--as-of", "2026-11-27", "--format", "json")) == [
        {"tenancy_id": "A", "arrears_amount": "1400.00", "arrears_since": "2026-09-28"}
    ]
    table = wgs_cmd("--as-of", "2026-11-27")
    assert "A           1400.00         2026-09-28" in table and "1 ready on 2026-11-27 (rules v1)." in table
