"""`regie import`: the table, the problems, the files written, and the exit code (0, 1, 2)."""

import pytest
from django.core.management import call_command
from django.utils import translation

from regie.housing.models import Unit
from tests.test_import_kit import UNITS, world, write

pytestmark = pytest.mark.django_db


def _import(capsys, *args) -> tuple[int, str]:
    """The exit code as the shell sees it: SystemExit's code, 0 when the command just returns."""
    code = 0
    with translation.override("en"):
        try:
            call_command("import", *map(str, args))
        except SystemExit as e:
            code = e.code
    return code, capsys.readouterr().out


def test_clean_import_exits_0(tmp_path, capsys):
    code, out = _import(capsys, world(tmp_path / "in"), "--report-dir", tmp_path / "r")
    assert code == 0
    assert "units.csv" in out and "events.csv" in out
    assert out.splitlines()[1].split() == ["units.csv", "units", "3", "3", "0", "0", "0", "2"]
    assert f"Report: {tmp_path / 'r' / 'report.csv'}" in out
    assert Unit.objects.count() == 3


def test_rejected_rows_exit_1_and_are_listed(tmp_path, capsys):
    path = write(tmp_path / "in", "units.csv", [*UNITS, "U4;Weg;4x;;1234AB;Stad;"])
    code, out = _import(capsys, path, "--report-dir", tmp_path / "r")
    assert code == 1
    assert "units.csv:5 house_number '4x' — not a whole number. Write the number in digits only" in out
    assert "Nothing was imported." in out
    assert not Unit.objects.exists()

    code, out = _import(capsys, path, "--accept-partial", "--report-dir", tmp_path / "r2")
    assert code == 1
    assert f"Rejected rows: {tmp_path / 'r2' / 'units-rejected.csv'}" in out
    assert Unit.objects.count() == 3


def test_a_file_that_cant_be_used_exits_2(tmp_path, capsys):
    path = write(tmp_path / "in", "data.csv", ["a;b", "1;2"])
    code, out = _import(capsys, path, "--report-dir", tmp_path / "r")
    assert code == 2
    assert "data.csv: Can't tell what this file holds" in out


def test_dry_run_and_kind(tmp_path, capsys):
    path = write(tmp_path / "in", "export.csv", UNITS)
    code, out = _import(capsys, path, "--kind", "units", "--dry-run", "--report-dir", tmp_path / "r")
    assert code == 0
    assert "Dry run: nothing was written." in out
    assert not Unit.objects.exists()


def test_the_shell_sees_the_exit_code(tmp_path):
    """`regie import` as a process, on a SQLite database of its own in tmp_path."""
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "REGIE_TESTING": "1", "REGIE_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}

    def regie(*args) -> int:
        command = [sys.executable, "-m", "regie.cli", *map(str, args)]
        return subprocess.run(command, env=env, capture_output=True, check=False).returncode  # noqa: S603

    assert regie("migrate", "-v", "0") == 0
    assert regie("import", world(tmp_path / "ok")) == 0
    assert regie("import", write(tmp_path / "bad", "units.csv", [*UNITS, "U9;A;x;;1234AB;X;"])) == 1
    assert regie("import", write(tmp_path / "unusable", "data.csv", ["a;b", "1;2"])) == 2
