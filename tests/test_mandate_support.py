"""Shared set-up of the mandate tests: a small catalogue with limits, a budget, a case."""

from decimal import Decimal

from django.utils import timezone

from regie.mandate import services
from regie.mandate.models import Level, Measure
from tests.factories import open_case

P, M, B = Level.PROFESSIONAL, Level.MANAGER, Level.BOARD
TEXTS = {"problem": "Achterstand loopt op", "justification": "Schuldhulp start net", "expected_effect": "Rust"}


def catalogue(w) -> dict[str, Measure]:
    """Measures with limits: arrangement months (P≤12, M≤24, B unbounded), waiving costs (P≤250,
    M≤1000, no board row), freezing (a date: P may, department collections), budget spending
    (P≤500, M≤2500, B unbounded), a departure (no parameter; M only)."""
    admin = w.admin
    m = {
        "arrangement": services.measure_save(
            by=admin, code="arrangement", name="Betalingsregeling langer", parameter="months", department="collections"
        ),
        "waive": services.measure_save(by=admin, code="waive", name="Incassokosten kwijtschelden", parameter="amount"),
        "freeze": services.measure_save(
            by=admin,
            code="freeze",
            name="Betalingsregeling bevriezen",
            parameter="date",
            department="collections",
            vera_code="BETALINGSREGELINGSTATUS.BEV",
        ),
        "budget": services.measure_save(
            by=admin, code="budget", name="Maatwerkbudget", parameter="amount", uses_budget=True
        ),
        "deviate": services.measure_save(
            by=admin, code="deviate", name="Afwijken van procedure", parameter="none", deviates_from_procedure=True
        ),
    }
    services.limits_update(
        changes={
            ("arrangement", P): Decimal(12),
            ("arrangement", M): Decimal(24),
            ("arrangement", B): None,
            ("waive", P): Decimal(250),
            ("waive", M): Decimal(1000),
            ("freeze", P): None,
            ("budget", P): Decimal(500),
            ("budget", M): Decimal(2500),
            ("budget", B): None,
            ("deviate", M): None,
        },
        by=admin,
        note="start",
    )
    services.budget_set(team=w.team_n, year=timezone.localdate().year, amount=Decimal(1000), by=admin)
    return m


def with_emails(w) -> None:
    for u in (w.pro_n, w.pro_n2, w.mgr_n, w.mgr_s, w.pro_s):
        u.email = f"{u.username}@example.nl"
        u.save(update_fields=["email"])


def a_case(w, director=None, household=None):
    return open_case(household=household or w.hh_n, director=director or w.pro_n)


def record(case, measure, by, value=None, **kw):
    return services.decision_record(case=case, measure=measure, value=value, by=by, **{**TEXTS, **kw})
