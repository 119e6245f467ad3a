"""Detection (DETECTION.md) pinned at every edge: windows, bands, running tenancies, each rule, order.

The helpers at the top are shared by the other detection test files.
"""

import itertools
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from regie.housing.models import ArrearsSnapshot, Event, Tenancy
from regie.signalling.detection import Finding, detect, explain
from regie.signalling.models import RuleSet
from regie.signalling.rules import defaults
from tests.factories import TenancyFactory, UnitFactory

pytestmark = pytest.mark.django_db

D = date(2026, 11, 27)
Z = "ZAAKTYPEDETAILSOORT."
S = "SIGNALERINGDETAILSOORT."
GEL = Z + "GEL"  # BEHAVIOUR
VUI = Z + "VUI"  # LIVEABILITY
PSY = Z + "PSY"  # CARE
HUA = Z + "HUA"  # FINANCES (F3)
_events = itertools.count(1)


def ago(days: int) -> date:
    return D - timedelta(days=days)


def tenancy(tenancy_id: str | None = None, *, rent="650.00", start=date(2020, 1, 1), end=None, unit=None) -> Tenancy:
    kwargs = {"monthly_rent": Decimal(rent), "start_date": start, "end_date": end}
    if tenancy_id is not None:
        kwargs["tenancy_id"] = tenancy_id
    if unit is not None:
        kwargs["unit"] = unit
    return TenancyFactory(**kwargs)


def snap(t: Tenancy, day: date, balance) -> ArrearsSnapshot:
    return ArrearsSnapshot.objects.create(tenancy=t, date=day, balance=Decimal(str(balance)))


def event(t: Tenancy | None, day: date, type: str, severity: int = 1, *, unit=None, source="WIJ") -> Event:
    """An event as the import stores it: `tenancy` already resolved (None: on the unit only)."""
    return Event.objects.create(
        source=source,
        event_id=f"T{next(_events)}",
        date=day,
        tenancy=t,
        unit=unit or t.unit,
        type=type,
        severity=severity,
        description="Persoonlijke omschrijving",
    )


def run(as_of: date = D, config: dict | None = None, **kwargs) -> list[Finding]:
    return detect(as_of=as_of, config=config or defaults(), **kwargs)


def found(as_of: date = D, config: dict | None = None) -> dict[str, Finding]:
    return {f.tenancy_id: f for f in run(as_of, config)}


def config(**changes) -> dict:
    cfg = defaults()
    for key, value in changes.items():
        if isinstance(value, dict):
            cfg[key].update(value)
        else:
            cfg[key] = value
    return cfg


# --- F1: arrears bands, exact decimals -------------------------------------------------------


@pytest.mark.parametrize(
    ("balance", "band"),
    [("643.50", 0), ("649.99", 0), ("650.00", 1), ("1299.99", 1), ("1300.00", 2), ("1949.99", 2), ("1950.00", 3)],
)
def test_f1_bands_at_099_100_200_300_months(balance, band):
    t = tenancy("A", rent="650.00")
    snap(t, ago(10), balance)
    f = found().get("A")
    assert (f.arrears_band if f else 0) == band
    if band:
        assert f.domains == ("FINANCES",)
        assert f.severities == {"FINANCES": band}
        assert f.rules["F1"]["severity"] == band
        assert f.balance == Decimal(balance)


@pytest.mark.parametrize(
    ("balance", "band"),
    # 3 x 733.33 is 2199.9900000000002 in floats: a float comparison would miss band 3.
    [("733.32", 0), ("733.33", 1), ("1466.65", 1), ("1466.66", 2), ("2199.98", 2), ("2199.99", 3)],
)
def test_f1_exact_at_the_boundary_with_an_odd_rent(balance, band):
    t = tenancy("A", rent="733.33")
    snap(t, ago(3), balance)
    f = found().get("A")
    assert (f.arrears_band if f else 0) == band


def test_f1_months_and_fields():
    t = tenancy("A", rent="733.33")
    snap(t, ago(40), "5000")
    snap(t, ago(5), "2199.99")
    f = found()["A"]
    assert (f.balance, f.months, f.snapshot) == (Decimal("2199.99"), Decimal("3.00"), ago(5))
    assert f.latest_event_date is None
    assert f.rules["F1"] == {
        "severity": 3,
        "event_pks": [],
        "balance": "2199.99",
        "rent": "733.33",
        "months": "3.00",
        "snapshot": ago(5).isoformat(),
    }


