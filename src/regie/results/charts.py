"""The dashboard's charts: each a title, columns and rows (the table and the CSV) and the series
drawn as a horizontal bar chart in SVG on the server (no script). Colours are SVG presentation
attributes (the CSP forbids inline styles, not these); every bar has a <title>."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from regie.core.csvsafe import safe_row

# Okabe–Ito: distinct for colour-blind readers too; the legend and the table carry the meaning.
SERIES = ["#0072b2", "#e69f00", "#009e73", "#cc79a7"]


@dataclass
class Chart:
    key: str
    title: str
    columns: list[str]
    rows: list[list]  # first cell the label, then one value per column after it
    series: list[int] = field(default_factory=list)  # indexes of the columns drawn as bars
    note: str = ""

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        # Labels are names users typed (teams, partners): never a formula in a spreadsheet.
        writer.writerow(safe_row(self.columns))
        for row in self.rows:
            writer.writerow(safe_row("" if v is None else v for v in row))
        return out.getvalue()

    @property
    def svg(self) -> SafeString:
        return bar_svg(self)


def _num(v) -> float:
    return float(v) if isinstance(v, (int, float, Decimal)) else 0.0


def bar_svg(chart: Chart) -> SafeString:
    if not chart.rows or not chart.series:
        return mark_safe("")  # noqa: S308 - empty
    label_w, plot_w, bar_h, gap, top = 190, 380, 10, 8, 26
    n = len(chart.series)
    row_h = bar_h * n + gap
    height = top + row_h * len(chart.rows) + 6
    width = label_w + plot_w + 70
    peak = max([_num(r[i]) for r in chart.rows for i in chart.series] + [0]) or 1.0
    title_id = f"chart-{chart.key}-title"
    parts = [
        f'<svg class="results-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
    ]
    x = 0
    for k, i in enumerate(chart.series):
        text = escape(str(chart.columns[i]))
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{SERIES[k % len(SERIES)]}"></rect>')
        parts.append(f'<text x="{x + 14}" y="13" font-size="11" fill="#1f2933">{text}</text>')
        x += 14 + 7 * len(text) + 16
    for r, row in enumerate(chart.rows):
        y0 = top + r * row_h
        label = escape(str(row[0]))
        parts.append(
            f'<text x="{label_w - 6}" y="{y0 + (row_h - gap) / 2:.1f}" font-size="11" text-anchor="end" '
            f'dominant-baseline="middle" fill="#1f2933">{label}</text>'
        )
        for k, i in enumerate(chart.series):
            value = _num(row[i])
            w = max(value / peak * plot_w, 0)
            y = y0 + k * bar_h
            tip = escape(f"{row[0]}, {chart.columns[i]}: {'' if row[i] is None else row[i]}")
            parts.append(
                f'<rect x="{label_w}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 1}" '
                f'fill="{SERIES[k % len(SERIES)]}"><title>{tip}</title></rect>'
            )
            if n == 1:
                parts.append(
                    f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 1:.1f}" font-size="10" fill="#1f2933">'
                    f"{escape('' if row[i] is None else str(row[i]))}</text>"
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers we formatted and escaped labels


def _month(d) -> str:
    return date_format(d, "YEAR_MONTH_FORMAT")


def dashboard_charts(data: dict) -> list[Chart]:
    prevented, evicted = data["evictions"]
    return [
        Chart(
            "caseload",
            _("Caseload per professional at the end of the period"),
            [_("Professional"), _("Open cases")],
            [[name, n] for name, n in data["caseload"]],
            [1],
        ),
        Chart(
            "flow",
            _("Flow per month: households newly signalled, cases opened, cases closed"),
            [_("Month"), _("Newly signalled"), _("Cases opened"), _("Cases closed")],
            [[_month(m), s, o, c] for m, s, o, c in data["flow"]],
            [1, 2, 3],
        ),
        Chart(
            "zrm",
            _("Self-sufficiency per domain at intake and at closure (mean ZRM score, cases closed in the period)"),
            [_("Domain"), _("Intake"), _("Closure"), _("Cases")],
            [[label, a, b, n] for label, a, b, n in data["zrm"]],
            [1, 2],
        ),
        Chart(
            "arrears",
            _("Arrears of case households at each month's end"),
            [_("Month end"), _("Arrears (euros)"), _("Households with an open case")],
            [[date_format(d, "SHORT_DATE_FORMAT"), total, n] for d, n, total in data["arrears"]],
            [1],
        ),
        Chart(
            "evictions",
            _("Evictions prevented against evictions among case households"),
            [_("Outcome"), _("Cases")],
            [[_("Eviction prevented"), prevented], [_("Evicted"), evicted]],
            [1],
        ),
        Chart(
            "responses",
            _("Partner response times (referrals sent in the period)"),
            [_("Partner"), _("Referrals"), _("Median days to an answer"), _("Answered"), _("Waiting")],
            [list(r) for r in data["responses"]],
            [2],
        ),
        Chart(
            "obstacles",
            _("Obstacles by status"),
            [_("Status"), _("Obstacles")],
            [[label, n] for label, n in data["obstacles"]],
            [1],
        ),
    ]
