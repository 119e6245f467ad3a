"""A small server-drawn SVG bar chart of arrears: no script needed, with a data table beside it."""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from regie.core.templatetags.regie import euro


@dataclass
class Bar:
    # Coordinates as ready-made strings: formatting them in the template cost more than the rest.
    x: str
    y: str
    height: str
    width: str
    high: bool
    label: str
    value: Decimal


def arrears_svg(chart: dict) -> SafeString:
    """The bars as SVG markup, drawn here rather than in a template loop (the household page's
    slowest part: a template tag per bar and per figure)."""
    rects = "".join(
        f'<rect class="bar{" high" if b.high else ""}" x="{b.x}" y="{b.y}" width="{b.width}" height="{b.height}">'
        f"<title>{escape(b.label)}: {escape(euro(b.value))}</title></rect>"
        for b in chart["bars"]
    )
    return mark_safe(rects)  # noqa: S308 - numbers we formatted and escaped labels


def arrears_table_rows(snapshots) -> SafeString:
    """The figures behind the chart, newest first, as table rows."""
    rows = "".join(
        f'<tr><td>{date_format(s.date, "SHORT_DATE_FORMAT")}</td><td class="num">{escape(euro(s.balance))}</td></tr>'
        for s in reversed(snapshots)
    )
    return mark_safe(rows)  # noqa: S308 - dates and amounts we formatted


def arrears_bars(snapshots, monthly_rent: Decimal, *, width: int = 600, height: int = 120) -> dict:
    points = snapshots[-24:]
    if not points:
        return {"bars": [], "width": width, "height": height}
    top = max([max(p.balance, Decimal(0)) for p in points] + [monthly_rent])
    slot = width / len(points)
    bars = []
    for i, p in enumerate(points):
        value = max(p.balance, Decimal(0))
        h = float(value / top) * (height - 20) if top else 0
        bars.append(
            Bar(
                x=f"{i * slot + 1:.1f}",
                y=f"{height - 15 - h:.1f}",
                height=f"{h:.1f}",
                width=f"{max(slot - 2, 1):.1f}",
                high=p.balance >= 3 * monthly_rent,
                label=p.date.strftime("%m-%y"),
                value=p.balance,
            )
        )
    rent_y = height - 15 - float(monthly_rent / top) * (height - 20)
    return {"bars": bars, "width": width, "height": height, "rent_y": f"{rent_y:.1f}"}


def arrears_sparkline(balances: list[Decimal], monthly_rent: Decimal, *, label: str) -> SafeString:
    """A tiny bar chart of the latest balances (oldest first) for a list row; `label` says it in
    words for screen readers (the figures themselves are on the household's page)."""
    if not balances:
        return mark_safe("")  # noqa: S308 - empty
    width, height = 72, 18
    top = max([max(b, Decimal(0)) for b in balances] + [monthly_rent]) or Decimal(1)
    slot = width / len(balances)
    rects = []
    for i, b in enumerate(balances):
        h = max(float(max(b, Decimal(0)) / top) * height, 0.0)
        high = b >= 3 * monthly_rent
        rects.append(
            f'<rect class="bar{" high" if high else ""}" x="{i * slot:.1f}" y="{height - h:.1f}" '
            f'width="{max(slot - 1, 1):.1f}" height="{h:.1f}"></rect>'
        )
    return mark_safe(  # noqa: S308 - numbers we formatted and an escaped label
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}">{"".join(rects)}</svg>'
    )
