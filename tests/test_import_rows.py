"""Wrong rows (reported with line, column, value, reason and fix) and wrong files (refused whole)."""

import pytest

from tests.test_import_kit import EVENTS, TENANCIES, UNITS, counts, nothing_written, problems, run, world, write

pytestmark = pytest.mark.django_db


def test_bad_units(tmp_path):
    lines = [
        *UNITS,
        "U4;;4;;1234AB;Stad;",  # street missing
        "U5;Weg;5a;;1234AB;Stad;",  # house number with a letter
        "U6;Weg;0;;1234AB;Stad;",
        "U7;Weg;7;;123AB;Stad;",
        "U1;Weg;8;;1234AB;Stad;",  # U1 again
        ";Weg;9;;1234AB;Stad;",
        "U8;Weg;10;;1234AB;" + "x" * 81 + ";",
    ]
    result = run(tmp_path, write(tmp_path / "in", "units.csv", lines))
    assert result.exit_code == 1
    assert problems(result) == [
        ("units.csv", 5, "street", "required value missing"),
        ("units.csv", 6, "house_number", "not a whole number"),
        ("units.csv", 7, "house_number", "house number 0 does not exist"),
        ("units.csv", 8, "postcode", "not a Dutch postcode"),
        ("units.csv", 9, "unit_id", "the same unit_id as line 2"),
        ("units.csv", 10, "unit_id", "required value missing"),
        ("units.csv", 11, "city", "longer than 80 characters"),
    ]
    p = result.problems[1]
    assert (p.value, p.fix) == (
        "5a",
        "Write the number in digits only; a letter or addition goes in house_number_suffix.",
    )
    assert nothing_written()


def test_bad_tenancies(tmp_path):
    lines = [
        *TENANCIES,
        "T5;U9;2020-01-01;;500",  # no such unit
        "T6;U1;2020-01-01;;0",
        "T7;U1;2020-01-01;;-5,00",
        "T8;U1;2020-01-01;2019-12-31;500",
        "T9;U1;1-13-2020;;500",
        "T10;U1;2020-01-01;;vijfhonderd",
        "T11;U1;;;",
    ]
    result = run(tmp_path, world(tmp_path / "in", tenancies=lines))
    assert problems(result) == [
        ("tenancies.csv", 6, "unit_id", "refers to a unit that doesn't exist"),
        ("tenancies.csv", 7, "monthly_rent", "rent of 0 or less"),
        ("tenancies.csv", 8, "monthly_rent", "rent of 0 or less"),
        ("tenancies.csv", 9, "end_date", "end date before the start date"),
        ("tenancies.csv", 10, "start_date", "not a date"),
        ("tenancies.csv", 11, "monthly_rent", "not an amount in euros"),
        ("tenancies.csv", 12, "start_date", "required value missing"),
        ("tenancies.csv", 12, "monthly_rent", "required value missing"),
    ]
    assert result.problems[0].value == "U9"


def test_bad_persons_and_arrears(tmp_path):
    persons = [
        "person_id;tenancy_id;role;last_name",
        "P1;T1;HUU;Vries",
        "P2;T1;OUDER;Vries",
        "P3;T99;KIN;Vries",
        "P4;T1;MDH;",
    ]
    arrears = ["tenancy_id;date;balance", "T1;2026-01-01;1", "T1;01-01-2026;2", "T1;2026-01-02;", "T99;2026-01-01;1"]
    result = run(tmp_path, world(tmp_path / "in", persons=persons, arrears=arrears))
    assert problems(result) == [
        ("persons.csv", 3, "role", "not a household role"),
        ("persons.csv", 4, "tenancy_id", "refers to a tenancy that doesn't exist"),
        ("persons.csv", 5, "last_name", "required value missing"),
        ("arrears.csv", 3, "tenancy_id+date", "the same tenancy_id + date as line 2"),  # one day, two spellings
        ("arrears.csv", 4, "balance", "required value missing"),
        ("arrears.csv", 5, "tenancy_id", "refers to a tenancy that doesn't exist"),
    ]
    assert result.problems[3].value == "T1 / 01-01-2026"


