"""The import's writes: counts, idempotence, all-or-nothing, partial imports with rejects files,
dry runs, and what the app relies on (household names, areas, events resolved to tenancies)."""

import csv
import json
from datetime import date
from decimal import Decimal

import pytest

from regie.housing.models import AreaDistrict, ArrearsSnapshot, Event, Person, Tenancy, Unit
from regie.signalling.models import ImportRun
from tests.factories import AreaFactory, TenancyFactory, UnitFactory
from tests.test_import_kit import (
    EVENTS,
    PERSONS,
    TENANCIES,
    UNITS,
    counts,
    nothing_written,
    problems,
    run,
    snapshot,
    world,
    write,
)

pytestmark = pytest.mark.django_db


def test_a_folder_imports_in_dependency_order(tmp_path):
    result = run(tmp_path, world(tmp_path / "in"))
    assert result.exit_code == 0, result.problems
    assert [f.kind for f in result.files] == ["units", "tenancies", "persons", "arrears", "events"]
    assert counts(result) == {
        "units.csv": (3, 3, 0, 0, 0),
        "tenancies.csv": (4, 4, 0, 0, 0),
        "persons.csv": (6, 6, 0, 0, 0),
        "arrears.csv": (3, 3, 0, 0, 0),
        "events.csv": (3, 3, 0, 0, 0),
    }
    assert result.written
    t2 = Tenancy.objects.get(tenancy_id="T2")
    assert (t2.unit.unit_id, t2.start_date, t2.end_date, t2.monthly_rent) == (
        "U2",
        date(2019, 3, 1),
        None,
        Decimal("1234.56"),
    )
    u2 = Unit.objects.get(unit_id="U2")
    assert (u2.house_number, u2.house_number_suffix, u2.postcode) == (2, "a", "1234 AB")
    assert ArrearsSnapshot.objects.get(tenancy__tenancy_id="T1", date=date(2026, 2, 1)).balance == Decimal("-12.50")
    e1 = Event.objects.get(event_id="E1")
    assert (e1.unit.unit_id, e1.severity, e1.description, e1.type) == ("U1", 1, "eerste aanmaning", "REGIE.AAN")


def test_household_names(tmp_path):
    run(tmp_path, world(tmp_path / "in"))
    names = dict(Tenancy.objects.values_list("tenancy_id", "name"))
    # Co-tenant with another surname joins the name; with the same surname (Kaya) not; no persons: "".
    assert names == {"T1": "de Vries-Bakker", "T2": "Kaya", "T3": "", "T4": "van der Meer"}


def test_names_follow_people_who_move_and_change(tmp_path):
    run(tmp_path, world(tmp_path / "in"))
    moved = [PERSONS[0], "P2;T4;MDH;Anna;;Bakker;1972-02-02;;", "P4;T2;HUU;Fatma;;Yilmaz;;;"]
    result = run(tmp_path, write(tmp_path / "again", "persons.csv", moved))
    assert counts(result)["persons.csv"] == (2, 0, 2, 0, 0)
    names = dict(Tenancy.objects.values_list("tenancy_id", "name"))
    assert names["T1"] == "de Vries"  # Anna moved out
    assert names["T4"] == "van der Meer-Bakker"  # ... and in here
    assert names["T2"] == "Yilmaz-Kaya"
    # Persons missing from a persons file stay.
    assert Person.objects.count() == 6


def test_existing_tenancy_keeps_name_when_a_tenancies_file_comes_again(tmp_path):
    run(tmp_path, world(tmp_path / "in"))
    result = run(tmp_path, write(tmp_path / "t", "tenancies.csv", TENANCIES))
    assert counts(result)["tenancies.csv"] == (4, 0, 0, 4, 0)
    assert Tenancy.objects.get(tenancy_id="T1").name == "de Vries-Bakker"


def test_area_from_district_and_a_warning_once_per_unmapped_district(tmp_path):
    AreaDistrict.objects.create(district="bu02", area=AreaFactory(code="noord"))
    result = run(tmp_path, world(tmp_path / "in"))
    assert Unit.objects.get(unit_id="U3").area.code == "noord"  # matched regardless of case
    assert Unit.objects.get(unit_id="U1").area is None
    district = [w for w in result.warnings if w.column == "district"]
    assert [(w.file, w.line, w.value) for w in district] == [("units.csv", 2, "BU01")]  # U1 and U2: once
    assert result.files[0].warnings == 1


