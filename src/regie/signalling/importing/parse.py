"""Vectorised parsers: each takes the expression of a cleaned string column and gives the value,
null where the string can't be read. Validation compares "given" with "read" to find bad values.
"""

import polars as pl

from regie.core.vera import EventSource, HouseholdRole

# Amounts in cents (Int64), so every sum and comparison is exact; formatted back for the database.
_PLAIN = r"^\d+([.,]\d{1,2})?$"  # 1234 / 1234.56 / 1234,56
# What most exports write; read with one cast. 12 digits keep cents * 100 far inside Int64.
_SIMPLE = r"^-?\d{1,12}([.,]\d{1,2})?$"
_DUTCH_THOUSANDS = r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$"  # 1.234 / 1.234,56


def clean(expr: pl.Expr) -> pl.Expr:
    """Surrounding spaces don't count, and an empty value is a missing one."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)


def date(expr: pl.Expr) -> pl.Expr:
    """`2026-11-27` or `27-11-2026` (also with `/` or `.`); an impossible day (30 February) is null.

    A time after the date (`2026-11-27 14:05`, as Excel writes a timestamp) is left out.
    """
    day = expr.str.replace(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "")
    iso = day.str.replace(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", "$3-$2-$1")
    return pl.when(iso.str.contains(r"^\d{4}-\d{1,2}-\d{1,2}$")).then(iso.str.to_date("%Y-%m-%d", strict=False))


def cents(expr: pl.Expr) -> pl.Expr:
    """`1234.56`, `1234,56`, `1.234,56`, `€ 1.234,56`, `-12,50`, `-€ 12,50` as whole cents."""
    bare = expr.str.replace_all(r"[\s\u00a0€]", "").str.replace(r"^(?i)eur", "")
    negative = bare.str.starts_with("-")
    digits = bare.str.strip_prefix("-").str.strip_prefix("+")
    normal = (
        pl.when(digits.str.contains(_PLAIN))
        .then(digits.str.replace(",", ".", literal=True))
        .when(digits.str.contains(_DUTCH_THOUSANDS))
        .then(digits.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
    )
    parts = normal.str.split_exact(".", 1)
    whole = parts.struct.field("field_0")
    fraction = parts.struct.field("field_1").fill_null("").str.pad_end(2, "0")
    # 18 digits overflow Int64; validation refuses far fewer (the model's max_digits).
    value = pl.when(whole.str.len_chars() <= 15).then(whole.cast(pl.Int64) * 100 + fraction.cast(pl.Int64))
    return pl.when(negative).then(-value).otherwise(value)


def cents_of(values: pl.Series) -> pl.Series:
    """`cents` for a whole column, fast: the plain values (`-1234,56`) through an exact Decimal
    cast, only the others (`€ 1.234,56`) through the regular expressions of `cents`."""
    frame = pl.DataFrame({"v": values})
    simple = pl.col("v").str.contains(_SIMPLE)
    decimal = pl.col("v").str.replace(",", ".", literal=True).cast(pl.Decimal(18, 2), strict=False)
    out = frame.select(pl.when(simple).then((decimal * 100).cast(pl.Int64))).to_series()
    odd = frame.select(pl.col("v").is_not_null() & ~simple).to_series()
    if odd.any():
        slow = frame.filter(odd).select(cents(pl.col("v"))).to_series()
        out = out.scatter(odd.arg_true(), slow)
    return out.rename(values.name)


def integer(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.contains(r"^\d{1,9}$")).then(expr.cast(pl.Int64, strict=False))


def postcode(expr: pl.Expr) -> pl.Expr:
    """`1234AB` or `1234 ab`, stored as `1234 AB`."""
    bare = expr.str.replace_all(r"\s", "").str.to_uppercase()
    return pl.when(bare.str.contains(r"^[1-9]\d{3}[A-Z]{2}$")).then(
        pl.concat_str([bare.str.slice(0, 4), bare.str.slice(4, 2)], separator=" ")
    )


def role(expr: pl.Expr) -> pl.Expr:
    """A VERA RELATIEROLSOORT code, the kind prefix optional."""
    code = expr.str.to_uppercase().str.strip_prefix("RELATIEROLSOORT.")
    return pl.when(code.is_in(HouseholdRole.values)).then(code)


def source(expr: pl.Expr) -> pl.Expr:
    code = expr.str.to_uppercase()
    return pl.when(code.is_in(EventSource.values)).then(code)


def event_type(expr: pl.Expr, known: list[str]) -> pl.Expr:
    """A qualified code; `known` are the file's (upper-cased) codes that exist (see validate.py)."""
    code = expr.str.to_uppercase()
    return pl.when(code.is_in(known)).then(code)


def severity(expr: pl.Expr) -> pl.Expr:
    """1, 2 or 3; empty means 1. Anything else is null (and refused)."""
    return pl.when(expr.is_null()).then(1).when(expr.is_in(["1", "2", "3"])).then(expr.cast(pl.Int64, strict=False))


def money_text(cents_expr: pl.Expr) -> pl.Expr:
    """Cents as the decimal text the database reads exactly: -1250 -> "-12.50"."""
    absolute = cents_expr.abs()
    return pl.concat_str(
        [
            pl.when(cents_expr < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            (absolute // 100).cast(pl.String),
            pl.lit("."),
            (absolute % 100).cast(pl.String).str.zfill(2),
        ]
    )
