"""Why one household was (or wasn't) flagged: every rule, the events and snapshot it looked at.

This evaluates DETECTION.md for one tenancy in plain Python over its own rows, independently of
the vectorised engine; the tests hold the two to the same answers, so each checks the other.
Events are shown by number, source, date, type and severity, never by description (personal data).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from regie.housing.models import ArrearsSnapshot, Event
from regie.signalling.detection import months_in_arrears
from regie.signalling.detection_rules import BONUS, RULE_DOMAIN, Plan
from regie.signalling.rules import DOMAINS


def _fraction_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(Decimal(value.numerator) / value.denominator)


def _event_view(event: dict) -> dict:
    return {
        "pk": event["pk"],
        "source": event["source"],
        "event_id": event["event_id"],
        "date": event["date"].isoformat(),
        "type": event["type"],
        "severity": event["severity"],
    }


def _f1(plan: Plan, balance: Decimal, rent: Decimal, snapshot: dict | None) -> dict:
    b, r = Fraction(balance), Fraction(rent)
    # The bands rise, so the number of bands reached is the severity (0: F1 doesn't fire).
    band = sum(1 for bound in plan.bands if b >= bound * r)
    months = months_in_arrears(int(balance * 100), int(rent * 100))
    first = _fraction_text(plan.bands[0])
    if snapshot is None:
        why = f"no arrears snapshot on or before the reference date: B = 0 < {first} x rent"
    elif band:
        why = f"B {balance} >= {_fraction_text(plan.bands[band - 1])} x rent {rent} (M {months})"
    else:
        why = f"B {balance} < {first} x rent {rent} (M {months})"
    return {"fired": bool(band), "severity": band or None, "why": why, "events": []}


def _event_rule(plan: Plan, rule: str, events: list[dict], as_of: date) -> dict:
    cfg = plan.config
    types, window = plan.rule_types[rule]
    start = as_of - timedelta(days=window)
    hits = [e for e in events if e["type"] in types and start < e["date"] <= as_of]
    top = max((e["severity"] for e in hits), default=0)
    label = {
        "F2": "/".join(sorted(types)),
        "F3": "other FINANCES",
        "B1": "BEHAVIOUR",
        "L1": cfg["l1"]["code"],
        "L2": "other LIVEABILITY",
        "C1": "CARE",
        BONUS: cfg["eviction_bonus"]["code"],
    }[rule]
    span = f"in the last {window} days"
    counted = f"{len(hits)} {label} event(s) {span}"
    if rule == "B1":
        need, severe = cfg["b1"]["min_events"], cfg["b1"]["severe_severity"]
        fired, severity = len(hits) >= need or top >= severe, top
        why = f"{counted}, highest severity {top}"
        if not fired:
            why = f"{counted}, none of severity >= {severe}; needs {need}"
    elif rule == "L1":
        need = cfg["l1"]["min_events"]
        fired, severity = len(hits) >= need, cfg["l1"]["severity"]
        why = counted if fired else f"{counted}; needs {need}"
    else:
        fired = bool(hits)
        severity = {"F2": cfg["f2"]["severity"], BONUS: cfg["eviction_bonus"]["points"]}.get(rule, top)
        why = counted + (f": +{severity} on the score" if rule == BONUS else "")
    if not hits:
        why = f"no {label} event {span}"
    if rule == BONUS:
        entry = {"fired": fired, "points": severity if fired else 0, "why": why, "window_days": window}
    else:
        entry = {"fired": fired, "severity": severity if fired else None, "why": why, "window_days": window}
    entry["events"] = [_event_view(e) for e in hits]
    entry["latest"] = max((e["date"] for e in hits), default=None) if fired else None
    return entry


def explain(*, tenancy, as_of: date, config: dict) -> dict:
    """Rules fired and not fired for `tenancy` on `as_of`, with the evidence; JSON-ready."""
    plan = Plan.from_config(config)
    out: dict = {
        "tenancy_pk": tenancy.pk,
        "tenancy_id": tenancy.tenancy_id,
        "as_of": as_of.isoformat(),
        "running": tenancy.start_date <= as_of and (tenancy.end_date is None or tenancy.end_date >= as_of),
        "snapshot": None,
        "rules": {},
        "domains": [],
        "severities": {},
        "score": 0,
        "multi_problem": False,
        "latest_event_date": None,
    }
    if not out["running"]:
        end = tenancy.end_date.isoformat() if tenancy.end_date else "open"
        out["why"] = f"not running on {as_of.isoformat()} (start {tenancy.start_date.isoformat()}, end {end})"
        return out

    snapshot = (
        ArrearsSnapshot.objects.filter(tenancy=tenancy, date__lte=as_of)
        .order_by("-date")
        .values("date", "balance")
        .first()
    )
    balance = snapshot["balance"] if snapshot else Decimal("0.00")
    rent = tenancy.monthly_rent
    if snapshot:
        out["snapshot"] = {
            "date": snapshot["date"].isoformat(),
            "balance": str(balance),
            "rent": str(rent),
            "months": str(months_in_arrears(int(balance * 100), int(rent * 100))),
        }
    # Only the columns shown: the description is personal data and is not even read.
    events = list(
        Event.objects.filter(
            tenancy=tenancy,
            date__lte=as_of,
            date__gt=as_of - timedelta(days=plan.max_window),
            type__in=sorted(plan.types),
        )
        .order_by("date", "pk")
        .values("pk", "source", "event_id", "date", "type", "severity")
    )

    rules = {"F1": _f1(plan, balance, rent, snapshot)}
    for rule in ("F2", "F3", "B1", "L1", "L2", "C1", BONUS):
        rules[rule] = _event_rule(plan, rule, events, as_of)

    severities: dict[str, int] = {}
    for rule, domain in RULE_DOMAIN.items():
        if rules[rule]["fired"]:
            severities[domain] = max(severities.get(domain, 0), rules[rule]["severity"])
    severities = {d: severities[d] for d in DOMAINS if d in severities}
    latest = max((r["latest"] for code, r in rules.items() if code != BONUS and r.get("latest")), default=None)
    for entry in rules.values():
        if entry.get("latest") is not None:
            entry["latest"] = entry["latest"].isoformat()
    bonus = rules[BONUS]["points"] if severities else 0
    out.update(
        rules=rules,
        domains=list(severities),
        severities=severities,
        score=sum(severities.values()) + bonus,
        multi_problem=len(severities) >= plan.config["multi_min_domains"],
        latest_event_date=latest.isoformat() if latest else None,
    )
    return out
