"""What an export file may look like (IMPORT.md): separators, encodings, XLSX, header spellings,
date, amount and postcode formats; and how the lines of a file are counted."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from regie.housing.models import ArrearsSnapshot, Person, Tenancy, Unit
from tests.test_import_kit import UNITS, counts, problems, run, world, write, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sep", [";", ","])
def test_separator_is_detected(tmp_path, sep):
    result = run(tmp_path, write(tmp_path / "in", "units.csv", UNITS, sep=sep))
    assert result.exit_code == 0, result.problems
    assert Unit.objects.get(unit_id="U2").house_number_suffix == "a"


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("cp1252", False)], ids=["utf8", "bom", "cp1252"]
)
def test_encodings(tmp_path, encoding, bom):
    lines = ["unit_id;street;house_number;postcode;city", "U1;Rue de l'Église;1;1234AB;Café-Zuid"]
    result = run(tmp_path, write(tmp_path / "in", "units.csv", lines, encoding=encoding, bom=bom))
    assert result.exit_code == 0, result.problems
    unit = Unit.objects.get(unit_id="U1")  # with a BOM, the first column's name is still unit_id
    assert (unit.street, unit.city) == ("Rue de l'Église", "Café-Zuid")


def test_xlsx_first_sheet_with_typed_cells(tmp_path):
    rows = [
        ["Contractnummer", "VHE", "Ingangsdatum", "Einddatum", "Huurprijs"],
        ["T1", "U1", datetime(2020, 1, 1), None, 1234.56],
        [None, None, None, None, None],  # an empty row: no row, but it counts as a line
        ["T2", 7, "01-02-2021", "", "650,5"],
    ]
    run(tmp_path, write(tmp_path / "u", "units.csv", [*UNITS, "7;Molenweg;1;;1234AB;Soest;"]))
    result = run(tmp_path, write_xlsx(tmp_path / "in", "huurovereenkomsten.xlsx", rows))
    assert result.exit_code == 0, result.problems
    assert counts(result) == {"huurovereenkomsten.xlsx": (2, 2, 0, 0, 0)}
    t1, t2 = Tenancy.objects.order_by("tenancy_id")
    assert (t1.start_date, t1.monthly_rent) == (date(2020, 1, 1), Decimal("1234.56"))
    assert (t2.unit.unit_id, t2.start_date, t2.monthly_rent) == ("7", date(2021, 2, 1), Decimal("650.50"))


def test_xlsx_line_numbers(tmp_path):
    rows = [
        ["unit_id", "street", "house_number", "postcode", "city"],
        ["U1", "A", 1, "1234AB", "X"],
        [],
        ["U2", "B", "1a", "1234AB", "X"],
    ]
    result = run(tmp_path, write_xlsx(tmp_path / "in", "units.xlsx", rows))
    assert problems(result) == [("units.xlsx", 4, "house_number", "not a whole number")]


def test_header_names_ignore_case_spaces_and_underscores_and_take_dutch_aliases(tmp_path):
    units = [
        "VHE nummer;Straat;HuisNummer;Toevoeging;POST_CODE;woonplaats;Buurtcode;Opmerking",
        "U1;Kerkstraat;1;;1234AB;Stad;BU01;x",
    ]
    persons = [
        "Relatienummer;Contract nummer;ROL;Voornaam;Tussenvoegsel;Achternaam;Geboortedatum;Telefoon;E-mail",
        "P1;T1;huu;Jan;de;Vries;27-11-1970;06;j@example.nl",
    ]
    result = run(
        tmp_path,
        world(
            tmp_path / "in",
            units=units,
            tenancies=["Overeenkomst;Eenheid;Begindatum;Einddatum;Kale huur", "T1;U1;2020-01-01;;500"],
            persons=persons,
            arrears=["contractnummer;Peildatum;Achterstand", "T1;2026-01-01;1"],
            events=[
                "Meldingnummer;Bron;Datum;Contractnummer;VHE;Soort;Ernst;Omschrijving",
                "E1;inc;2026-01-01;T1;;regie.aan;2;",
            ],
        ),
    )
    assert result.exit_code == 0, (result.errors, result.problems)
    # The extra column is reported once, as a warning, not per row.
    assert [(w.file, w.line, w.column) for w in result.warnings if w.column == "Opmerking"] == [
        ("units.csv", 1, "Opmerking")
    ]
    person = Person.objects.get()
    assert (person.role, person.birth_date, person.email) == ("HUU", date(1970, 11, 27), "j@example.nl")


def test_kind_from_dutch_file_names_and_from_the_columns(tmp_path):
    folder = tmp_path / "in"
    write(folder, "verhuureenheden.csv", UNITS)
    write(folder, "export-2.csv", ["contractnummer;vhe;ingangsdatum;huurprijs", "T1;U1;2020-01-01;500"])  # by columns
    write(folder, "gebeurtenissen.csv", ["event_id;source;date;unit_id;type", "E1;OHD;2026-01-01;U1;REGIE.GTO"])
    result = run(tmp_path, folder)
    assert result.exit_code == 0, (result.errors, result.problems)
    assert [(f.name, f.kind) for f in result.files] == [
        ("verhuureenheden.csv", "units"),
        ("export-2.csv", "tenancies"),
        ("gebeurtenissen.csv", "events"),
    ]


def test_dates_and_amounts(tmp_path):
    run(tmp_path, world(tmp_path / "w"))
    amounts = ["1234.56", "1234,56", "1.234,56", "€ 1.234,56", "-12,50", "-€ 12,50", "0", "12"]
    lines = ["tenancy_id;date;balance"] + [f"T1;{d:02d}-01-2025;{a}" for d, a in enumerate(amounts, start=1)]
    lines.append("T2;2025-01-31 00:00:00;€ -0,01")  # a timestamp: its day counts
    result = run(tmp_path, write(tmp_path / "in", "arrears.csv", lines))
    assert result.exit_code == 0, result.problems
    got = list(
        ArrearsSnapshot.objects.filter(date__year=2025)
        .order_by("tenancy__tenancy_id", "date")
        .values_list("date", "balance")
    )
    expected = ["1234.56", "1234.56", "1234.56", "1234.56", "-12.50", "-12.50", "0.00", "12.00", "-0.01"]
    assert [b for _d, b in got] == [Decimal(x) for x in expected]
    assert got[0][0] == date(2025, 1, 1) and got[-1][0] == date(2025, 1, 31)


@pytest.mark.parametrize("value", ["1,234", "12.3.4", "1.2,345", "12,345", "€", "abc", "1e3", "--5"])
def test_amounts_that_cant_be_read(tmp_path, value):
    run(tmp_path, world(tmp_path / "w"))
    result = run(tmp_path, write(tmp_path / "in", "arrears.csv", ["tenancy_id;date;balance", f"T1;2025-01-01;{value}"]))
    assert problems(result) == [("arrears.csv", 2, "balance", "not an amount in euros")]


@pytest.mark.parametrize("value", ["2025-02-30", "31-04-2025", "2025/01/01x", "01-01-25", "gisteren"])
def test_dates_that_cant_be_read(tmp_path, value):
    run(tmp_path, world(tmp_path / "w"))
    result = run(tmp_path, write(tmp_path / "in", "arrears.csv", ["tenancy_id;date;balance", f"T1;{value};1"]))
    assert problems(result) == [("arrears.csv", 2, "date", "not a date")]


def test_postcodes(tmp_path):
    lines = ["unit_id;street;house_number;postcode;city", "U1;A;1;1234AB;X", "U2;A;2;1234 ab;X", "U3;A;3; 9999zz ;X"]
    lines += ["U4;A;4;0123AB;X", "U5;A;5;1234 A;X", "U6;A;6;12345;X"]
    result = run(tmp_path, write(tmp_path / "in", "units.csv", lines), accept_partial=True)
    assert dict(Unit.objects.values_list("unit_id", "postcode")) == {"U1": "1234 AB", "U2": "1234 AB", "U3": "9999 ZZ"}
    assert [(p.line, p.reason) for p in result.problems] == [(i, "not a Dutch postcode") for i in (5, 6, 7)]


def test_line_numbers_count_blank_lines_and_line_breaks_inside_quotes(tmp_path):
    run(tmp_path, world(tmp_path / "w"))
    lines = [
        "event_id;source;date;tenancy_id;unit_id;type;severity;description",
        'E11;INC;2026-01-01;T1;;REGIE.AAN;1;"first line',
        'second line; with a separator"',
        "",
        "E12;INC;2026-01-01;T1;;REGIE.AAN;9;",
        ";;;;;;;",
        "E13;INC;2026-01-01;T1;;REGIE.AAN;1;too;many",
    ]
    result = run(tmp_path, write(tmp_path / "in", "events.csv", lines), accept_partial=True)
    assert problems(result) == [
        ("events.csv", 5, "severity", "severity outside 1–3"),
        ("events.csv", 7, "", "the row has more fields than the header"),
    ]
    assert counts(result) == {"events.csv": (3, 1, 0, 0, 2)}
    from regie.housing.models import Event

    assert Event.objects.get(event_id="E11").description == "first line\nsecond line; with a separator"


def test_crlf_line_endings(tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes("\r\n".join([*UNITS, "U9;A;x;;1234AB;X;"]).encode() + b"\r\n")
    result = run(tmp_path, path, accept_partial=True)
    assert problems(result) == [("units.csv", 5, "house_number", "not a whole number")]
    assert Unit.objects.get(unit_id="U3").district == "BU02"  # no "\r" left on the last column