def test_months_are_cut_not_rounded():
    t = tenancy("A", rent="650.00")
    snap(t, ago(1), "1299.99")  # 1.99998 months: band 1, shown 1.99
    f = found()["A"]
    assert (f.arrears_band, f.months) == (1, Decimal("1.99"))


def test_latest_snapshot_on_or_before_d_however_old_and_none_after():
    old, later, today, none = tenancy("OLD"), tenancy("LATER"), tenancy("TODAY"), tenancy("NONE")
    snap(old, date(2023, 2, 1), "1300.00")  # years old, still the latest: band 2
    snap(later, ago(30), "700.00")
    snap(later, D + timedelta(days=1), "5000.00")  # after D: ignored
    snap(today, ago(1), "0")
    snap(today, D, "1950.00")  # on D: counts
    event(none, ago(1), VUI)
    result = found()
    assert result["OLD"].arrears_band == 2 and result["OLD"].snapshot == date(2023, 2, 1)
    assert result["LATER"].arrears_band == 1 and result["LATER"].balance == Decimal("700.00")
    assert result["TODAY"].arrears_band == 3
    assert (result["NONE"].balance, result["NONE"].months, result["NONE"].snapshot) == (
        Decimal("0"),
        Decimal("0"),
        None,
    )


def test_a_paid_off_latest_snapshot_clears_f1():
    t = tenancy("A")
    snap(t, ago(60), "3000")
    snap(t, ago(30), "-10.00")
    assert "A" not in found()


def test_changed_bands_change_f1():
    t = tenancy("A", rent="600.00")
    snap(t, ago(1), "1500.00")  # 2.5 months
    assert found()["A"].arrears_band == 2
    assert found(config=config(f1={"band_1": "1", "band_2": "1.5", "band_3": "2.5"}))["A"].arrears_band == 3
    assert "A" not in found(config=config(f1={"band_1": "2.51", "band_2": "3", "band_3": "4"}))


# --- running tenancies --------------------------------------------------------------------------


def test_only_tenancies_running_on_d():
    for tid, start, end in [
        ("ENDED_BEFORE", date(2020, 1, 1), ago(1)),
        ("ENDS_ON_D", date(2020, 1, 1), D),
        ("STARTS_ON_D", D, None),
        ("STARTS_AFTER", D + timedelta(days=1), None),
        ("OPEN", date(2020, 1, 1), None),
    ]:
        t = tenancy(tid, start=start, end=end)
        snap(t, ago(400), "5000")
    assert set(found()) == {"ENDS_ON_D", "STARTS_ON_D", "OPEN"}


# --- windows --------------------------------------------------------------------------------------


def test_180_day_window_edge():
    inside, outside = tenancy("IN"), tenancy("OUT")
    event(inside, ago(179), GEL, 3)  # 2026-06-01: inside
    event(outside, ago(180), GEL, 3)  # 2026-05-31: outside
    assert ago(179) == date(2026, 6, 1)
    result = found()
    assert set(result) == {"IN"}
    assert result["IN"].severities == {"BEHAVIOUR": 3}
    assert result["IN"].latest_event_date == date(2026, 6, 1)


@pytest.mark.parametrize(
    ("code", "days", "inside"),
    [(GEL, 179, True), (GEL, 180, False), (GEL, 181, False), (PSY, 364, True), (PSY, 365, False), (PSY, 366, False)],
)
def test_window_edges(code, days, inside):
    event(tenancy("A"), ago(days), code, 3)
    assert ("A" in found()) is inside


def test_detection_reads_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    for i in range(30):
        t = tenancy(f"H{i}")
        snap(t, ago(i), "2000")
        event(t, ago(i), PSY)
    with django_assert_max_num_queries(2):  # the tenancies with their snapshot, the events
        assert len(run()) == 30


def test_365_day_window_edge():
    inside, outside = tenancy("IN"), tenancy("OUT")
    event(inside, ago(364), PSY, 2)  # 2025-11-28: inside
    event(outside, ago(365), PSY, 2)  # 2025-11-27: outside
    assert ago(364) == date(2025, 11, 28)
    assert set(found()) == {"IN"}


def test_events_after_d_and_events_on_no_tenancy_are_ignored():
    t = tenancy("A")
    event(t, D + timedelta(days=1), PSY, 3)
    event(None, ago(1), PSY, 3, unit=t.unit)  # stayed on the unit: no household
    assert found() == {}
    event(t, D, PSY, 3)  # on D: inside
    assert found()["A"].severities == {"CARE": 3}


