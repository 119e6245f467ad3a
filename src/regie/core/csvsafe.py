"""Cells that a spreadsheet will not run as a formula (OWASP: CSV injection).

CSV: a text cell that starts with = + - @, a tab, a carriage return or a line feed is prefixed with
a single quote, so Excel and LibreOffice show it as text. Numbers are left alone, and so is text
that is just a number ("-12.50", "+3"): a negative amount stays readable and can't run anything.

XLSX (openpyxl): only a string that starts with = becomes a formula; `xlsx_cells` stores such a
string as text without changing it, so a rejects file still imports again as it was.
"""

import re
from numbers import Number

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*")
# The same rule for Polars frames (the import report): a trigger first, and not just a number.
TRIGGER_PATTERN = r"^[=+\-@\t\r\n]"
PLAIN_NUMBER_PATTERN = r"^[-+]?\d+(?:[.,]\d+)*$"


def safe_cell(value):
    if value is None or isinstance(value, Number):
        return value
    text = str(value)
    if text.startswith(_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(values):
    return [safe_cell(v) for v in values]


def safe_dict(row: dict) -> dict:
    """For csv.DictWriter: every value made safe, the keys (the header) as they are."""
    return {k: safe_cell(v) for k, v in row.items()}


def safe_columns(frame, columns):
    """A Polars frame with the named string columns made safe, for frames written with write_csv."""
    import polars as pl

    exprs = []
    for name in columns:
        col = pl.col(name)
        risky = col.str.contains(TRIGGER_PATTERN) & ~col.str.contains(PLAIN_NUMBER_PATTERN)
        exprs.append(pl.when(risky.fill_null(False)).then(pl.lit("'") + col).otherwise(col).alias(name))
    return frame.with_columns(exprs)


def xlsx_cells(sheet, values):
    """A row for openpyxl's `sheet.append` in which no string is a formula."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # keep the text as it is, but as text
            out.append(cell)
        else:
            out.append(value)
    return out