def test_the_same_files_twice_change_nothing(tmp_path):
    folder = world(tmp_path / "in")
    run(tmp_path, folder)
    before = snapshot()
    result = run(tmp_path, folder)
    assert result.exit_code == 0
    for name, (rows, new, changed, unchanged, rejected) in counts(result).items():
        assert (new, changed, unchanged, rejected) == (0, 0, rows, 0), name
    assert snapshot() == before


def test_changes_are_counted_exactly(tmp_path):
    run(tmp_path, world(tmp_path / "in"))
    tenancies = [*TENANCIES[:1], "T1;U1;2020-01-01;;675,00", *TENANCIES[2:], "T9;U1;2010-01-01;2019-12-31;500"]
    events = [*EVENTS[:2], "E2;OHD;2026-02-01;;U2;ZAAKTYPEDETAILSOORT.VER;3;"]
    result = run(tmp_path, world(tmp_path / "again", tenancies=tenancies, events=events))
    c = counts(result)
    assert c["tenancies.csv"] == (5, 1, 1, 3, 0)
    assert c["events.csv"] == (2, 0, 1, 1, 0)
    assert Tenancy.objects.get(tenancy_id="T1").monthly_rent == Decimal("675.00")
    assert Event.objects.get(event_id="E2").severity == 3


def test_one_bad_row_in_a_folder_writes_nothing(tmp_path):
    events = [*EVENTS, "E4;XXX;2026-01-01;T1;;REGIE.AAN;;"]
    result = run(tmp_path, world(tmp_path / "in", events=events))
    assert result.exit_code == 1
    assert problems(result) == [("events.csv", 5, "source", "not a known source")]
    assert nothing_written()
    assert not result.written and result.rejects == []
    run_ = ImportRun.objects.get(pk=result.run.pk)
    assert (run_.status, run_.exit_code) == (ImportRun.Status.FAILED, 1)
    assert run_.summary["events.csv"]["rejected"] == 1


def test_accept_partial_writes_good_rows_and_a_rejects_file_that_imports_after_fixing(tmp_path):
    units = [*UNITS, "U4;Molenweg;12b;;3811 CD;Amersfoort;BU02"]
    tenancies = [*TENANCIES, "T5;U4;2020-01-01;;650", "T6;U1;2020-01-01;;0"]
    persons = [*PERSONS, "P7;T5;HUU;Els;;Bos;;;"]
    result = run(
        tmp_path, world(tmp_path / "in", units=units, tenancies=tenancies, persons=persons), accept_partial=True
    )
    assert result.exit_code == 1 and result.written
    assert counts(result)["units.csv"] == (4, 3, 0, 0, 1)
    # The cascade: T5 is on the rejected unit U4, and P7 on the rejected T5.
    assert problems(result) == [
        ("units.csv", 5, "house_number", "not a whole number"),
        ("tenancies.csv", 6, "unit_id", "refers to a unit that was rejected (units.csv line 5)"),
        ("tenancies.csv", 7, "monthly_rent", "rent of 0 or less"),
        ("persons.csv", 8, "tenancy_id", "refers to a tenancy that was rejected (tenancies.csv line 6)"),
    ]
    assert Tenancy.objects.count() == 4 and Person.objects.count() == 6
    assert ImportRun.objects.get(pk=result.run.pk).status == ImportRun.Status.REJECTED
    names = sorted(p.name for p in result.rejects)
    assert names == ["persons-rejected.csv", "tenancies-rejected.csv", "units-rejected.csv"]
    folder = result.rejects[0].parent
    raw = (folder / "tenancies-rejected.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == [*TENANCIES[0].split(";"), "fout"]
    assert rows[1][:5] == ["T5", "U4", "2020-01-01", "", "650"]
    assert rows[2][-1] == "monthly_rent: rent of 0 or less"

    # Fix the rejected rows in place (the `fout` column stays) and import the rejects files again.
    fixed = tmp_path / "fixed"
    for path in result.rejects:
        text = (
            path.read_text(encoding="utf-8-sig")
            .replace(";12b;", ";12;")
            .replace("T6;U1;2020-01-01;;0;", "T6;U1;2020-01-01;;10;")
        )
        write(fixed, path.name, text.splitlines())
    again = run(tmp_path, *sorted(fixed.iterdir()))
    assert again.exit_code == 0, again.problems
    assert [w.column for w in again.warnings] == ["district"]  # and none about `fout`
    assert counts(again) == {
        "units-rejected.csv": (1, 1, 0, 0, 0),
        "tenancies-rejected.csv": (2, 2, 0, 0, 0),
        "persons-rejected.csv": (1, 1, 0, 0, 0),
    }
    assert Tenancy.objects.get(tenancy_id="T5").name == "Bos"


def test_rejects_of_an_xlsx_file_are_an_xlsx_file(tmp_path):
    from openpyxl import load_workbook

    from tests.test_import_kit import write_xlsx

    path = write_xlsx(
        tmp_path / "in",
        "units.xlsx",
        [
            ["unit_id", "street", "house_number", "postcode", "city"],
            ["U1", "Kerkstraat", 1, "1234AB", "Stad"],
            ["U2", "Kerkstraat", "x", "1234AB", "Stad"],
        ],
    )
    result = run(tmp_path, path, accept_partial=True)
    assert counts(result) == {"units.xlsx": (2, 1, 0, 0, 1)}
    sheet = load_workbook(result.rejects[0]).worksheets[0]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["unit_id", "street", "house_number", "postcode", "city", "fout"],
        ["U2", "Kerkstraat", "x", "1234AB", "Stad", "house_number: not a whole number"],
    ]