def test_event_by_unit_counts_for_the_tenancy_it_was_resolved_to():
    unit = UnitFactory()
    old = tenancy("OLD", unit=unit, start=date(2020, 1, 1), end=date(2026, 6, 30))
    new = tenancy("NEW", unit=unit, start=date(2026, 6, 30))
    # As the import resolves events given by unit: by the event's date, the starting one winning.
    event(old, date(2026, 6, 29), GEL, 3, unit=unit)
    on_change = event(new, date(2026, 6, 30), GEL, 1, unit=unit)
    later = event(new, date(2026, 8, 1), GEL, 1, unit=unit)
    result = found()
    assert set(result) == {"NEW"}
    assert result["NEW"].severities == {"BEHAVIOUR": 1}  # not the old tenant's severity 3
    assert result["NEW"].rules["B1"]["event_pks"] == sorted([on_change.pk, later.pk])
    # Detection follows Event.tenancy, not the unit: an event moved to another tenancy moves with it.
    Event.objects.filter(pk=later.pk).update(tenancy=old)
    assert found() == {}


# --- the event rules ------------------------------------------------------------------------------


def test_f2_legal_steps_give_their_severity():
    t = tenancy("A")
    e = event(t, ago(300), "REGIE.DAG", 1)
    f = found()["A"]
    assert f.severities == {"FINANCES": 3}
    assert f.rules["F2"] == {"severity": 3, "event_pks": [e.pk], "latest": ago(300).isoformat()}
    assert "F3" not in f.rules and "ONT" not in f.rules
    assert f.score == 3


def test_f3_takes_the_highest_severity():
    t = tenancy("A")
    event(t, ago(10), HUA, 1)
    event(t, ago(20), S + "DEU", 2)
    event(t, ago(30), S + "BET", 1)
    event(t, ago(365), Z + "BET", 3)  # outside
    f = found()["A"]
    assert f.rules["F3"]["severity"] == 2 and len(f.rules["F3"]["event_pks"]) == 3
    assert f.severities == {"FINANCES": 2}


def test_finances_is_the_highest_of_f1_f2_f3():
    t = tenancy("A")
    snap(t, ago(5), "700")  # F1: 1
    event(t, ago(10), HUA, 2)  # F3: 2
    f = found()["A"]
    assert f.severities == {"FINANCES": 2} and set(f.rules) == {"F1", "F3"}
    event(t, ago(11), "REGIE.VON")  # F2: 3
    assert found()["A"].severities == {"FINANCES": 3}


def test_ont_bonus():
    t = tenancy("A")
    ont = event(t, ago(364), "REGIE.ONT", 1)
    f = found()["A"]
    assert f.severities == {"FINANCES": 3}
    assert f.score == 6
    assert f.rules["ONT"] == {"severity": None, "event_pks": [ont.pk], "latest": ago(364).isoformat(), "points": 3}
    assert f.rules["F2"]["event_pks"] == [ont.pk]
    Event.objects.filter(pk=ont.pk).update(date=ago(365))
    assert found() == {}


def test_b1_two_events_or_one_severe():
    one_mild, two_mild, one_severe, one_medium = tenancy("M1"), tenancy("M2"), tenancy("S3"), tenancy("S2")
    event(one_mild, ago(1), GEL, 1)
    event(two_mild, ago(1), GEL, 1)
    event(two_mild, ago(179), S + "AGS", 2)
    event(one_severe, ago(100), S + "FYS", 3)
    event(one_medium, ago(100), S + "FYS", 2)
    result = found()
    assert set(result) == {"M2", "S3"}
    assert result["M2"].severities == {"BEHAVIOUR": 2}
    assert result["S3"].severities == {"BEHAVIOUR": 3}


def test_b1_counts_only_its_window():
    t = tenancy("A")
    event(t, ago(1), GEL, 1)
    event(t, ago(180), GEL, 3)  # outside the 180 days, though within 365
    assert found() == {}


def test_l1_needs_two_no_access_visits():
    single, double, edge = tenancy("ONE"), tenancy("TWO"), tenancy("EDGE")
    event(single, ago(1), "REGIE.GTO", 3)
    event(double, ago(1), "REGIE.GTO", 1)
    event(double, ago(364), "REGIE.GTO", 1)
    event(edge, ago(1), "REGIE.GTO", 1)
    event(edge, ago(365), "REGIE.GTO", 1)
    result = found()
    assert set(result) == {"TWO"}  # one GTO alone fires nothing, and it is no L2 event either
    assert result["TWO"].severities == {"LIVEABILITY": 2}
    assert result["TWO"].latest_event_date == ago(1)


