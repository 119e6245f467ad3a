"""The self-sufficiency chart: per ZRM domain a bar for each assessment (score 1–5), drawn on the
server as SVG so it needs no script. Colours are SVG presentation attributes (the CSP forbids
inline styles, not these); every bar has a <title>, and the page shows the same figures as a table.
"""

from html import escape

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from regie.plans.models import Assessment
from regie.plans.selectors import History
from regie.plans.sensitivity import PLACEHOLDER

# Distinct for colour-blind readers too (Okabe–Ito); the legend and the table carry the meaning.
SERIES = ["#999999", "#0072b2", "#e69f00", "#009e73"]
MAX_SERIES = len(SERIES)


def _moment_label(a: Assessment) -> str:
    return f"{Assessment.Moment(a.moment).label} {date_format(a.assessed_on, 'SHORT_DATE_FORMAT')}"


def chart_series(history: History) -> list[int]:
    """Which assessments the chart draws: the baseline and the latest ones after it (the table has all)."""
    n = len(history.assessments)
    if n <= MAX_SERIES:
        return list(range(n))
    base = history.assessments.index(history.baseline) if history.baseline else 0
    rest = [i for i in range(n) if i != base][-(MAX_SERIES - 1) :]
    return sorted([base, *rest])


def zrm_svg(history: History, *, title_id: str = "zrm-chart-title") -> SafeString:
    if not history.assessments:
        return mark_safe("")  # noqa: S308 - empty
    series = chart_series(history)
    label_w, plot_w, bar_h, gap = 170, 300, 7, 8
    row_h = bar_h * len(series) + gap
    top = 34
    height = top + row_h * len(history.rows) + 24
    width = label_w + plot_w + 20
    unit = plot_w / 5
    parts = [
        f'<svg class="zrm-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(_("Self-sufficiency per domain at each assessment (1 to 5)"))}</title>',
    ]
    # Legend.
    x = 0
    for k, i in enumerate(series):
        text = escape(_moment_label(history.assessments[i]))
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{SERIES[k]}"></rect>')
        parts.append(f'<text x="{x + 14}" y="13" font-size="11" fill="#1f2933">{text}</text>')
        x += 14 + 7 * len(text) + 16
    # Grid lines at each score.
    for s in range(1, 6):
        gx = label_w + s * unit
        parts.append(
            f'<line x1="{gx:.1f}" y1="{top - 6}" x2="{gx:.1f}" y2="{height - 20}" stroke="#d0d5dc" '
            f'stroke-width="1"></line>'
            f'<text x="{gx:.1f}" y="{height - 6}" font-size="10" text-anchor="middle" fill="#1f2933">{s}</text>'
        )
    for r, row in enumerate(history.rows):
        y0 = top + r * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y0 + row_h / 2:.1f}" font-size="11" text-anchor="end" '
            f'dominant-baseline="middle" fill="#1f2933">{escape(row.label)}</text>'
        )
        if row.shielded:
            parts.append(
                f'<text x="{label_w + 4}" y="{y0 + row_h / 2:.1f}" font-size="10" dominant-baseline="middle" '
                f'fill="#52606d">{escape(str(PLACEHOLDER))}</text>'
            )
            continue
        for k, i in enumerate(series):
            score = row.scores[i]
            y = y0 + k * bar_h
            a = history.assessments[i]
            if score is None:
                continue
            tip = escape(f"{row.label}, {_moment_label(a)}: {score}")
            parts.append(
                f'<rect x="{label_w}" y="{y:.1f}" width="{score * unit:.1f}" height="{bar_h - 1}" '
                f'fill="{SERIES[k]}"><title>{tip}</title></rect>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers we formatted and escaped labels


def change_text(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"+{change}"
    return str(change)
