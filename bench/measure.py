"""Server time per request, in-process: through Django's WSGI handler against the bench database.

What is timed is the whole Django stack for one request (middleware, view, selectors, access-log
insert, template or serializer), as gunicorn would run it, minus the network. The number of SQL
queries and the time spent in them come from a separate pass under `CaptureQueriesContext`, so the
debug cursor's bookkeeping doesn't weigh on the timed requests.
"""

from __future__ import annotations

import cProfile
import gc
import io
import math
import pstats
import random
import time
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace

from config import OUT_DIR

PROFESSIONAL_BACKEND = "regie.accounts.backends.RegieModelBackend"


@dataclass
class Endpoint:
    key: str
    label: str
    template: str  # a path, with {id} where an id goes
    ids: list[int] | None = None
    htmx: bool = False  # asked for by htmx after a page (HX-Request), as the browser does

    def paths(self) -> list[str]:
        return [self.template.format(id=i) for i in self.ids] if self.ids else [self.template]


@dataclass
class Result:
    key: str
    label: str
    path: str
    available: bool = True
    note: str = ""
    n: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    mean_ms: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    queries_min: int | None = None
    queries_max: int | None = None
    sql_ms: float | None = None  # mean time inside SQL per request, from the capture pass
    bytes: int | None = None

    @property
    def errors(self) -> int:
        return sum(v for k, v in self.statuses.items() if k != "200")


class SqlTimer:
    """Time inside the database driver, summed over a request's queries (perf_counter resolution;
    the debug cursor's own "time" is rounded to the millisecond)."""

    def __init__(self):
        self.ms = 0.0

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - t0) * 1000


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return math.nan
    k = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[k - 1]


def bench_user():
    """A professional with a full caseload: the one directing the most open cases."""
    from django.db.models import Count, Q

    from regie.accounts.models import Role, User

    return (
        User.objects.filter(role=Role.PROFESSIONAL, is_active=True)
        .annotate(n=Count("directed_cases", filter=~Q(directed_cases__status="closed")))
        .order_by("-n", "pk")
        .first()
    )


def endpoints(user, *, sample: int, seed: int = 7) -> list[Endpoint]:
    """The six pages of issue 2 and the case page's htmx part, each with ids the user may see."""
    from regie.cases.models import Case
    from regie.housing.models import Tenancy
    from regie.housing.selectors import area_ids_of

    rng = random.Random(seed)
    # Households of his teams' areas: the ones he may open (an area holds ~12,500 of them).
    visible = list(Tenancy.objects.filter(unit__area_id__in=area_ids_of(user)).values_list("pk", flat=True))
    households = rng.sample(visible, min(sample, len(visible)))
    cases = list(Case.objects.open().filter(director=user).values_list("pk", flat=True))
    rng.shuffle(cases)
    return [
        Endpoint("caseload", "Caseload page", "/casussen/"),
        Endpoint("household", "Household page", "/huishoudens/{id}/", households),
        Endpoint("case", "Case page", "/casussen/{id}/", cases),
        # Loaded by htmx once the case page is there: the lessons and obstacles of the case.
        Endpoint("case_lessons", "Case page: lessons (htmx)", "/leren/casus/{id}/", cases, htmx=True),
        Endpoint("api_caseload", "API caseload", "/api/cases/"),
        Endpoint("api_household", "API household", "/api/households/{id}/", households),
        Endpoint("api_case", "API case", "/api/cases/{id}/", cases),
    ]


