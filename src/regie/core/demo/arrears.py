"""Who has troubles, and the rent ledger: 24 monthly balances per running tenancy, with the
collection steps that follow arrears (reminder, contact attempt, summons, judgment, eviction).
"""

import random
from datetime import date, timedelta

from regie.core.demo.events import Drafts
from regie.core.demo.households import Household, cents
from regie.housing.models import ArrearsSnapshot

MONTHS = 24
DOMAINS = ("BEHAVIOUR", "LIVEABILITY", "CARE")


def month_firsts(as_of: date, count: int = MONTHS) -> list[date]:
    """The first days of the `count` months up to `as_of` (on or before it), oldest first."""
    year, month = as_of.year, as_of.month
    out = []
    for _ in range(count):
        out.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def assign_profiles(rng: random.Random, households: list[Household]) -> None:
    """Per area: ~5% multi-problem (at least 32, for the demo's cases), ~2% heavy arrears, ~10% some."""
    for area in ("noord", "zuid"):
        pool = [h for h in households if h.running and h.area == area]
        rng.shuffle(pool)
        n = len(pool)
        n_multi = min(max(round(n * 0.05), 32), n * 2 // 3)
        n_heavy, n_arrears = round(n * 0.022), round(n * 0.10)
        for h in pool[:n_multi]:
            h.profile = "multi"
            finances = rng.random() < 0.75
            others = rng.sample(DOMAINS, rng.choice((1, 1, 2, 2, 3)) if finances else rng.choice((2, 2, 3)))
            h.domains = (("FINANCES",) if finances else ()) + tuple(sorted(others))
            if finances and rng.random() < 0.5:
                h.worst = rng.random() < 0.3
                h.profile = "multi-heavy"
        for h in pool[n_multi : n_multi + n_heavy]:
            h.profile, h.worst = "heavy", rng.random() < 0.3
        for h in pool[n_multi + n_heavy : n_multi + n_heavy + n_arrears]:
            h.profile = "arrears"


def _quiet(rng: random.Random, rent: int, length: int) -> list[int]:
    style = rng.random()
    if style < 0.72:
        return [0] * length
    if style < 0.87:  # pays ahead
        return [-rng.randint(100, rent * 3 // 10) if rng.random() < 0.7 else 0 for _ in range(length)]
    return [rng.randint(1500, rent * 45 // 100) if rng.random() < 0.15 else 0 for _ in range(length)]


def _some(rng: random.Random, rent: int, length: int, ongoing: bool) -> list[int]:
    """A run of one or two months' arrears that is paid off again, or still open today."""
    series = [0] * length
    start = rng.randint(max(0, length - 14), max(0, length - 2))
    peak, balance, growing = int(rng.uniform(0.6, 1.9) * rent), 0, True
    for i in range(start, length):
        if growing:
            balance += int(rng.uniform(0.25, 0.8) * rent)
            growing = balance < peak
        elif ongoing:
            balance = max(balance + int(rng.uniform(-0.2, 0.3) * rent), rent // 5)
        else:
            balance = max(balance - int(rng.uniform(0.25, 0.6) * rent), 0)
        series[i] = balance
    if ongoing:
        series[-1] = max(series[-1], rent // 4)
    return series


def _heavy(rng: random.Random, rent: int, length: int, worst: bool) -> list[int]:
    """Arrears that grow to three months' rent or more; for the worst, early enough to reach eviction."""
    series = [0] * length
    latest = length - (10 if worst else 5)
    start = rng.randint(max(0, length - 20), max(0, latest))
    balance = 0
    for i in range(start, length):
        balance += int(rng.uniform(0.6, 1.0) * rent) if rng.random() < 0.85 else -int(rng.uniform(0, 0.3) * rent)
        series[i] = max(balance, 0)
    series[-1] = max(series[-1], 3 * rent + rng.randint(0, rent))
    return series


def build_arrears(rng: random.Random, households: list[Household], as_of: date) -> list[ArrearsSnapshot]:
    firsts = month_firsts(as_of)
    snapshots: list[ArrearsSnapshot] = []
    for h in households:
        if not h.running:
            continue
        days = [d for d in firsts if d >= h.tenancy.start_date]
        rent = int(h.tenancy.monthly_rent * 100)
        if h.profile in ("heavy", "multi-heavy") and len(days) >= 3:
            series = _heavy(rng, rent, len(days), h.worst)
        elif (h.profile == "arrears" or (h.profile == "multi" and "FINANCES" in h.domains)) and len(days) >= 2:
            series = _some(rng, rent, len(days), ongoing=h.profile == "multi" or rng.random() < 0.55)
        else:
            series = _quiet(rng, rent, len(days))
        h.arrears = list(zip(days, series, strict=True))
        snapshots += [ArrearsSnapshot(tenancy=h.tenancy, date=d, balance=cents(b)) for d, b in h.arrears]
    return snapshots


def _runs(arrears: list[tuple[date, int]]) -> list[list[tuple[date, int]]]:
    runs, current = [], []
    for day, balance in arrears:
        if balance > 0:
            current.append((day, balance))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def collection_steps(rng: random.Random, h: Household, drafts: Drafts) -> None:
    """The collections department's steps that follow each run of real arrears."""
    rent = int(h.tenancy.monthly_rent * 100)
    for run in _runs(h.arrears):
        peak = max(b for _, b in run)
        if peak < rent // 2:
            continue  # paid a few days late; no reminder
        began = run[0][0]
        reminder = began + timedelta(days=rng.randint(7, 20))
        drafts.add(reminder, "INC", "REGIE.AAN", 1, h)
        if rng.random() < 0.06:
            drafts.add(reminder + timedelta(days=rng.randint(2, 10)), "HUU", "REGIE.BZW", 1, h)
        if rng.random() < 0.85:
            drafts.add(reminder + timedelta(days=rng.randint(3, 14)), "INC", "REGIE.CTP", 1, h)
        if peak >= rent * 3 // 2 and rng.random() < 0.5:
            drafts.add(reminder + timedelta(days=rng.randint(30, 45)), "INC", "REGIE.AAN", 1, h)
        two = next((d for d, b in run if b >= 2 * rent), None)
        if two:
            drafts.add(two + timedelta(days=rng.randint(2, 10)), "INC", "ZAAKTYPEDETAILSOORT.HUA", 2, h)
            if rng.random() < 0.4:
                drafts.add(two + timedelta(days=rng.randint(1, 5)), "INC", "SIGNALERINGDETAILSOORT.BET", 2, h)
        falling = next((d for (d, b), (_, b0) in zip(run[1:], run, strict=False) if b < b0), None)
        if falling and run[-1] != h.arrears[-1] and rng.random() < 0.7:
            drafts.add(falling - timedelta(days=rng.randint(5, 20)), "INC", "ZAAKTYPEDETAILSOORT.BET", 1, h)
        three = next((d for d, b in run if b >= 3 * rent), None)
        if three:
            summons = three + timedelta(days=rng.randint(10, 25))
            if rng.random() < 0.6:
                drafts.add(summons - timedelta(days=rng.randint(3, 9)), "INC", "SIGNALERINGDETAILSOORT.DEU", 2, h)
            drafts.add(summons, "INC", "REGIE.DAG", 3, h)
            if h.worst:
                judgment = summons + timedelta(days=rng.randint(35, 60))
                drafts.add(judgment, "INC", "REGIE.VON", 3, h)
                drafts.add(judgment + timedelta(days=rng.randint(25, 50)), "INC", "REGIE.ONT", 3, h)
