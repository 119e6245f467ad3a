"""The corporation's annual social-results report, for the performance agreements with the
municipality: anonymous aggregates only, as PDF (WeasyPrint) and XLSX (openpyxl).

No names, addresses, case or tenancy numbers, and no staff names: counts, sums, medians and means
over all teams, and per area. Small counts can point at a household, so any count from 1 to
SUPPRESS_BELOW - 1 is shown as "<5", and a sum, median or mean over fewer than SUPPRESS_BELOW
cases is left out ("–"). A zero is shown: it points at nobody.
"""

import io
from datetime import date, timedelta
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import Area, Team
from regie.cases.models import Case, Outcome
from regie.results import indicators as ind
from regie.results.selectors import zrm_change

SUPPRESS_BELOW = 5
SUPPRESSED = f"<{SUPPRESS_BELOW}"
LEFT_OUT = "–"


def count(n: int):
    return SUPPRESSED if 0 < n < SUPPRESS_BELOW else n


def over(n: int, value):
    """A figure computed over n cases, shown only when n is large enough."""
    if value is None or n < SUPPRESS_BELOW:
        return LEFT_OUT
    return value


def report_data(year: int) -> dict:
    start, end = date(year, 1, 1), date(year, 12, 31)
    teams = list(Team.objects.all())
    cases = Case.objects.filter(team__in=teams).order_by()
    f = ind.compute_all(start=start, end=end, teams=teams)
    end_moment = ind.day_start(end + timedelta(days=1))
    opened = cases.filter(opened_at__gte=ind.day_start(start), opened_at__lt=end_moment)
    closed = ind._closed_in(cases, start, end)
    closed_ids = list(closed.values_list("pk", flat=True))
    paid = f["arrears_paid_down"]
    days = f["days_to_contact"]
    evicted = closed.filter(outcome=Outcome.EVICTED).count()

    key = [
        (_("Cases opened"), count(opened.count())),
        (_("Cases closed"), count(len(closed_ids))),
        (_("Cases open at the end of the year"), count(int(f["caseload"].value))),
        (_("Evictions prevented"), count(int(f["evictions_prevented"].value))),
        (_("Evictions among case households"), count(evicted)),
        (_("Cases closed with self-sufficiency gained"), count(int(f["closed_self_sufficient"].value))),
        (_("Arrears paid down (euros)"), over(len(paid.case_ids), paid.value)),
        (_("Median days from signal to first contact"), over(len(days.case_ids), days.value)),
        (_("Aftercare checks without recurrence"), count(int(f["aftercare_holds"].value))),
    ]
    outcomes = dict.fromkeys(Outcome.values, 0)
    for o in closed.values_list("outcome", flat=True):
        outcomes[o] = outcomes.get(o, 0) + 1
    outcome_rows = [(str(Outcome(o).label), count(n)) for o, n in outcomes.items()]
    area_rows = []
    for area in Area.objects.order_by("name"):
        a_cases = cases.filter(team__area=area)
        area_rows.append(
            (
                area.name,
                count(a_cases.filter(pk__in=opened.values("pk")).count()),
                count(ind._closed_in(a_cases, start, end).count()),
                count(ind.open_at(a_cases, end_moment).count()),
            )
        )
    zrm_rows = [(label, over(n, a), over(n, b), count(n)) for label, a, b, n in zrm_change(closed_ids)]
    return {
        "year": year,
        "made_on": timezone.localdate(),
        "suppress_below": SUPPRESS_BELOW,
        "sections": [
            {"title": _("Key figures"), "columns": [_("Figure"), _("Value")], "rows": key},
            {"title": _("Cases closed by outcome"), "columns": [_("Outcome"), _("Cases")], "rows": outcome_rows},
            {
                "title": _("Per area"),
                "columns": [_("Area"), _("Cases opened"), _("Cases closed"), _("Open at the end of the year")],
                "rows": area_rows,
            },
            {
                "title": _("Self-sufficiency (ZRM) at intake and at closure, cases closed in the year"),
                "columns": [_("Domain"), _("Mean at intake"), _("Mean at closure"), _("Cases")],
                "rows": zrm_rows,
            },
        ],
    }


def report_html(year: int) -> str:
    return render_to_string("results/report_pdf.html", report_data(year))


def report_pdf_bytes(year: int) -> bytes:
    from weasyprint import HTML

    # No base URL: the document loads nothing from outside itself.
    return HTML(string=report_html(year)).write_pdf()


def report_xlsx_bytes(year: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from regie.core.csvsafe import xlsx_cells

    data = report_data(year)
    wb = Workbook()
    ws = wb.active
    ws.title = str(year)
    bold = Font(bold=True)
    ws.append([_("Social results %(year)s") % {"year": year}])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            _(
                "Anonymous aggregates. Counts from 1 to %(n)s are shown as <%(m)s; "
                "figures over fewer than %(m)s cases are left out."
            )
            % {"n": SUPPRESS_BELOW - 1, "m": SUPPRESS_BELOW}
        ]
    )
    # Labels are names users typed (teams, indicators): xlsx_cells keeps a leading = as text.
    for section in data["sections"]:
        ws.append([])
        ws.append(xlsx_cells(ws, [section["title"]]))
        ws.cell(row=ws.max_row, column=1).font = bold
        ws.append(xlsx_cells(ws, [str(c) for c in section["columns"]]))
        for cell in ws[ws.max_row]:
            cell.font = bold
        for row in section["rows"]:
            ws.append(xlsx_cells(ws, [float(v) if isinstance(v, Decimal) else v for v in row]))
    ws.column_dimensions["A"].width = 50
    for col in "BCD":
        ws.column_dimensions[col].width = 18
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
