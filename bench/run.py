"""`make bench`: issue 2's benchmark, in one run. See bench/README.md.

1. fill a PostgreSQL database of its own (`regie_bench`) with a large corporation, unless it holds
   the data set already;
2. time six pages in-process (server time per request, SQL queries per request);
3. drive the caseload page through gunicorn at 8 concurrent connections;
4. print figures beside targets, write them to bench/out/results.json.

Benchmarks print, they don't fail: the exit status is 0 when targets are missed, and non-zero only
when the figures can't be trusted (database unreachable, pages not answering 200, cookie rejected).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime

# `python bench/run.py` puts bench/ first on sys.path: its modules import each other by name.
import config
import fill
import load
import measure
import report
from config import DATASET, OUT_DIR, ROOT, TARGETS


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.splitlines()[0])
    p.add_argument("--refill", action="store_true", help="empty and refill the bench database")
    p.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    p.add_argument("--warmup", type=int, default=20, help="untimed requests per page first (default 20)")
    p.add_argument("--profile", action="store_true", help="also write cProfile and SQL to bench/out/profile-*.txt")
    p.add_argument("--no-load", action="store_true", help="skip the gunicorn throughput run")
    p.add_argument("--duration", type=float, default=15, help="seconds of load (default 15)")
    p.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    p.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    p.add_argument("--worker-class", default="sync", choices=["sync", "gthread"], help="default sync")
    p.add_argument("--threads", type=int, default=1, help="threads per gthread worker (default 1)")
    return p.parse_args(argv)


def git_commit() -> str:
    """The commit measured, marked when src/ has uncommitted changes."""
    git = shutil.which("git")
    if not git:
        return ""
    opts = {"cwd": ROOT, "capture_output": True, "text": True, "check": False}
    head = subprocess.run([git, "rev-parse", "--short", "HEAD"], **opts)  # noqa: S603 - fixed arguments, no shell
    dirty = subprocess.run([git, "status", "--porcelain", "src"], **opts)  # noqa: S603
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def busy_cpus(seconds: float = 2.0) -> float | None:
    """How many CPUs other work keeps busy, sampled from /proc/stat while this process sleeps.

    A load average would count the bench's own fill and gunicorn run of the minute before."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat") as f:
            ticks = [int(x) for x in f.readline().split()[1:]]
        return sum(ticks), ticks[3] + ticks[4]  # all, idle + iowait

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, IndexError, ValueError):
        return None
    if total1 == total0:
        return None
    return round((1 - (idle1 - idle0) / (total1 - total0)) * (os.cpu_count() or 1), 2)


def warn_if_busy(phase: str, busy: dict) -> None:
    cpus = os.cpu_count() or 1
    used = busy[phase] = busy_cpus()
    if used is not None and used > 0.25:
        print(
            f"  NOTE: other work keeps {used} of {cpus} CPUs busy: the figures below will be "
            "pessimistic; rerun on a quiet machine to compare."
        )


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    url = config.database_url()
    env = config.configure(url)

    print(f"Regie bench: {url.rsplit('@', 1)[-1]}")
    try:
        created = fill.ensure_database(url)
    except Exception as err:  # any connection failure ends the bench the same way
        print(f"!! PostgreSQL is not reachable at {url}: {err}")
        return 2
    if created:
        print("  created the database")

    import django

    # WhiteNoise warns that STATIC_ROOT doesn't exist (collectstatic hasn't run); it serves from finders.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.conf import settings

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append("testserver")

    fill.migrate()
    OUT_DIR.mkdir(exist_ok=True)
    fill_file = OUT_DIR / "fill.json"
    t0 = time.perf_counter()
    if args.refill or not fill.is_filled(DATASET):
        print("[1/3] filling the bench database")
        tables = fill.fill(DATASET, url)
        fill_info = {
            "filled": True,
            "seconds": round(time.perf_counter() - t0, 1),
            "tables": tables,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        fill_file.write_text(json.dumps(fill_info, indent=2))
        print(f"  filled in {fill_info['seconds']} s")
    else:
        previous = json.loads(fill_file.read_text()) if fill_file.exists() else {}
        fill_info = {
            "filled": False,
            "seconds": round(time.perf_counter() - t0, 1),
            "previous_fill_seconds": previous.get("seconds"),
            "previous_fill_at": previous.get("at"),
        }
        print("[1/3] the bench database holds the data set already (--refill to refill)")
    fill_info["counts"] = fill.counts()

    busy: dict[str, float | None] = {}
    print(f"[2/3] server time per request, in-process ({args.requests} requests per page)")
    warn_if_busy("before server time", busy)
    who, results = measure.run(requests=args.requests, warmup=args.warmup, profile=args.profile)

    throughput = None
    if not args.no_load:
        print("[3/3] throughput of the caseload page through gunicorn")
        warn_if_busy("before throughput", busy)
        user = measure.bench_user()
        throughput = load.run(
            user,
            env,
            connections=args.connections,
            duration=args.duration,
            workers=args.workers,
            worker_class=args.worker_class,
            threads=args.threads,
        )

    busy["at the end"] = busy_cpus(1.0)
    rows = report.rows(fill_info, results, throughput, TARGETS)
    print()
    print(report.table(["measure", "figure", "target", "met?"], rows))
    print()
    print(report.detail(results))
    print(f"CPUs busy with other work (of {os.cpu_count()}): " + ", ".join(f"{k} {v}" for k, v in busy.items()))
    missed = [r[0] for r in rows if r[3] in ("MISSED", "ERROR")]
    if missed:
        print()
        print("MISSED: " + "; ".join(missed))
    total = round(time.perf_counter() - started, 1)
    data = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus_busy_with_other_work": busy,
        },
        "database": url.rsplit("@", 1)[-1],
        "dataset": {**DATASET.__dict__, "cases": DATASET.cases, "timeline_entries": DATASET.timeline_entries},
        "targets": TARGETS.__dict__,
        "fill": fill_info,
        "as": who,
        "requests_per_page": args.requests,
        "server_time": [measure.as_dict(r) for r in results],
        "throughput": load.as_dict(throughput) if throughput else None,
        "table": [dict(zip(["measure", "figure", "target", "met"], r, strict=True)) for r in rows],
        "missed": missed,
        "total_seconds": total,
    }
    (OUT_DIR / "results.json").write_text(json.dumps(data, indent=2, default=str))
    print(f"\nFigures written to {OUT_DIR.relative_to(ROOT) / 'results.json'}; the whole run took {total} s.")
    broken = [r.label for r in results if r.errors] + ([] if not throughput or not throughput.error else ["load"])
    if broken:
        print("!! Some figures can't be trusted (responses other than 200): " + ", ".join(broken))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
