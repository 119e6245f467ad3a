"""Reading a CSV or XLSX export into a frame of strings, with the file line of every row.

Every value stays a string here; parse.py turns them into dates, amounts and codes, so a value that
can't be read becomes a row problem and not a failed file.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

BOM = b"\xef\xbb\xbf"
SUFFIXES = (".csv", ".xlsx")


class FileRefused(Exception):
    """The file can't be used as a whole; `str()` says what is wrong and how to fix it."""


@dataclass
class RawFile:
    path: Path
    format: str  # "csv" or "xlsx"
    separator: str
    encoding: str
    header: list[str]
    # One string column per header position, named c0, c1, ...; plus `_line` (the file's line
    # number, header = 1) and `_wide` (the row has more fields than the header).
    frame: pl.DataFrame


def read(path: Path) -> RawFile:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".xls":
        raise FileRefused(_("This is an old Excel file (.xls). Save it as .xlsx or as CSV and import that."))
    return _read_csv(path)


def _decode(data: bytes, partial: bool = False) -> tuple[bytes, str]:
    """UTF-8 (a BOM allowed) as it is; Windows-1252 re-encoded to UTF-8 for Polars.

    `partial`: `data` is the start of a file, so it may end inside a character.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise FileRefused(
            _("The file is in UTF-16 (Excel's 'Unicode text'), which can't be read. Save it as 'CSV UTF-8' instead.")
        )
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError as e:
        if partial and e.start >= len(data) - 3:
            return data, "utf-8"
    try:
        return data.decode("cp1252").encode("utf-8"), "cp1252"
    except UnicodeDecodeError:
        raise FileRefused(
            _("The file's characters can't be read as UTF-8 or Windows-1252. Save it as 'CSV UTF-8' and try again.")
        ) from None


def _header_cells(first: str, separator: str) -> list[str]:
    """Line 1's column names. A stray carriage return in it (old Mac line ends, a broken export)
    is a refusal with advice, not a crash (found by tests/test_fuzz_inputs.py)."""
    try:
        return next(csv.reader([first], delimiter=separator))
    except csv.Error:
        raise FileRefused(
            _(
                "Line 1 (the column names) can't be read: it holds a stray line break. Save the file from Excel "
                "as 'CSV UTF-8' and try again."
            )
        ) from None


def _read_csv(path: Path) -> RawFile:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise FileRefused(_("The file can't be opened (%(error)s).") % {"error": e.strerror}) from None
    data, encoding = _decode(data)
    first = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    if not first.strip():
        raise FileRefused(_("The file is empty or its first line is empty. Line 1 must hold the column names."))
    separator = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    header = _header_cells(first, separator)
    names = [f"c{i}" for i in range(len(header))]
    try:
        frame = pl.read_csv(
            data,
            separator=separator,
            has_header=True,
            new_columns=names,
            infer_schema=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        raise FileRefused(
            _(
                "The file can't be read as CSV: a quote (\") is probably not closed. Check the quotes in the file, "
                "or save it from Excel again."
            )
        ) from None
    lines, fields = _record_lines(data, separator, frame.height)
    frame = frame.with_columns(
        pl.Series("_line", lines, dtype=pl.Int64),
        pl.Series("_wide", fields > len(header), dtype=pl.Boolean),
    )
    return RawFile(path, "csv", separator, encoding, header, _drop_empty(frame, names))


def _record_lines(data: bytes, separator: str, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Each data row's line number and field count, from the bytes, without a loop per row.

    A newline or separator inside quotes is part of a value: it is one when an odd number of quotes
    comes before it. A value with a line break makes the rows after it start further down.
    """
    arr = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(arr == ord('"'))
    newlines = np.flatnonzero(arr == ord("\n"))
    seps = np.flatnonzero(arr == ord(separator))
    ends = newlines
    if quotes.size:
        ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
        seps = seps[np.searchsorted(quotes, seps) % 2 == 0]
    # Record k (0 = header) starts after end k-1; a file ending in a newline has no record after it.
    starts = np.concatenate(([0], ends + 1))
    if starts[-1] >= len(arr):
        starts = starts[:-1]
    if len(starts) - 1 != rows:  # Polars saw the rows differently: fall back to one line per row.
        return np.arange(2, rows + 2), np.zeros(rows, dtype=np.int64)
    lines = np.searchsorted(newlines, starts[1:]) + 1
    fields = np.bincount(np.searchsorted(ends, seps), minlength=len(starts))[1 : len(starts)] + 1
    return lines, fields


