"""Each indicator against a small world computed by hand."""

from datetime import date
from decimal import Decimal

from regie.plans.models import AftercareCheck
from regie.results.indicators import compute
from regie.signalling.models import Candidate
from tests.results_world import assess, at, case, contact, flag, household, legal, snap

START, END = date(2025, 1, 1), date(2025, 6, 30)


def value(indicator, **scope):
    return compute(indicator, start=START, end=END, **scope)


def test_evictions_prevented(world):
    w = world
    a = case(w.hh_n, w.pro_n, w.team_n, date(2025, 1, 10), date(2025, 3, 1))  # counts
    legal(w.hh_n, date(2024, 12, 1), "REGIE.DAG")
    b = household(w.north)  # no legal step
    case(b, w.pro_n, w.team_n, date(2025, 1, 10), date(2025, 3, 1))
    c = household(w.north)  # evicted
    legal(c, date(2025, 2, 1), "REGIE.VON")
    case(c, w.pro_n, w.team_n, date(2025, 1, 10), date(2025, 2, 15), outcome="evicted")
    d = household(w.north)  # the legal step came after the case closed
    legal(d, date(2025, 5, 1), "REGIE.ONT")
    case(d, w.pro_n, w.team_n, date(2025, 1, 10), date(2025, 4, 1))
    e = household(w.north)  # prevented at first, evicted in a later case
    legal(e, date(2025, 1, 5))
    case(e, w.pro_n, w.team_n, date(2025, 1, 10), date(2025, 2, 1))
    case(e, w.pro_n2, w.team_n, date(2025, 3, 1), date(2025, 5, 1), outcome="evicted")
    f = household(w.north)  # closed before the period
    legal(f, date(2024, 6, 1))
    case(f, w.pro_n, w.team_n, date(2024, 7, 1), date(2024, 12, 15))
    g = household(w.north)  # another professional's
    legal(g, date(2025, 1, 2), "REGIE.ONT")
    other = case(g, w.pro_n2, w.team_n, date(2025, 1, 10), date(2025, 6, 30), outcome="moved")

    mine = value("evictions_prevented", professional=w.pro_n)
    assert mine.value == Decimal(1)
    assert mine.case_ids == [a.pk]
    team = value("evictions_prevented", team=w.team_n)
    assert team.value == Decimal(2)
    assert team.case_ids == sorted([a.pk, other.pk])
    assert value("evictions_prevented", team=w.team_s).value == 0


def test_arrears_paid_down(world):
    w = world
    # 1500 at the start, 200 at the period's end: 1300.
    snap(w.hh_n, date(2024, 12, 31), 1500)
    snap(w.hh_n, date(2025, 3, 31), 600)
    snap(w.hh_n, date(2025, 6, 30), 200)
    snap(w.hh_n, date(2025, 7, 31), 0)  # after the period
    case(w.hh_n, w.pro_n, w.team_n, date(2025, 1, 5))
    # Arrears rose: 0.
    b = household(w.north)
    snap(b, date(2025, 1, 31), 300)
    snap(b, date(2025, 5, 31), 500)
    case(b, w.pro_n, w.team_n, date(2025, 2, 1))
    # A credit at both ends: 0.
    c = household(w.north)
    snap(c, date(2025, 1, 1), -100)
    snap(c, date(2025, 6, 1), -50)
    case(c, w.pro_n, w.team_n, date(2025, 1, 2))
    # Closed on 15 April: the latest balance on or before then (400): 1000 - 400 = 600.
    d = household(w.north)
    snap(d, date(2025, 1, 1), 1000)
    snap(d, date(2025, 3, 31), 400)
    snap(d, date(2025, 4, 30), 0)
    case(d, w.pro_n, w.team_n, date(2025, 1, 2), date(2025, 4, 15))
    # No snapshot at the start: 0.
    e = household(w.north)
    snap(e, date(2025, 2, 1), 800)
    snap(e, date(2025, 6, 1), 0)
    case(e, w.pro_n, w.team_n, date(2025, 1, 2))
    # Someone else's.
    f = household(w.north)
    snap(f, date(2024, 12, 1), 999)
    snap(f, date(2025, 6, 1), 0)
    case(f, w.pro_n2, w.team_n, date(2025, 1, 2))

    assert value("arrears_paid_down", professional=w.pro_n).value == Decimal("1900.00")
    assert value("arrears_paid_down", team=w.team_n).value == Decimal("2899.00")


