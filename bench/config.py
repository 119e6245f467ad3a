"""The bench's fixed numbers (data set, targets) and the environment Django starts in.

Everything the other bench modules share lives here so one glance shows what is measured against
what. Nothing here imports Django: `configure()` sets the environment before Django starts.
"""

import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/regie_bench"


@dataclass(frozen=True)
class DataSet:
    """The size of the corporation the bench fills: a large one (issue 2)."""

    households: int = 50_000
    areas: int = 4
    teams_per_area: int = 3
    professionals: int = 300
    open_cases_per_professional: int = 30  # 300 x 30 = 9,000 open cases
    closed_cases: int = 1_000  # ... plus 1,000 closed: 10,000 cases
    timeline_per_case: int = 50  # 10,000 x 50 = 500,000 timeline entries
    contacts_per_case: int = 10  # of those 50 entries, this many are contacts (with a Contact row)
    arrears_months: int = 24
    extra_member_share: float = 0.3  # share of cases with a second colleague on the case team
    unit_events: int = 5_000  # events on a unit, not a tenancy

    @property
    def cases(self) -> int:
        return self.professionals * self.open_cases_per_professional + self.closed_cases

    @property
    def timeline_entries(self) -> int:
        return self.cases * self.timeline_per_case


DATASET = DataSet()


@dataclass(frozen=True)
class Targets:
    """What issue 2 asks for. Benchmarks print these beside the figures; they never fail on them."""

    server_p95_ms: float = 25.0
    throughput_rps: float = 150.0
    throughput_p99_ms: float = 100.0


TARGETS = Targets()


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def configure(url: str) -> dict[str, str]:
    """Set the environment Regie's settings read, for this process; returns what gunicorn needs too.

    One secret key per run: the session cookie made in this process must validate in gunicorn's.
    """
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    shared = {
        "DJANGO_SETTINGS_MODULE": "regie.settings",
        "DATABASE_URL": url,
        "REGIE_SECRET_KEY": os.environ.get("REGIE_SECRET_KEY") or secrets.token_urlsafe(50),
        "REGIE_DEBUG": "0",
        "REGIE_DEMO": "0",
        "REGIE_LOG_LEVEL": "WARNING",
        # The bench plays the TLS-terminating proxy: plain HTTP to the app, no redirect to HTTPS.
        "REGIE_SSL_REDIRECT": "0",
        "REGIE_DATA_DIR": os.environ.get("REGIE_DATA_DIR", str(ROOT / "var")),
    }
    os.environ.update(shared)
    os.environ.pop("REGIE_TESTING", None)  # production settings: argon2, no test shortcuts
    # The in-process client calls itself "testserver"; gunicorn gets 127.0.0.1 only.
    os.environ["REGIE_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    return shared