def _drop_empty(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """Blank lines and lines of only separators (Excel leaves them) are no rows."""
    if not names:
        return frame
    filled = pl.any_horizontal([pl.col(n).str.strip_chars().fill_null("") != "" for n in names])
    return frame.filter(filled)


def _cell(value) -> str | None:
    """An XLSX cell as the text a CSV export would have held."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        # Excel keeps numbers as binary floats: 1234.56 may come back as 1234.5600000000001.
        return f"{value:.6f}".rstrip("0").rstrip(".") if value == value else None
    return str(value)


def _broken_xlsx() -> str:
    return _("The file can't be opened as an Excel workbook (.xlsx). Save it from Excel again.")


def _first_sheet(book):
    """The first worksheet; a workbook without one (damaged, or only chart sheets) is refused."""
    if not book.worksheets:
        raise FileRefused(_broken_xlsx())
    return book.worksheets[0]


def _read_xlsx(path: Path) -> RawFile:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, io.UnsupportedOperation) as e:
        raise FileRefused(
            _("The file can't be opened as an Excel workbook (.xlsx): %(error)s. Save it from Excel again.")
            % {"error": type(e).__name__}
        ) from None
    except Exception:  # zipfile.BadZipFile and friends: any broken workbook is one refusal
        raise FileRefused(
            _("The file can't be opened as an Excel workbook (.xlsx). Save it from Excel again.")
        ) from None
    try:
        sheet = _first_sheet(book)
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        header = [(_cell(v) or "").strip() for v in (header_row or ())]
        while header and not header[-1]:
            header.pop()
        if not header:
            raise FileRefused(
                _("The first sheet is empty or its first row is empty. Row 1 must hold the column names.")
            )
        width = len(header)
        columns: list[list[str | None]] = [[] for _ in range(width)]
        lines, wide = [], []
        for line, row in enumerate(rows, start=2):
            cells = [_cell(v) for v in row]
            if not any(c is not None and c.strip() for c in cells):
                continue
            cells += [None] * (width - len(cells))
            for i in range(width):
                columns[i].append(cells[i])
            lines.append(line)
            wide.append(any(c is not None and c.strip() for c in cells[width:]))
    except FileRefused:
        raise
    except Exception:  # a damaged sheet shows only when it is read: one refusal too
        raise FileRefused(_broken_xlsx()) from None
    finally:
        book.close()
    frame = pl.DataFrame(
        {f"c{i}": pl.Series(values, dtype=pl.String) for i, values in enumerate(columns)}
        | {"_line": pl.Series(lines, dtype=pl.Int64), "_wide": pl.Series(wide, dtype=pl.Boolean)}
    )
    return RawFile(path, "xlsx", ";", "xlsx", header, frame)


def header_of(path: Path) -> tuple[list[str], int]:
    """The column names and about how many rows a file has, without reading it as a whole."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FileRefused(_("This is an old Excel file (.xls). Save it as .xlsx or as CSV and import that."))
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # any broken workbook is one refusal
            raise FileRefused(
                _("The file can't be opened as an Excel workbook (.xlsx). Save it from Excel again.")
            ) from None
        try:
            sheet = _first_sheet(book)
            first = next(sheet.iter_rows(max_row=1, values_only=True), ())
            rows = max(0, (sheet.max_row or 1) - 1)
        except FileRefused:
            raise
        except Exception:  # a damaged sheet shows only when it is read: one refusal too
            raise FileRefused(_broken_xlsx()) from None
        finally:
            book.close()
        return [(_cell(v) or "").strip() for v in first], rows
    try:
        data = path.read_bytes()
    except OSError as e:
        raise FileRefused(_("The file can't be opened (%(error)s).") % {"error": e.strerror}) from None
    rows = data.count(b"\n")
    head, _encoding = _decode(data[:65536] if len(data) > 65536 else data, partial=len(data) > 65536)
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
    separator = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    return (_header_cells(first, separator) if first.strip() else []), rows