def test_l2_and_l1_together():
    t = tenancy("A")
    event(t, ago(3), S + "VER", 1)
    assert found()["A"].severities == {"LIVEABILITY": 1}
    event(t, ago(100), "REGIE.GTO")
    event(t, ago(200), "REGIE.GTO")
    f = found()["A"]
    assert f.severities == {"LIVEABILITY": 2} and set(f.rules) == {"L1", "L2"}
    event(t, ago(5), "REGIE.VWL", 3)
    assert found()["A"].severities == {"LIVEABILITY": 3}


def test_c1_highest_severity_and_codes_that_activate_nothing():
    t = tenancy("A")
    event(t, ago(1), Z + "VER", 1)  # addiction: CARE
    event(t, ago(2), "REGIE.ZRG", 2)
    for code in ("REGIE.AAN", "REGIE.CTP", "REGIE.BZW", Z + "XYZ", S + "OVE"):
        event(t, ago(1), code, 3)
    f = found()["A"]
    assert f.severities == {"CARE": 2} and f.score == 2
    assert f.rules["C1"]["latest"] == ago(1).isoformat()


# --- flagging, score and order ----------------------------------------------------------------------


def test_multi_problem_threshold_and_single_domains():
    single, double = tenancy("ONE"), tenancy("TWO")
    event(single, ago(1), PSY)
    event(double, ago(1), PSY)
    event(double, ago(2), VUI, 2)
    result = found()
    assert (result["ONE"].multi_problem, result["TWO"].multi_problem) == (False, True)
    assert result["TWO"].domains == ("LIVEABILITY", "CARE") and result["TWO"].score == 3
    strict = found(config=config(multi_min_domains=3))
    assert not strict["TWO"].multi_problem


def test_domains_in_the_fixed_order():
    t = tenancy("A")
    event(t, ago(1), PSY, 1)
    event(t, ago(1), VUI, 1)
    event(t, ago(1), GEL, 3)
    snap(t, ago(1), "700")
    f = found()["A"]
    assert f.domains == ("FINANCES", "BEHAVIOUR", "LIVEABILITY", "CARE")
    assert f.domains_text == "FINANCES|BEHAVIOUR|LIVEABILITY|CARE"
    assert f.score == 1 + 3 + 1 + 1


def test_latest_event_date_only_from_events_that_made_a_rule_fire():
    t = tenancy("A")
    event(t, ago(50), PSY)
    event(t, ago(2), GEL, 1)  # B1 doesn't fire with one mild event
    event(t, ago(1), "REGIE.GTO")  # L1 doesn't fire with one
    event(t, ago(1), "REGIE.AAN")  # no domain
    assert found()["A"].latest_event_date == ago(50)


def test_inbox_order_score_then_date_then_tenancy_id_as_text():
    def household(tid, score_events, day):
        t = tenancy(tid)
        for code, severity in score_events:
            event(t, day, code, severity)
        return t

    household("9", [(PSY, 2), (VUI, 2)], ago(5))  # score 4, day -5
    household("10", [(PSY, 2), (VUI, 2)], ago(5))  # score 4, day -5: '10' < '9' as text
    household("11", [(PSY, 2), (VUI, 2)], ago(1))  # score 4, more recent
    household("8", [(PSY, 3), (VUI, 3)], ago(300))  # score 6
    household("7", [(PSY, 1)], ago(1))  # score 1
    arrears = tenancy("12")  # score 4 without any event: no date, after the dated ones
    snap(arrears, ago(1), "2600")
    event(arrears, ago(400), PSY)
    order = [f.tenancy_id for f in run()]
    assert order == ["8", "11", "10", "9", "12", "7"]


def test_a_changed_rule_version_changes_the_result():
    t = tenancy("A")
    event(t, ago(1), GEL, 1)
    event(t, ago(2), GEL, 1)
    event(t, ago(3), PSY, 1)
    v1 = RuleSet.objects.create(version=1, config=defaults())
    v2 = RuleSet.objects.create(version=2, config=config(b1={"min_events": 3}, c1={"window_days": 2}))
    assert found(config=v1.config)["A"].domains == ("BEHAVIOUR", "CARE")
    assert "A" not in found(config=v2.config)