def test_dry_run_counts_and_writes_nothing(tmp_path):
    folder = world(tmp_path / "in")
    result = run(tmp_path, folder, dry_run=True)
    assert result.exit_code == 0 and not result.written
    assert counts(result)["arrears.csv"] == (3, 3, 0, 0, 0)
    assert nothing_written()
    run_ = ImportRun.objects.get(pk=result.run.pk)
    assert (run_.status, run_.dry_run, run_.summary["persons.csv"]["new"]) == (ImportRun.Status.CHECKED, True, 6)
    assert result.report_path.exists()

    run(tmp_path, folder)
    before = snapshot()
    result = run(tmp_path, world(tmp_path / "again", arrears=ARREARS_CHANGED), dry_run=True)
    assert counts(result)["arrears.csv"] == (4, 1, 1, 2, 0)
    assert snapshot() == before


ARREARS_CHANGED = [
    "tenancy_id;date;balance",
    "T1;2026-01-01;0",
    "T1;2026-02-01;-12.5",
    "T2;2026-01-01;99",
    "T2;2026-02-01;5",
]


def test_events_on_a_unit_resolve_to_the_tenancy_running_that_day(tmp_path):
    events = [
        EVENTS[0],
        "E1;WIJ;2024-06-29;;U3;REGIE.VWL;;",  # the day before the handover: T3
        "E2;WIJ;2024-06-30;;U3;REGIE.VWL;;",  # T3 ends and T4 starts: the one starting wins
        "E3;WIJ;2014-01-01;;U3;REGIE.VWL;;",  # before either: kept on the unit, with a warning
        "E4;INC;2026-01-01;T3;;REGIE.AAN;;",  # by tenancy: the tenancy's unit
    ]
    result = run(tmp_path, world(tmp_path / "in", events=events))
    assert result.exit_code == 0
    got = {e.event_id: (e.tenancy and e.tenancy.tenancy_id, e.unit.unit_id) for e in Event.objects.all()}
    assert got == {"E1": ("T3", "U3"), "E2": ("T4", "U3"), "E3": (None, "U3"), "E4": ("T3", "U3")}
    vacant = [w for w in result.warnings if w.file == "events.csv"]
    assert [(w.line, w.column, w.value) for w in vacant] == [(4, "unit_id", "U3")]
    assert "no tenancy running" in vacant[0].reason
    assert result.files[-1].warnings == 1