def test_closed_with_self_sufficiency_gained(world):
    w = world
    a = case(w.hh_n, w.pro_n, w.team_n, date(2024, 11, 1), date(2025, 3, 1))
    assess(a, "intake", date(2024, 11, 2), {"finances": 1, "housing": 2, "mental": 3})  # 2.0
    assess(a, "intake", date(2024, 11, 20), {"finances": 5, "housing": 5, "mental": 5})  # a later intake: ignored
    assess(a, "evaluation", date(2025, 1, 2), {"finances": 5, "housing": 5, "mental": 5})
    assess(a, "closure", date(2025, 2, 28), {"finances": 2, "housing": 2, "mental": 3})  # 2.33 > 2.0
    b = case(household(w.north), w.pro_n, w.team_n, date(2024, 11, 1), date(2025, 3, 1))
    assess(b, "intake", date(2024, 11, 2), {"finances": 3, "housing": 3})
    assess(b, "closure", date(2025, 2, 28), {"finances": 3, "housing": 3})  # equal: no gain
    c = case(household(w.north), w.pro_n, w.team_n, date(2024, 11, 1), date(2025, 3, 1))
    assess(c, "intake", date(2024, 11, 2), {"finances": 1})  # no closure assessment
    d = case(household(w.north), w.pro_n, w.team_n, date(2024, 11, 1))  # still open
    assess(d, "intake", date(2024, 11, 2), {"finances": 1})
    assess(d, "closure", date(2025, 2, 28), {"finances": 4})

    f = value("closed_self_sufficient", professional=w.pro_n)
    assert f.value == 1
    assert f.case_ids == [a.pk]


def test_days_from_signal_to_first_contact(world):
    w = world
    a = case(w.hh_n, w.pro_n, w.team_n, date(2025, 2, 10))
    flag(w.hh_n, date(2025, 2, 1))
    flag(w.hh_n, date(2025, 3, 1))  # after opening: not the signal
    contact(a, date(2025, 2, 20))
    contact(a, date(2025, 2, 15))  # first contact: 14 days after the flag
    b = case(household(w.north), w.pro_n, w.team_n, date(2025, 3, 1))
    contact(b, date(2025, 3, 5))  # no signal: from opening, 4 days
    hh = household(w.north)
    flag(hh, date(2023, 5, 1))  # before the household's previous case closed
    case(hh, w.pro_n, w.team_n, date(2023, 6, 1), date(2024, 1, 1))
    c = case(hh, w.pro_n, w.team_n, date(2025, 4, 1))
    contact(c, date(2025, 4, 11))  # 10 days from opening
    d_hh = household(w.north)
    d = case(d_hh, w.pro_n, w.team_n, date(2025, 5, 1))
    Candidate.objects.create(tenancy=d_hh, status="case_opened", case=d, decided_at=at(date(2025, 4, 21)))
    contact(d, date(2025, 5, 1))  # from the inbox's decision: 10 days
    case(household(w.north), w.pro_n, w.team_n, date(2025, 6, 1))  # no contact yet: waiting
    old = case(household(w.north), w.pro_n, w.team_n, date(2024, 6, 1))  # opened before the period
    contact(old, date(2025, 1, 5))

    f = value("days_to_contact", professional=w.pro_n)
    assert f.value == Decimal(10)  # median of 14, 4, 10, 10
    assert f.waiting == 1
    assert f.case_ids == sorted([a.pk, b.pk, c.pk, d.pk])
    assert value("days_to_contact", professional=w.pro_n2).value is None


def test_caseload_at_the_end_of_the_period(world):
    w = world
    case(w.hh_n, w.pro_n, w.team_n, date(2024, 6, 1))  # open
    case(household(w.north), w.pro_n, w.team_n, date(2025, 6, 30))  # opened on the last day
    case(household(w.north), w.pro_n, w.team_n, date(2025, 1, 1), date(2025, 7, 2))  # closed after the end
    case(household(w.north), w.pro_n, w.team_n, date(2025, 1, 1), date(2025, 6, 1))  # closed
    case(household(w.north), w.pro_n, w.team_n, date(2025, 7, 1))  # opened after
    case(household(w.north), w.pro_n2, w.team_n, date(2025, 1, 1))  # someone else's

    assert value("caseload", professional=w.pro_n).value == 3
    assert value("caseload", team=w.team_n).value == 4


def test_aftercare_without_recurrence(world):
    w = world

    def check(c, day, result):
        return AftercareCheck.objects.create(case=c, due=day, done_at=at(day), done_by=w.pro_n, result=result)

    a = case(w.hh_n, w.pro_n, w.team_n, date(2024, 1, 1), date(2024, 10, 1))
    check(a, date(2025, 2, 1), "holds")  # counts
    check(a, date(2025, 1, 15), "concern")  # not "holds"
    check(a, date(2024, 12, 1), "holds")  # before the period
    hh = household(w.north)
    b = case(hh, w.pro_n, w.team_n, date(2024, 1, 1), date(2024, 10, 1))
    check(b, date(2025, 3, 1), "holds")  # a new case within 12 months: no
    case(hh, w.pro_n2, w.team_n, date(2025, 5, 1))
    hh2 = household(w.north)
    c = case(hh2, w.pro_n, w.team_n, date(2023, 1, 1), date(2023, 6, 1))
    case(hh2, w.pro_n2, w.team_n, date(2024, 6, 1), date(2024, 12, 1))  # before the check: fine
    check(c, date(2025, 1, 10), "holds")  # counts

    f = value("aftercare_holds", professional=w.pro_n)
    assert f.value == 2
    assert f.case_ids == sorted([a.pk, c.pk])