def test_bad_events(tmp_path):
    events = [
        *EVENTS,
        "E9;INC;2026-01-01;;;REGIE.AAN;;",  # neither tenancy nor unit
        "E10;INC;2026-01-01;T1;;REGIE.XXX;;",
        "E11;INC;2026-01-01;T1;;RELATIEROLSOORT.HUU;;",  # a VERA code, but not of an event kind
        "E12;INC;2026-01-01;T1;;ZAAKTYPEDETAILSOORT.ZZZ;;",
        "E13;BANK;2026-01-01;T1;;REGIE.AAN;;",
        "E14;INC;2026-01-01;T1;;REGIE.AAN;4;",
        "E15;INC;2026-01-01;;U99;REGIE.AAN;;",
        "E1;INC;2026-02-01;T1;;REGIE.AAN;;",  # INC/E1 again
        "E1;OHD;2026-02-01;T1;;REGIE.GTO;;",  # the same number from another source is another event
    ]
    result = run(tmp_path, world(tmp_path / "in", events=events))
    assert problems(result) == [
        ("events.csv", 5, "tenancy_id+unit_id", "neither tenancy_id nor unit_id"),
        ("events.csv", 6, "type", "not a known event type"),
        ("events.csv", 7, "type", "not a known event type"),
        ("events.csv", 8, "type", "not a known event type"),
        ("events.csv", 9, "source", "not a known source"),
        ("events.csv", 10, "severity", "severity outside 1–3"),
        ("events.csv", 11, "unit_id", "refers to a unit that doesn't exist"),
        ("events.csv", 12, "source+event_id", "the same source + event_id as line 2"),
    ]
    assert counts(result)["events.csv"] == (12, 0, 0, 0, 8)


def test_every_file_is_checked_in_one_go(tmp_path):
    units = [*UNITS, "U4;Weg;x;;1234AB;Stad;"]
    events = [*EVENTS, "E9;INC;gisteren;T1;;REGIE.AAN;;"]
    result = run(tmp_path, world(tmp_path / "in", units=units, events=events))
    assert [(p.file, p.line) for p in result.problems] == [("units.csv", 5), ("events.csv", 5)]
    assert result.problem_count == 2


@pytest.mark.parametrize(
    ("name", "lines", "message"),
    [
        (
            "units.csv",
            ["unit_id;house_number;postcode;city", "U1;1;1234AB;X"],
            "Required column missing in this units file: street (also accepted: straat).",
        ),
        (
            "units.csv",
            ["unit_id;vhe;street;house_number;postcode;city"],
            "Column unit_id appears twice (as 'unit_id' and 'vhe').",
        ),
        ("units.csv", [""], "The file is empty"),
        ("gegevens.csv", ["a;b;c", "1;2;3"], "Can't tell what this file holds"),
        ("units.csv", TENANCIES, "This is not a units file: its columns are those of a tenancies file."),
    ],
)
def test_files_that_cant_be_used_are_refused(tmp_path, name, lines, message):
    result = run(tmp_path, world(tmp_path / "in"), write(tmp_path / "x", name, lines))
    assert result.exit_code == 2
    assert len(result.errors) == 1 and result.errors[0].startswith(f"{name}: ")
    assert message in result.errors[0]
    assert nothing_written()  # the good files of the import are not written either


def test_forced_kind_that_doesnt_fit(tmp_path):
    result = run(tmp_path, write(tmp_path / "in", "export.csv", TENANCIES), kind="units")
    assert result.exit_code == 2
    assert "not a units file" in result.errors[0]
    ok = run(tmp_path, write(tmp_path / "in2", "export.csv", UNITS), kind="units")
    assert ok.exit_code == 0 and ok.files[0].kind == "units"


def test_unreadable_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "units.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / "events.csv").write_bytes("event_id;source\n".encode("utf-16"))
    (folder / "arrears.csv").write_bytes(b"tenancy_id;date;balance\nT1;\x81\x8d;1\n")  # neither UTF-8 nor cp1252
    (folder / "persons.xls").write_bytes(b"\xd0\xcf\x11\xe0")  # ignored: only .csv and .xlsx are read in a folder
    result = run(tmp_path, folder, tmp_path / "missing.csv")
    assert result.exit_code == 2
    errors = sorted(result.errors)
    assert errors[0].startswith("arrears.csv: The file's characters can't be read")
    assert errors[1].startswith("events.csv: The file is in UTF-16")
    assert errors[2] == "missing.csv: No such file or folder."
    assert errors[3].startswith("units.xlsx: The file can't be opened as an Excel workbook")
    with open(result.report_path, encoding="utf-8-sig") as fh:
        assert fh.read().count("\n") == 5  # header and the four refusals


def test_a_folder_without_files(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run(tmp_path, tmp_path / "empty")
    assert result.exit_code == 2 and "no CSV or XLSX" in result.errors[0]
