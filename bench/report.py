"""The bench's figures as plain-text tables: one comparison table with targets, one of details."""

from __future__ import annotations

from config import DATASET, Targets


def _met(ok: bool) -> str:
    return "yes" if ok else "MISSED"


def rows(fill_info: dict, results, throughput, targets: Targets) -> list[tuple[str, str, str, str]]:
    out: list[tuple[str, str, str, str]] = []
    c = fill_info.get("counts", {})
    size = (
        f"{c.get('households', 0):,} households, {c.get('cases', 0):,} cases, "
        f"{c.get('timeline_entries', 0):,} timeline entries"
    )
    if fill_info.get("filled"):
        out.append((f"Fill ({size})", f"{fill_info['seconds']:.1f} s", "—", "—"))
    else:
        last = fill_info.get("previous_fill_seconds")
        figure = "skipped, data present" + (f" (last fill {last:.1f} s)" if last else "")
        out.append((f"Fill ({size})", figure, "—", "—"))

    for r in results:
        name = f"{r.label} {r.path}"
        if not r.available:
            out.append((f"{name}: server time", "not available", f"p95 ≤ {targets.server_p95_ms:g} ms", "n/a"))
            continue
        figure = f"p50 {r.p50_ms:.1f} / p95 {r.p95_ms:.1f} / p99 {r.p99_ms:.1f} ms"
        met = "ERROR" if r.errors else _met(r.p95_ms <= targets.server_p95_ms)
        if r.errors:
            figure += f" ({r.errors} of {r.n} not 200: {r.statuses})"
        out.append((f"{name}: server time", figure, f"p95 ≤ {targets.server_p95_ms:g} ms", met))
        q = f"{r.queries_max}" if r.queries_min == r.queries_max else f"{r.queries_min}–{r.queries_max}"
        out.append((f"{name}: SQL queries per request", f"{q} ({r.sql_ms:.1f} ms in SQL)", "—", "—"))

    if throughput is not None:
        t = throughput
        name = f"Caseload via {t.server}, {t.connections} connections, {t.duration_s:g} s ({t.tool})"
        if t.rps is None:
            out.append((f"{name}: throughput", f"FAILED: {t.error}", f"≥ {targets.throughput_rps:g} req/s", "ERROR"))
        else:
            out.append(
                (
                    f"{name}: throughput",
                    f"{t.rps:.1f} req/s",
                    f"≥ {targets.throughput_rps:g} req/s",
                    _met(t.rps >= targets.throughput_rps),
                )
            )
            out.append(
                (
                    f"{name}: latency",
                    f"p50 {t.p50_ms:.1f} / p99 {t.p99_ms:.1f} ms",
                    f"p99 < {targets.throughput_p99_ms:g} ms",
                    _met(t.p99_ms < targets.throughput_p99_ms),
                )
            )
            out.append(
                (
                    f"{name}: responses not 2xx",
                    f"{t.non_2xx:,} of {t.requests:,}"
                    + (f", {t.socket_errors} socket errors" if t.socket_errors else ""),
                    "0",
                    "yes" if not t.non_2xx else "ERROR",
                )
            )
    return out


def table(headers: list[str], body: list[tuple], *, right: set[int] = frozenset()) -> str:
    cells = [headers, *[[str(x) for x in row] for row in body]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r):
        return " | ".join(r[i].rjust(widths[i]) if i in right else r[i].ljust(widths[i]) for i in range(len(r)))

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def detail(results) -> str:
    headers = ["page", "path", "n", "mean", "p50", "p95", "p99", "max", "queries", "SQL ms", "KB"]
    body = []
    for r in results:
        if not r.available:
            body.append([r.label, r.path, "not available", "", "", "", "", "", "", "", ""])
            continue
        q = f"{r.queries_max}" if r.queries_min == r.queries_max else f"{r.queries_min}–{r.queries_max}"
        body.append(
            [
                r.label,
                r.path,
                r.n,
                f"{r.mean_ms:.1f}",
                f"{r.p50_ms:.1f}",
                f"{r.p95_ms:.1f}",
                f"{r.p99_ms:.1f}",
                f"{r.max_ms:.1f}",
                q,
                f"{r.sql_ms:.1f}",
                f"{r.bytes / 1024:.0f}",
            ]
        )
    note = (
        f"Server time in ms per request (through the WSGI handler, in-process; {DATASET.households:,} households). "
        "SQL ms: mean time inside SQL of a request."
    )
    return note + "\n" + table(headers, body, right=set(range(2, 11)))
