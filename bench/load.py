"""Throughput of the caseload page through gunicorn, at a fixed number of concurrent connections.

gunicorn serves Regie from the bench database on a free local port; `wrk` drives it (installed from
Debian when missing and we are root), or, without wrk, a Python load generator with one keep-alive
`http.client` connection per thread. Requests carry a session cookie made in this process, and every
response's status is counted: a cookie the server rejects would show as redirects to the login page,
which wrk counts as successes, so the bench fails loudly instead.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from config import OUT_DIR, ROOT
from measure import PROFESSIONAL_BACKEND, percentile

PATH = "/casussen/"

# No per-response Lua hook: it makes wrk copy every body into Lua, CPU taken from the server on
# this 2-core machine. wrk counts 4xx/5xx itself; a redirect to the login page (3xx, which wrk
# counts as fine) is caught by the bytes check in run_wrk: the caseload is ~16 KB, a redirect a few
# hundred bytes.
WRK_SCRIPT = """
function done(summary, latency, requests)
  local b = summary.errors.status
  io.write(string.format("BENCH ok=%d bad=%d last_bad=0 requests=%d duration_us=%d bytes=%d\\n",
    summary.requests - b, b, summary.requests, summary.duration, summary.bytes))
  io.write(string.format("BENCH errors connect=%d read=%d write=%d timeout=%d status=%d\\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status))
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("BENCH p%d_us=%d\\n", p, latency:percentile(p)))
  end
  io.write(string.format("BENCH mean_us=%d max_us=%d\\n", latency.mean, latency.max))
end
"""


@dataclass
class LoadResult:
    tool: str
    server: str
    connections: int
    duration_s: float
    requests: int = 0
    ok: int = 0
    non_2xx: int = 0
    socket_errors: int = 0
    rps: float | None = None
    p50_ms: float | None = None
    p90_ms: float | None = None
    p99_ms: float | None = None
    mean_ms: float | None = None
    max_ms: float | None = None
    error: str = ""
    extra: dict = field(default_factory=dict)


def session_cookie(user) -> tuple[str, str]:
    """A logged-in session for `user`, stored in the bench database: (cookie name, value)."""
    from django.conf import settings
    from django.test import Client

    from regie.accounts.mfa import SESSION_KEY as SECOND_FACTOR

    client = Client()
    client.force_login(user, backend=PROFESSIONAL_BACKEND)
    # As after the TOTP step of a real login (regie.accounts.mfa).
    session = client.session
    session[SECOND_FACTOR] = "totp"
    session.save()
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk(log=print) -> str | None:
    """wrk's path; installs Debian's package when missing and we may, else None (Python fallback)."""
    found = shutil.which("wrk")
    if found or os.environ.get("BENCH_NO_WRK"):
        return None if os.environ.get("BENCH_NO_WRK") else found
    apt = shutil.which("apt-get")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and apt:
        log("  wrk is missing; installing Debian's package")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        # Fixed argument lists, no shell: nothing from outside reaches these commands.
        if subprocess.call([apt, "install", "-y", "-q", "wrk"], **quiet) != 0:  # noqa: S603
            subprocess.call([apt, "update", "-q"], **quiet)  # noqa: S603
            subprocess.call([apt, "install", "-y", "-q", "wrk"], **quiet)  # noqa: S603
    return shutil.which("wrk")


class Gunicorn:
    """gunicorn on a free port, as a context manager; stopped (master and workers) on exit."""

    def __init__(self, env: dict[str, str], *, workers: int, worker_class: str, threads: int):
        self.port = free_port()
        self.env = {
            **os.environ,
            **env,
            "REGIE_ALLOWED_HOSTS": "127.0.0.1",
            # WhiteNoise warns once per worker that collectstatic hasn't run; it serves from finders.
            "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
        }
        bin_dir = Path(sys.executable).parent
        self.cmd = [
            str(bin_dir / "gunicorn") if (bin_dir / "gunicorn").exists() else "gunicorn",
            "regie.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers),
            "--worker-class", worker_class,
            "--log-level", "warning",
        ]  # fmt: skip
        if worker_class == "gthread":
            self.cmd += ["--threads", str(threads)]
        self.describe = f"gunicorn {workers} x {worker_class}" + (f" ({threads} threads)" if threads > 1 else "")
        self.proc: subprocess.Popen | None = None
        self.page_bytes = 0

    def __enter__(self) -> Gunicorn:
        OUT_DIR.mkdir(exist_ok=True)
        self.logfile = (OUT_DIR / "gunicorn.log").open("w")
        self.proc = subprocess.Popen(  # noqa: S603 - our own command line, no shell
            self.cmd, cwd=ROOT, env=self.env, stdout=self.logfile, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the session we started, and nothing else
                self.proc.wait()
        self.logfile.close()

    def get(self, path: str, cookie: str) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers={"Cookie": cookie})
            r = conn.getresponse()
            self.page_bytes = len(r.read())
            return r.status, r.getheader("Location") or ""
        finally:
            conn.close()

    def wait_ready(self, cookie: str, timeout: float = 60) -> None:
        """Wait until it answers; raise unless the caseload comes back 200 with the cookie."""
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {OUT_DIR / 'gunicorn.log'}")
            try:
                status, location = self.get(PATH, cookie)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s") from None
                time.sleep(0.2)
        if status != 200:
            raise RuntimeError(
                f"the session cookie does not work: GET {PATH} answered {status}"
                + (f" (redirect to {location})" if location else "")
            )


def run_wrk(wrk: str, url: str, cookie: str, *, connections: int, duration: float, page_bytes: int = 0) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
        script = f.name
    try:
        cmd = [
            wrk, "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration:g}s",
            "--timeout", "10s", "-s", script, "-H", f"Cookie: {cookie}", url,
        ]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=False)  # noqa: S603
    finally:
        os.unlink(script)
    lines = " ".join(re.findall(r"^BENCH .*$", out.stdout, re.M))
    figures = {k: int(v) for k, v in re.findall(r"(\w+)=(-?\d+)", lines)}
    if "requests" not in figures:
        raise RuntimeError(f"wrk gave no figures: {out.stdout}\n{out.stderr}")
    figures["raw"] = out.stdout
    if page_bytes and figures["requests"] and figures["bytes"] / figures["requests"] < 0.9 * page_bytes:
        # Not the caseload: the cookie stopped working (redirects to the login page) or pages failed.
        figures["bad"], figures["ok"] = figures["requests"], 0
    return figures


def run_python(port: int, cookie: str, *, connections: int, duration: float) -> dict:
    """The fallback: `connections` threads, each one keep-alive connection, as fast as answers come."""
    latencies: list[float] = []
    counts = {"ok": 0, "bad": 0, "socket": 0, "last_bad": 0}
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, ok, bad, sock, last_bad = [], 0, 0, 0, 0
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                conn.request("GET", PATH, headers={"Cookie": cookie})
                r = conn.getresponse()
                r.read()
            except (OSError, http.client.HTTPException):
                sock += 1
                conn.close()
                continue
            mine.append((time.perf_counter() - t0) * 1000)
            if 200 <= r.status < 300:
                ok += 1
            else:
                bad, last_bad = bad + 1, r.status
        conn.close()
        with lock:
            latencies.extend(mine)
            counts["ok"] += ok
            counts["bad"] += bad
            counts["socket"] += sock
            counts["last_bad"] = last_bad or counts["last_bad"]

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    latencies.sort()
    us = [int(v * 1000) for v in latencies]
    return {
        "ok": counts["ok"],
        "bad": counts["bad"],
        "last_bad": counts["last_bad"],
        "requests": counts["ok"] + counts["bad"],
        "duration_us": int(elapsed * 1e6),
        "connect": counts["socket"],
        "p50_us": percentile(us, 50),
        "p90_us": percentile(us, 90),
        "p99_us": percentile(us, 99),
        "mean_us": int(sum(us) / len(us)) if us else 0,
        "max_us": us[-1] if us else 0,
    }


def run(
    user,
    env: dict[str, str],
    *,
    connections: int,
    duration: float,
    workers: int,
    worker_class: str,
    threads: int,
    warmup: float = 3,
    log=print,
) -> LoadResult:
    name, value = session_cookie(user)
    cookie = f"{name}={value}"
    wrk = ensure_wrk(log)
    tool = "wrk" if wrk else "python http.client threads"
    server = Gunicorn(env, workers=workers, worker_class=worker_class, threads=threads)
    res = LoadResult(tool=tool, server=server.describe, connections=connections, duration_s=duration)
    with server:
        try:
            server.wait_ready(cookie)
        except RuntimeError as err:
            res.error = str(err)
            log(f"  !! {err}")
            return res
        url = f"http://127.0.0.1:{server.port}{PATH}"
        log(f"  {server.describe} on :{server.port}; {tool}, {connections} connections, {duration:g} s")
        if wrk:
            run_wrk(wrk, url, cookie, connections=connections, duration=warmup)
            f = run_wrk(wrk, url, cookie, connections=connections, duration=duration, page_bytes=server.page_bytes)
            res.socket_errors = sum(f.get(k, 0) for k in ("connect", "read", "write", "timeout"))
            res.extra["wrk_output"] = f.pop("raw")
        else:
            run_python(server.port, cookie, connections=connections, duration=warmup)
            f = run_python(server.port, cookie, connections=connections, duration=duration)
            res.socket_errors = f.get("connect", 0)
    res.requests, res.ok, res.non_2xx = f["requests"], f["ok"], f["bad"]
    res.rps = round(f["requests"] / (f["duration_us"] / 1e6), 1)
    res.p50_ms, res.p90_ms, res.p99_ms = (round(f[f"p{p}_us"] / 1000, 1) for p in (50, 90, 99))
    res.mean_ms, res.max_ms = round(f["mean_us"] / 1000, 1), round(f["max_us"] / 1000, 1)
    if res.non_2xx:
        res.error = f"{res.non_2xx} of {res.requests} responses were not 2xx (last: {f.get('last_bad')})"
        log(f"  !! {res.error}")
    log(
        f"  {res.rps} requests/s, p50 {res.p50_ms} ms, p99 {res.p99_ms} ms; "
        f"{res.non_2xx} non-2xx, {res.socket_errors} socket errors"
    )
    return res


def as_dict(r: LoadResult) -> dict:
    return asdict(r)
