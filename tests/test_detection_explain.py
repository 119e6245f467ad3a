"""explain(): the rules that fired on which events and snapshot, and why the others did not."""

from decimal import Decimal

import pytest

from regie.signalling.detection import explain
from regie.signalling.rules import defaults
from tests.test_detection import GEL, HUA, PSY, D, ago, event, found, snap, tenancy

pytestmark = pytest.mark.django_db


def test_fired_rules_name_their_events_without_description():
    t = tenancy("A", rent="733.33")
    snap(t, ago(40), "100")
    snap(t, ago(9), "1466.66")
    e1 = event(t, ago(3), GEL, 2, source="POL")
    e2 = event(t, ago(170), GEL, 1)
    event(t, ago(181), GEL, 3)  # outside B1's window
    x = explain(tenancy=t, as_of=D, config=defaults())
    assert x["snapshot"] == {"date": ago(9).isoformat(), "balance": "1466.66", "rent": "733.33", "months": "2.00"}
    assert x["rules"]["F1"]["fired"] and x["rules"]["F1"]["severity"] == 2
    assert x["rules"]["F1"]["why"] == "B 1466.66 >= 2 x rent 733.33 (M 2.00)"
    b1 = x["rules"]["B1"]
    assert b1["fired"] and b1["severity"] == 2 and b1["window_days"] == 180
    assert b1["events"] == [
        {
            "pk": e2.pk,
            "source": "WIJ",
            "event_id": e2.event_id,
            "date": ago(170).isoformat(),
            "type": GEL,
            "severity": 1,
        },
        {"pk": e1.pk, "source": "POL", "event_id": e1.event_id, "date": ago(3).isoformat(), "type": GEL, "severity": 2},
    ]
    assert "description" not in repr(x) and "Persoonlijke" not in repr(x)
    assert x["domains"] == ["FINANCES", "BEHAVIOUR"] and x["score"] == 4 and x["multi_problem"]
    assert x["latest_event_date"] == ago(3).isoformat()


def test_rules_that_did_not_fire_say_why():
    t = tenancy("A")
    snap(t, ago(1), "600.00")
    event(t, ago(1), GEL, 2)
    event(t, ago(1), "REGIE.GTO")
    x = explain(tenancy=t, as_of=D, config=defaults())
    why = {code: r["why"] for code, r in x["rules"].items() if not r["fired"]}
    assert why == {
        "F1": "B 600.00 < 1 x rent 650.00 (M 0.92)",
        "F2": "no REGIE.DAG/REGIE.ONT/REGIE.VON event in the last 365 days",
        "F3": "no other FINANCES event in the last 365 days",
        "B1": "1 BEHAVIOUR event(s) in the last 180 days, none of severity >= 3; needs 2",
        "L1": "1 REGIE.GTO event(s) in the last 365 days; needs 2",
        "L2": "no other LIVEABILITY event in the last 365 days",
        "C1": "no CARE event in the last 365 days",
        "ONT": "no REGIE.ONT event in the last 365 days",
    }
    assert len(x["rules"]["B1"]["events"]) == 1  # what it looked at, though it didn't fire
    assert x["domains"] == [] and x["score"] == 0 and x["snapshot"]["months"] == "0.92"


def test_no_snapshot_and_f3_and_ont():
    t = tenancy("A")
    event(t, ago(2), HUA, 2)
    event(t, ago(4), "REGIE.ONT")
    x = explain(tenancy=t, as_of=D, config=defaults())
    assert x["snapshot"] is None
    assert x["rules"]["F1"]["why"].startswith("no arrears snapshot on or before the reference date")
    assert x["rules"]["F3"]["severity"] == 2 and x["rules"]["F2"]["severity"] == 3
    assert x["rules"]["ONT"] == {
        "fired": True,
        "points": 3,
        "why": "1 REGIE.ONT event(s) in the last 365 days: +3 on the score",
        "window_days": 365,
        "events": x["rules"]["ONT"]["events"],
        "latest": ago(4).isoformat(),
    }
    assert x["score"] == 6 == found()["A"].score


def test_explain_follows_the_config():
    t = tenancy("A")
    event(t, ago(1), PSY, 1)
    cfg = defaults()
    cfg["c1"]["window_days"] = 1  # only D itself
    assert explain(tenancy=t, as_of=D, config=cfg)["domains"] == []
    assert explain(tenancy=t, as_of=D, config=defaults())["domains"] == ["CARE"]


def test_not_running():
    t = tenancy("A", start=ago(-1))
    snap(t, ago(1), Decimal("5000"))
    x = explain(tenancy=t, as_of=D, config=defaults())
    assert not x["running"] and x["rules"] == {} and "not running" in x["why"]
