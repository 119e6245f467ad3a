"""bandit (static security analysis) finds nothing of high severity in src/, so `make test` and CI
enforce what `make security` checks. Medium findings are reviewed in docs/security.md."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bandit_finds_no_high_severity_issue():
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", "src", "-lll", "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    high = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
        if r["issue_severity"] == "HIGH"
    ]
    assert high == [], "\n".join(high)
    assert report["errors"] == [], report["errors"]
    assert result.returncode == 0, result.stderr
