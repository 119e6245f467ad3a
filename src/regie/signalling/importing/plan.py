"""The check phase: which files, of which kind, and every row of each checked (no writes).

Runs in a worker thread while the main thread writes the files checked before (service.py), so
nothing here touches the database: what it needs from it comes in `Known`.
"""

import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from regie.signalling.importing.read import SUFFIXES, FileRefused, header_of, read
from regie.signalling.importing.result import FileResult, ImportResult
from regie.signalling.importing.spec import KINDS, kind_from_header, kind_from_name, match_columns
from regie.signalling.importing.validate import REJECTED_SCHEMA, Checked, Known, check


@dataclass
class Plan:
    result: FileResult
    kind: str
    columns: dict[str, int]
    extra: list[int]
    rows: int  # estimated from the file's size, for progress
    checked: Checked | None = None
    rejects: pl.DataFrame | None = None  # the rejected rows as given (c0, c1, ...), with `fout`


def expand(paths: list[Path], result: ImportResult) -> list[Path]:
    """Files as given; a folder's CSV and XLSX files (not its subfolders), by name."""
    files = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
            )
            if not found:
                refuse(result, FileResult(path.name, path), _("The folder holds no CSV or XLSX files."))
            files += found
        elif path.is_file():
            files.append(path)
        else:
            refuse(result, FileResult(path.name, path), _("No such file or folder."))
    return files


def refuse(result: ImportResult, file: FileResult, message: str) -> None:
    file.error = message
    if file not in result.files:
        result.files.append(file)
    result.errors.append(f"{file.name}: {message}")


def recognise(path: Path, forced: str | None) -> tuple[str, dict[str, int], list[int], int]:
    """The file's kind and where its columns are; FileRefused with the reason and the fix."""
    header, rows = header_of(path)
    if not any(h.strip() for h in header):
        raise FileRefused(_("The file is empty or its first line is empty. Line 1 must hold the column names."))
    name = forced or kind_from_name(path) or kind_from_header(header)
    if name is None:
        raise FileRefused(
            _(
                "Can't tell what this file holds from its name or its columns. Put the kind in the file name "
                "(units, tenancies, persons, arrears or events) or choose the kind (--kind), and check the column "
                "names against IMPORT.md."
            )
        )
    kind = KINDS[name]
    columns, extra, twice = match_columns(kind, header)
    if twice:
        col, a, b = twice[0]
        raise FileRefused(
            _("Column %(col)s appears twice (as '%(a)s' and '%(b)s'). Remove one of them.")
            % {"col": col, "a": header[a], "b": header[b]}
        )
    missing = [c for c in kind.required if c.name not in columns]
    if missing:
        other = kind_from_header(header)
        if other and other != name:
            raise FileRefused(
                _(
                    "This is not a %(kind)s file: its columns are those of a %(other)s file. Choose the right kind, "
                    "or rename the file so its name doesn't say %(kind)s."
                )
                % {"kind": name, "other": other}
            )
        also = _("also accepted")
        listed = "; ".join(f"{c.name} ({also}: {', '.join(c.aliases)})" if c.aliases else c.name for c in missing)
        raise FileRefused(
            _("Required column missing in this %(kind)s file: %(columns)s. Add it to the header row (line 1).")
            % {"kind": name, "columns": listed}
        )
    return name, columns, extra, rows


def check_file(plan: Plan, known: Known) -> None:
    """Read and check one file; sets plan.checked (or raises FileRefused). Adds to `known`."""
    file = plan.result
    started = time.perf_counter()
    raw = read(file.path)
    checked = check(raw, KINDS[plan.kind], plan.columns, plan.extra, known)
    file.rows, file.rejected = checked.rows, checked.bad.height
    file.warnings = checked.warnings.height
    if plan.kind in ("units", "tenancies"):
        _remember(plan.kind, checked, known, file.name)
    if checked.bad.height:
        plan.rejects = (
            raw.frame.with_row_index("_row")
            .with_columns(pl.col("_row").cast(pl.Int64))
            .join(checked.bad.select("_row", "fout"), on="_row", how="inner", maintain_order="left")
        )
    raw.frame = raw.frame.clear()  # the strings are not needed any more; the typed good rows are
    plan.checked = checked
    file.seconds += time.perf_counter() - started


def _remember(kind: str, checked: Checked, known: Known, file: str) -> None:
    """The ids later files may refer to, and (for the cascade) those of rejected rows."""
    key = checked.kind.key[0]
    valid = pl.concat([known.ids.get(kind, pl.Series(key, [], pl.String)), checked.good[key]]).unique()
    known.ids[kind] = valid
    bad = checked.bad.filter(pl.col("_id").is_not_null() & ~pl.col("_id").is_in(valid.implode()))
    rejected = bad.select(pl.col("_id").alias("id"), pl.lit(file).alias("file"), pl.col("_line").alias("line"))
    known.rejected[kind] = pl.concat([known.rejected.get(kind, pl.DataFrame(schema=REJECTED_SCHEMA)), rejected])
