"""Helpers for the import tests: small export files written in tmp_path, and the import run on them.

The files follow IMPORT.md; the tests change a line here and there to make a row or a file wrong.
"""

from pathlib import Path

from django.utils import translation

from regie.housing.models import ArrearsSnapshot, Event, Person, Tenancy, Unit
from regie.signalling.importing.service import import_paths

UNITS = [
    "unit_id;street;house_number;house_number_suffix;postcode;city;district",
    "U1;Kerkstraat;1;;1234AB;Amersfoort;BU01",
    "U2;Kerkstraat;2;a;1234 ab;Amersfoort;BU01",
    "U3;Molenweg;10;;3811 CD;Amersfoort;BU02",
]
TENANCIES = [
    "tenancy_id;unit_id;start_date;end_date;monthly_rent",
    "T1;U1;2020-01-01;;650,00",
    "T2;U2;01-03-2019;;€ 1.234,56",
    "T3;U3;2015-05-01;2024-06-30;700.00",
    "T4;U3;2024-06-30;;720",
]
PERSONS = [
    "person_id;tenancy_id;role;first_name;name_prefix;last_name;birth_date;phone;email",
    "P1;T1;HUU;Jan;de;Vries;1970-01-01;06-1;",
    "P2;T1;MDH;Anna;;Bakker;1972-02-02;;",
    "P3;T1;KIN;Kim;de;Vries;2010-03-03;;",
    "P4;T2;RELATIEROLSOORT.HUU;Fatma;;Kaya;;;",
    "P5;T2;MDH;Ali;;Kaya;;;",
    "P6;T4;HUU;Piet;van der;Meer;;;",
]
ARREARS = [
    "tenancy_id;date;balance",
    "T1;2026-01-01;0",
    "T1;2026-02-01;-12,50",
    "T2;2026-01-01;1.234,56",
]
EVENTS = [
    "event_id;source;date;tenancy_id;unit_id;type;severity;description",
    "E1;INC;2026-01-05;T1;;REGIE.AAN;;eerste aanmaning",
    "E2;OHD;2026-02-01;;U2;ZAAKTYPEDETAILSOORT.VER;2;",
    "E3;WIJ;2024-06-30;;U3;REGIE.VWL;3;",
]
FILES = {"units": UNITS, "tenancies": TENANCIES, "persons": PERSONS, "arrears": ARREARS, "events": EVENTS}


def write(folder: Path, name: str, lines: list[str], *, sep: str = ";", encoding: str = "utf-8", bom=False) -> Path:
    """A CSV file from lines written with `;` (changed to `sep`)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n".join(line.replace(";", sep) for line in lines) + "\n"
    data = text.encode(encoding)
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(folder: Path, name: str, rows: list[list]) -> Path:
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.create_sheet("second")["A1"] = "not read"
    path = folder / name
    book.save(path)
    return path


def world(folder: Path, **changes: list[str]) -> Path:
    """The five files in a folder; `changes` replaces a kind's lines."""
    for kind, lines in (FILES | changes).items():
        write(folder, f"{kind}.csv", lines)
    return folder


def run(tmp_path: Path, *paths: Path, **kwargs):
    """import_paths in English, with the report under tmp_path/report."""
    kwargs.setdefault("report_dir", tmp_path / "report")
    with translation.override("en"):
        return import_paths(paths=list(paths), **kwargs)


def problems(result) -> list[tuple]:
    """(file, line, column, reason) of every row problem."""
    return [(p.file, p.line, p.column, p.reason) for p in result.problems]


def counts(result) -> dict[str, tuple[int, ...]]:
    """Per file: (rows, new, changed, unchanged, rejected)."""
    return {f.name: (f.rows, f.new, f.changed, f.unchanged, f.rejected) for f in result.files}


def snapshot() -> dict[str, list]:
    """Everything the import writes, to compare the database before and after."""
    return {
        "units": list(Unit.objects.order_by("unit_id").values()),
        "tenancies": list(Tenancy.objects.order_by("tenancy_id").values()),
        "persons": list(Person.objects.order_by("person_id").values()),
        "arrears": list(ArrearsSnapshot.objects.order_by("tenancy_id", "date").values()),
        "events": list(Event.objects.order_by("source", "event_id").values()),
    }


def nothing_written() -> bool:
    return not any(m.objects.exists() for m in (Unit, Tenancy, Person, ArrearsSnapshot, Event))
