"""`regie detect`: CSV byte for byte, JSON, the table, --all, --explain, rule versions, bad input."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from regie.signalling.models import DetectionRun, Flag, RuleSet
from regie.signalling.rules import defaults
from tests.test_detection import GEL, PSY, VUI, ago, event, snap, tenancy

pytestmark = pytest.mark.django_db


def detect_cmd(*args) -> str:
    out = StringIO()
    call_command("detect", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def small_world():
    for tid in ("10", "9"):  # equal score and date: "10" before "9" as text
        t = tenancy(tid)
        event(t, ago(5), GEL, 2)
        event(t, ago(5), GEL, 1)
        event(t, ago(5), PSY, 2)
    a = tenancy("A-1", rent="650.00")
    snap(a, ago(3), "1950.00")  # F1 3
    event(a, ago(10), "REGIE.ONT")  # F2 3, +3
    event(a, ago(2), VUI)  # LIVEABILITY 1
    b = tenancy("B,2")  # a comma in the number: quoted in CSV
    event(b, ago(1), VUI)
    event(b, ago(1), PSY)
    single = tenancy("S")
    event(single, ago(1), PSY, 3)


def test_csv_is_byte_exact(small_world):
    assert detect_cmd("--as-of", "2026-11-27", "--format", "csv") == (
        'tenancy_id,domains,score\nA-1,FINANCES|LIVEABILITY,7\n10,BEHAVIOUR|CARE,4\n9,BEHAVIOUR|CARE,4\n"B,2",LIVEABILITY|CARE,2\n'
    )


def test_csv_all_includes_single_domains(small_world):
    assert detect_cmd("--as-of", "2026-11-27", "--format", "csv", "--all").splitlines() == [
        "tenancy_id,domains,score",
        "A-1,FINANCES|LIVEABILITY,7",
        "10,BEHAVIOUR|CARE,4",
        "9,BEHAVIOUR|CARE,4",
        "S,CARE,3",
        '"B,2",LIVEABILITY|CARE,2',
    ]


def test_csv_with_nobody_flagged_is_the_header():
    assert detect_cmd("--as-of", "2026-11-27", "--format", "csv") == "tenancy_id,domains,score\n"


def test_json(small_world):
    rows = json.loads(detect_cmd("--as-of", "2026-11-27", "--format", "json"))
    assert [r["tenancy_id"] for r in rows] == ["A-1", "10", "9", "B,2"]
    assert rows[0] == {
        "tenancy_id": "A-1",
        "domains": ["FINANCES", "LIVEABILITY"],
        "score": 7,
        "severities": {"FINANCES": 3, "LIVEABILITY": 1},
        "latest_event_date": ago(2).isoformat(),
    }


def test_table(small_world):
    out = detect_cmd("--as-of", "2026-11-27")
    lines = out.splitlines()
    assert lines[0].split() == ["tenancy_id", "score", "latest", "event", "months", "domains", "(severity)"]
    assert lines[1].split()[:4] == ["A-1", "7", ago(2).isoformat(), "3.00"]
    assert "4 shown; 4 multi-problem of 5 households with a signal on 2026-11-27 (rules v1)." in out


def test_detect_stores_nothing(small_world):
    detect_cmd("--as-of", "2026-11-27")
    assert DetectionRun.objects.count() == 0 and Flag.objects.count() == 0


def test_default_as_of_is_today():
    today = timezone.localdate()
    t = tenancy("T")
    event(t, today, PSY)
    event(t, today - timedelta(days=1), VUI)
    event(tenancy("FUTURE"), today + timedelta(days=1), PSY)
    assert detect_cmd("--format", "csv").splitlines()[1:] == ["T,LIVEABILITY|CARE,2"]


def test_rules_version(small_world):
    stricter = defaults()
    stricter["multi_min_domains"] = 3
    RuleSet.objects.create(version=1, config=defaults())
    RuleSet.objects.create(version=2, config=stricter)
    assert detect_cmd("--as-of", "2026-11-27", "--format", "csv") == "tenancy_id,domains,score\n"  # v2 in force
    assert len(detect_cmd("--as-of", "2026-11-27", "--format", "csv", "--rules-version", "1").splitlines()) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "27-11-2026"], "--as-of takes a date as YYYY-MM-DD"),
        (["--as-of", "2026-02-30"], "--as-of takes a date as YYYY-MM-DD"),
        (["--explain", "NOPE"], "There is no tenancy with number 'NOPE'"),
        (["--rules-version", "7"], "There is no rule version 7"),
    ],
)
def test_bad_input_is_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        detect_cmd(*args)


def test_an_invalid_stored_rule_version_is_refused():
    bad = defaults()
    bad["f2"]["severity"] = 4
    RuleSet.objects.create(version=3, config=bad)
    with pytest.raises(CommandError, match=r"Rule version 3 is not valid \(f2.severity"):
        detect_cmd("--as-of", "2026-11-27")


def test_explain_readable(small_world):
    out = detect_cmd("--as-of", "2026-11-27", "--explain", "A-1")
    assert "Tenancy A-1 on 2026-11-27 (rules v1)" in out
    assert "Arrears: 1950.00 on 2026-11-24, rent 650.00, 3.00 months" in out
    assert "FINANCES 3, LIVEABILITY 1; score 7 (multi-problem)" in out
    assert "F1  severity 3  B 1950.00 >= 3 x rent 650.00 (M 3.00)" in out
    assert "B1  not fired   no BEHAVIOUR event in the last 180 days" in out
    assert "ONT +3" in out
    assert "REGIE.ONT severity 1" in out
    assert "Persoonlijke" not in out  # the description is personal data


def test_explain_json_and_not_running():
    t = tenancy("GONE", end=ago(1))
    event(t, ago(3), PSY, 3)
    result = json.loads(detect_cmd("--as-of", "2026-11-27", "--explain", "GONE", "--format", "json"))
    assert result["running"] is False and result["domains"] == [] and result["rules_version"] == 1
    assert "not running on 2026-11-27" in detect_cmd("--as-of", "2026-11-27", "--explain", "GONE")