def route_exists(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


class WsgiClient:
    """GETs through Django's WSGI handler, as gunicorn calls it, with a logged-in session cookie.

    Not Django's test Client: that one instruments template rendering (it copies every context
    it renders, to offer `response.context`), which is test overhead, not server time, and weighs
    most on pages that include many small templates.
    """

    def __init__(self, user):
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore
        from django.core.handlers.wsgi import WSGIHandler

        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = PROFESSIONAL_BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        from regie.accounts.mfa import SESSION_KEY as SECOND_FACTOR

        session[SECOND_FACTOR] = "totp"  # as after the TOTP step of a real login
        session.create()
        from django.conf import settings

        self.cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        self.handler = WSGIHandler()

    def get(self, path: str, htmx: bool = False):
        status: list[str] = []
        environ = {
            **({"HTTP_HX_REQUEST": "true"} if htmx else {}),
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": self.cookie,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
        }
        body = b"".join(self.handler(environ, lambda s, headers, *_: status.append(s)))
        return SimpleNamespace(status_code=int(status[0].split()[0]), content=body)


def logged_in_client(user):
    return WsgiClient(user)


def measure(client, ep: Endpoint, *, requests: int, warmup: int, profile: bool = False, log=print) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    paths = ep.paths()
    res = Result(ep.key, ep.label, ep.template)
    if not route_exists(paths[0]):
        res.available, res.note = False, "not available (route does not resolve)"
        log(f"  {ep.label:<16} {ep.template:<24} not available")
        return res

    for i in range(warmup):
        client.get(paths[i % len(paths)], htmx=ep.htmx)
    # As the production workers do after loading the app (gunicorn.conf.py): what is loaded by now
    # lives as long as the process, so the collector need not walk it on every full collection.
    gc.freeze()

    times: list[float] = []
    size = 0
    for i in range(requests):
        path = paths[i % len(paths)]
        t0 = time.perf_counter()
        response = client.get(path, htmx=ep.htmx)
        times.append((time.perf_counter() - t0) * 1000)
        code = str(response.status_code)
        res.statuses[code] = res.statuses.get(code, 0) + 1
        size += len(response.content)
    times.sort()
    res.n = len(times)
    res.mean_ms = round(sum(times) / len(times), 2)
    res.p50_ms, res.p95_ms, res.p99_ms = (round(percentile(times, q), 2) for q in (50, 95, 99))
    res.max_ms = round(times[-1], 2)
    res.bytes = size // len(times)

    counts, sql = [], []
    for path in paths[:10]:
        timer = SqlTimer()
        with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
            client.get(path, htmx=ep.htmx)
        counts.append(len(ctx.captured_queries))
        sql.append(timer.ms)
    res.queries_min, res.queries_max = min(counts), max(counts)
    res.sql_ms = round(sum(sql) / len(sql), 2)

    if profile:
        write_profile(client, ep, paths)
    status = "" if not res.errors else f"  !! {res.errors} non-200: {res.statuses}"
    log(
        f"  {ep.label:<16} {ep.template:<24} p50 {res.p50_ms:6.1f}  p95 {res.p95_ms:6.1f}  p99 {res.p99_ms:6.1f} ms"
        f"  {res.queries_max:>2} queries{status}"
    )
    return res


def write_profile(client, ep: Endpoint, paths: list[str], *, rounds: int = 50) -> None:
    """cProfile over some requests, and the slowest SQL of one request, to bench/out/profile-<key>.txt."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prof = cProfile.Profile()
    prof.enable()
    for i in range(rounds):
        client.get(paths[i % len(paths)], htmx=ep.htmx)
    prof.disable()
    out = io.StringIO()
    out.write(f"# {ep.label} {ep.template}: cProfile over {rounds} requests\n\n")
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    with CaptureQueriesContext(connection) as ctx:
        client.get(paths[0], htmx=ep.htmx)
    out.write(f"\n# SQL of one request ({paths[0]}), slowest first\n\n")
    for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"])):
        out.write(f"{float(q['time']) * 1000:8.2f} ms  {q['sql']}\n\n")
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / f"profile-{ep.key}.txt").write_text(out.getvalue())


def run(*, requests: int, warmup: int, profile: bool = False, log=print) -> tuple[dict, list[Result]]:
    user = bench_user()
    if user is None:
        raise SystemExit("No professional in the bench database: fill it first (--refill).")
    client = logged_in_client(user)
    eps = endpoints(user, sample=max(requests, 50))
    who = {
        "user": user.username,
        "open_cases_directed": len(eps[2].ids or []),
        "households_sampled": len(eps[1].ids or []),
    }
    log(f"  as {user.username} ({who['open_cases_directed']} open cases directed); {requests} requests each")
    results = [measure(client, ep, requests=requests, warmup=warmup, profile=profile, log=log) for ep in eps]
    return who, results


def as_dict(r: Result) -> dict:
    d = asdict(r)
    d["errors"] = r.errors
    return d