def test_a_changed_domain_table_moves_a_code():
    t = tenancy("A")
    event(t, ago(1), PSY, 2)
    cfg = defaults()
    cfg["domains"]["CARE"].remove(PSY)
    cfg["domains"]["BEHAVIOUR"].append(PSY)
    assert "A" not in found(config=cfg)  # B1: one event, not severe; C1 no longer sees it
    cfg["b1"]["severe_severity"] = 2
    assert found(config=cfg)["A"].severities == {"BEHAVIOUR": 2}


def test_restricting_to_tenancies_gives_the_same_findings():
    a, b = tenancy("A"), tenancy("B")
    for t in (a, b):
        event(t, ago(1), PSY)
        snap(t, ago(1), "700")
    assert run(tenancy_pks=[b.pk]) == [f for f in run() if f.tenancy_pk == b.pk]
    assert run(tenancy_pks=[]) == []


def test_finding_is_frozen():
    t = tenancy("A")
    event(t, ago(1), PSY)
    f = run()[0]
    with pytest.raises(AttributeError):
        f.score = 9


# --- the engine against the one-household evaluation of explain() -------------------------------------


TYPES = [GEL, S + "AGS", VUI, "REGIE.GTO", "REGIE.VWL", PSY, "REGIE.ZRG", HUA, "REGIE.DAG", "REGIE.ONT", "REGIE.AAN"]


def test_engine_agrees_with_explain_on_a_random_world():
    rng = random.Random(7)
    edges = [0, 1, 2, 178, 179, 180, 181, 300, 363, 364, 365, 366, 500, -1]
    tenancies = []
    for i in range(80):
        start = rng.choice([date(2019, 1, 1), D, D + timedelta(days=1), ago(30)])
        end = rng.choice([None, None, ago(1), D, D + timedelta(days=30)])
        end = end if end is None or end >= start else None
        t = tenancy(f"{i}", rent=rng.choice(["650.00", "733.33", "512.17"]), start=start, end=end)
        tenancies.append(t)
        for days in rng.sample(edges, rng.randint(0, 4)):
            snap(t, ago(days), rng.choice(["0", "733.33", "1466.66", "2199.99", "650", "1949.99", "-5"]))
        for _ in range(rng.randint(0, 6)):
            event(t, ago(rng.choice(edges)), rng.choice(TYPES), rng.randint(1, 3))
    findings = run()
    assert len(findings) > 30 and sum(f.multi_problem for f in findings) > 15  # a world worth comparing
    by_pk = {f.tenancy_pk: f for f in findings}
    for t in tenancies:
        x = explain(tenancy=t, as_of=D, config=defaults())
        f = by_pk.get(t.pk)
        if not x["domains"]:
            assert f is None, t.tenancy_id
            continue
        assert f is not None, t.tenancy_id
        assert list(f.domains) == x["domains"]
        assert f.severities == x["severities"]
        assert f.score == x["score"]
        assert f.multi_problem == x["multi_problem"]
        assert (f.latest_event_date.isoformat() if f.latest_event_date else None) == x["latest_event_date"]
        for code, rule in x["rules"].items():
            assert (code in f.rules) == rule["fired"], (t.tenancy_id, code)
            if rule["fired"] and code != "F1":
                assert f.rules[code]["event_pks"] == sorted(e["pk"] for e in rule["events"])
    key = [(-f.score, -(f.latest_event_date or date.min).toordinal(), f.tenancy_id) for f in findings]
    assert key == sorted(key)


def test_long_restrictions_and_large_results_give_the_same_findings(monkeypatch):
    """The paths taken at scale: a restriction too long for an IN list, a result frozen from the GC."""
    import gc

    from regie.signalling import detection, detection_data

    a, b, c = tenancy("A"), tenancy("B"), tenancy("C")
    for t in (a, b, c):
        event(t, ago(1), PSY)
        event(t, ago(2), GEL, 3)
    small = run()
    monkeypatch.setattr(detection_data, "_IN_LIST_MAX", 1)
    assert run(tenancy_pks=[a.pk, c.pk]) == [f for f in small if f.tenancy_pk in (a.pk, c.pk)]
    monkeypatch.setattr(detection, "FREEZE_FROM", 1)
    try:
        assert run() == small
        assert gc.isenabled()
    finally:
        gc.unfreeze()
