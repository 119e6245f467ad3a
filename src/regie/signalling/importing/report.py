"""The import's output files: the report (every problem and warning) and one rejects file per input
file with rejected rows, in the input's own format, ready to correct and import again.
"""

import csv
import io
from pathlib import Path

import polars as pl

from regie.core.csvsafe import safe_columns, xlsx_cells
from regie.signalling.importing.spec import REJECTS_COLUMN
from regie.signalling.importing.validate import Checked

REPORT_NAME = "report.csv"
REPORT_COLUMNS = ["file", "line", "column", "value", "reason", "fix", "level"]
BOM = "\ufeff"


def write_report(folder: Path, problems: pl.DataFrame, warnings: pl.DataFrame) -> Path:
    """CSV, `;`-separated, UTF-8 with BOM: Excel in a Dutch locale opens it as columns."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / REPORT_NAME
    both = pl.concat(
        [
            problems.with_columns(pl.lit("error").alias("level")),
            warnings.with_columns(pl.lit("warning").alias("level")),
        ]
    ).select(REPORT_COLUMNS)
    # The report echoes cells of the uploaded files and is opened in a spreadsheet: no formulas.
    both = safe_columns(both, ["file", "column", "value", "reason", "fix"])
    both.write_csv(path, separator=";", include_bom=True)
    return path


def rejects_path(folder: Path, source: Path, taken: set[str]) -> Path:
    stem, suffix = source.stem, source.suffix.lower() or ".csv"
    name, n = f"{stem}-rejected{suffix}", 1
    while name in taken or name == REPORT_NAME:
        n += 1
        name = f"{stem}-rejected-{n}{suffix}"
    taken.add(name)
    return folder / name


def write_rejects(path: Path, checked: Checked, rows: pl.DataFrame) -> Path:
    """The rejected rows as they were given, with the reasons in a last column `fout`.

    `rows` holds the raw columns c0.. and `fout`. The header is written by hand: a file may name two
    columns alike, which a frame can't.
    """
    raw = checked.raw
    header = [*raw.header, REJECTS_COLUMN]
    columns = [f"c{i}" for i in range(len(raw.header))] + ["fout"]
    path.parent.mkdir(parents=True, exist_ok=True)
    if raw.format == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(header)
        for row in rows.select(columns).iter_rows():
            sheet.append(xlsx_cells(sheet, row))  # a leading = stays text, not a formula
        book.save(path)
        return path
    head = io.StringIO()
    csv.writer(head, delimiter=raw.separator, lineterminator="\n").writerow(header)
    with open(path, "wb") as out:
        out.write((BOM + head.getvalue()).encode("utf-8"))
        rows.select(columns).write_csv(out, separator=raw.separator, include_header=False)
    return path


PROBLEM_COLUMNS = ["file", "line", "column", "value", "reason", "fix"]


def write_outputs(result, plans, folder: Path, accept_partial: bool, dry_run: bool) -> None:
    """The report always; the rejects files when the good rows were (or, in a dry run, would be)
    imported without the rejected ones. None when a file was refused: nothing is imported then."""
    from regie.signalling.importing.result import LISTED, Problem

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*-rejected*"):
        if old.is_file():
            old.unlink()  # left by this run's check (dry run) before
    problems, warnings = [], []
    for plan in plans:
        if plan.checked is not None:
            named = pl.lit(plan.result.name).alias("file")
            problems.append(plan.checked.problems.with_columns(named).select(PROBLEM_COLUMNS))
            warnings.append(plan.checked.warnings.with_columns(named).select(PROBLEM_COLUMNS))
    # A refused file is in the report too, at its line 1.
    refused_files = [f for f in result.files if f.error]
    refused = pl.DataFrame(
        {
            "file": [f.name for f in refused_files],
            "line": [1] * len(refused_files),
            "column": [""] * len(refused_files),
            "value": [""] * len(refused_files),
            "reason": [f.error for f in refused_files],
            "fix": [""] * len(refused_files),
        },
        schema={"file": pl.String, "line": pl.Int64, **dict.fromkeys(PROBLEM_COLUMNS[2:], pl.String)},
    )
    rows = pl.concat([refused.clear(), *problems])
    both_warnings = pl.concat([refused.clear(), *warnings])
    result.report_path = write_report(folder, pl.concat([refused, rows]), both_warnings)
    result.problem_count, result.warning_count = rows.height, both_warnings.height
    result.problems = [Problem(*row) for row in rows.head(LISTED).iter_rows()]
    result.warnings = [Problem(*row) for row in both_warnings.head(LISTED).iter_rows()]
    if (accept_partial or dry_run) and not result.errors:
        taken: set[str] = set()
        for plan in plans:
            if plan.rejects is not None:
                path = write_rejects(rejects_path(folder, plan.result.path, taken), plan.checked, plan.rejects)
                plan.result.rejects_path = path
                result.rejects.append(path)