def test_references_to_the_database_are_valid(tmp_path):
    tenancy = TenancyFactory(tenancy_id="HO1", unit=UnitFactory(unit_id="VHE1"))
    lines = ["contractnummer;vhe;ingangsdatum;huurprijs", "HO2;VHE1;2024-01-01;600"]
    result = run(tmp_path, write(tmp_path / "in", "contracten.csv", lines))
    assert result.exit_code == 0
    result = run(tmp_path, write(tmp_path / "in2", "saldi.csv", ["contractnummer;peildatum;saldo", "HO1;2026-01-01;5"]))
    assert result.exit_code == 0
    assert tenancy.arrears.get().balance == Decimal("5.00")


def test_the_run_records_counts_and_no_personal_data(tmp_path):
    progress = []
    result = run(tmp_path, world(tmp_path / "in"), progress=lambda done, total: progress.append((done, total)))
    run_ = ImportRun.objects.get(pk=result.run.pk)
    assert (run_.status, run_.exit_code, run_.origin) == (ImportRun.Status.DONE, 0, "cli")
    assert run_.summary["units.csv"] == {
        "kind": "units",
        "rows": 3,
        "new": 3,
        "changed": 0,
        "unchanged": 0,
        "rejected": 0,
        "warnings": 2,
        "refused": False,
    }
    assert run_.report_path == str(result.report_path)
    stored = run_.message + json.dumps(run_.summary) + run_.source + json.dumps(run_.files)
    for personal in ("Vries", "Bakker", "Kaya", "Kerkstraat", "aanmaning", "06-1"):
        assert personal not in stored
    assert progress and progress[-1][0] == progress[-1][1] > 0


def test_the_report_lists_problems_and_warnings(tmp_path):
    units = [*UNITS, "U4;;7;;9999 ZZ;Soest;"]
    result = run(tmp_path, world(tmp_path / "in", units=units), accept_partial=True)
    with open(result.report_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert rows[0] == {
        "file": "units.csv",
        "line": "5",
        "column": "street",
        "value": "",
        "reason": "required value missing",
        "fix": "Fill in street.",
        "level": "error",
    }
    assert {r["level"] for r in rows} == {"error", "warning"}


def test_bulk_loads_check_foreign_keys_once_and_keep_them(tmp_path, monkeypatch):
    from django.db import connection

    from regie.signalling.importing import db

    monkeypatch.setattr(db, "BULK_NEW_ROWS", 1)  # every insert is "bulk" here
    result = run(tmp_path, world(tmp_path / "in"))
    assert result.exit_code == 0
    assert Event.objects.get(event_id="E2").tenancy.tenancy_id == "T2"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid::regclass::text IN "
                "('housing_arrearssnapshot', 'housing_event', 'housing_person', 'housing_tenancy', 'housing_unit')"
            )
            keys = cursor.fetchall()
        assert len(keys) == 6
        assert all(d.endswith("DEFERRABLE INITIALLY DEFERRED") for _t, d in keys)


def test_a_run_made_by_the_web_app_is_used(tmp_path):
    made = ImportRun.objects.create(origin="web", source="upload", files=["units.csv"], status=ImportRun.Status.RUNNING)
    result = run(tmp_path, world(tmp_path / "in"), run=made, dry_run=True)
    assert result.run.pk == made.pk
    made.refresh_from_db()
    assert (made.status, made.exit_code, made.origin) == (ImportRun.Status.CHECKED, 0, "web")
    assert set(made.summary) == {"units.csv", "tenancies.csv", "persons.csv", "arrears.csv", "events.csv"}


def test_a_dry_run_with_rejected_rows_counts_the_correct_ones(tmp_path):
    units = [*UNITS, "U4;Weg;x;;1234AB;Stad;"]
    result = run(tmp_path, world(tmp_path / "in", units=units), dry_run=True)
    assert result.exit_code == 1
    assert counts(result)["units.csv"] == (4, 3, 0, 0, 1)
    assert counts(result)["tenancies.csv"] == (4, 4, 0, 0, 0)
    assert [p.name for p in result.rejects] == ["units-rejected.csv"]  # to correct before the import
    assert nothing_written()
    assert ImportRun.objects.get(pk=result.run.pk).status == ImportRun.Status.CHECKED
