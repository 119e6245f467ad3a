"""Row checks of one file, vectorised: every bad value of every row at once, with line and column.

A check is a mask over the frame (true where a row is wrong) with a reason and a fix; the only
Python loop is over the checks, never over the rows.
"""

from dataclasses import dataclass, field

import polars as pl
from django.utils.translation import gettext as _

from regie.core.vera import REGIE_CODES, EventSource, HouseholdRole, vera_exists
from regie.signalling.importing import parse
from regie.signalling.importing.read import RawFile
from regie.signalling.importing.spec import (
    AMOUNT,
    CODE,
    DATE,
    INT,
    POSTCODE,
    ROLE,
    SEVERITY,
    SOURCE,
    TEXT,
    Kind,
)

PROBLEM_SCHEMA = {
    "_row": pl.Int64,
    "line": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "reason": pl.String,
    "fix": pl.String,
}
EVENT_KINDS = ("ZAAKTYPEDETAILSOORT.", "SIGNALERINGDETAILSOORT.")
REJECTED_SCHEMA = {"id": pl.String, "file": pl.String, "line": pl.Int64}
# Which kind of file a reference column points into.
REFERS_TO = {"unit_id": "units", "tenancy_id": "tenancies"}


@dataclass
class Known:
    """Ids the files of one import may refer to: in the database or in a good row of an earlier file."""

    ids: dict[str, pl.Series] = field(default_factory=dict)  # kind -> valid ids
    # kind -> frame (id, file, line) of rejected rows whose id is not valid otherwise (the cascade).
    rejected: dict[str, pl.DataFrame] = field(default_factory=dict)
    districts: dict[str, int | None] = field(default_factory=dict)  # lower-cased district -> area pk
    warned_districts: set[str] = field(default_factory=set)


@dataclass
class Checked:
    raw: RawFile
    kind: Kind
    columns: dict[str, int]  # kind column -> header position
    good: pl.DataFrame  # typed values of the good rows, kind column names, plus _line and _row
    bad: pl.DataFrame  # _row, _line, fout (the reasons, for the rejects file)
    problems: pl.DataFrame  # PROBLEM_SCHEMA
    warnings: pl.DataFrame  # PROBLEM_SCHEMA
    rows: int

    def title(self, name: str) -> str:
        """A column as the file calls it."""
        return self.raw.header[self.columns[name]] if name in self.columns else name


def empty_problems() -> pl.DataFrame:
    return pl.DataFrame(schema=PROBLEM_SCHEMA)


def _type_problem(column) -> tuple[str, str]:
    """(reason, fix) for a value of a column's type that can't be read."""
    if column.type == INT:
        return _("not a whole number"), _("Write the number in digits only; a letter or addition goes in %(col)s.") % {
            "col": "house_number_suffix"
        }
    if column.type == DATE:
        return _("not a date"), _("Write the date as 2026-11-27 or 27-11-2026.")
    if column.type == AMOUNT:
        return _("not an amount in euros"), _(
            "Write the amount as 1234,56 or 1234.56 (at most 2 decimals), with a minus sign in front when negative."
        )
    if column.type == POSTCODE:
        return _("not a Dutch postcode"), _("Write the postcode as 1234 AB.")
    if column.type == ROLE:
        return _("not a household role"), _("Use one of %(codes)s (RELATIEROLSOORT).") % {
            "codes": ", ".join(HouseholdRole.values)
        }
    if column.type == SOURCE:
        return _("not a known source"), _("Use one of %(codes)s.") % {"codes": ", ".join(EventSource.values)}
    if column.type == CODE:
        return _("not a known event type"), _(
            "Use a VERA code ZAAKTYPEDETAILSOORT.<code> or SIGNALERINGDETAILSOORT.<code>, or a REGIE.* code "
            "listed in IMPORT.md."
        )
    if column.type == SEVERITY:
        return _("severity outside 1–3"), _("Use 1, 2 or 3, or leave it empty for 1.")
    raise ValueError(column.type)


def _event_codes(values: pl.Series) -> list[str]:
    """The distinct codes of a file that are allowed: a handful, so a loop over them is cheap."""
    codes = values.drop_nulls().str.to_uppercase().unique().to_list()
    return [c for c in codes if c in REGIE_CODES or (c.startswith(EVENT_KINDS) and vera_exists(c))]


def _parsed(column, given: pl.Expr, frame: pl.DataFrame) -> pl.Expr:
    if column.type == TEXT:
        return given
    if column.type == INT:
        return parse.integer(given)
    if column.type == DATE:
        return parse.date(given)
    if column.type == AMOUNT:
        return pl.lit(parse.cents_of(frame[column.name]))
    if column.type == POSTCODE:
        return parse.postcode(given)
    if column.type == ROLE:
        return parse.role(given)
    if column.type == SOURCE:
        return parse.source(given)
    if column.type == CODE:
        return parse.event_type(given, _event_codes(frame[column.name]))
    if column.type == SEVERITY:
        return parse.severity(given)
    raise ValueError(column.type)


def check(raw: RawFile, kind: Kind, columns: dict[str, int], extra: list[int], known: Known) -> Checked:
    given = raw.frame.with_row_index("_row").select(
        pl.col("_row").cast(pl.Int64),
        "_line",
        "_wide",
        *[
            (parse.clean(pl.col(f"c{columns[c.name]}")) if c.name in columns else pl.lit(None, pl.String)).alias(c.name)
            for c in kind.columns
        ],
    )
    # Typed values sit beside the given strings as "<name>:v" until the good rows are picked.
    frame = given.with_columns(*[_parsed(c, pl.col(c.name), given).alias(f"{c.name}:v") for c in kind.columns])
    frame = _with_rejected(frame, kind, known)
    # Window values are computed on the whole frame: a check's reason is evaluated on its hits only.
    keys = [pl.col(f"{k}:v") for k in kind.key]
    # (A window per key over millions of rows is slow; most files have no duplicates at all.)
    dup = pl.struct(keys).is_duplicated() & pl.all_horizontal([k.is_not_null() for k in keys])
    if frame.select(dup.any()).item():
        frame = frame.with_columns(
            (dup & ~pl.struct(keys).is_first_distinct()).alias("_dup"),
            pl.col("_line").first().over(keys).alias("_first"),
        )
    else:
        frame = frame.with_columns(pl.lit(False).alias("_dup"), pl.lit(None, pl.Int64).alias("_first"))
    title = {c.name: (raw.header[columns[c.name]] if c.name in columns else c.name) for c in kind.columns}
    checks = _column_checks(kind, title) + _row_checks(kind, known)
    parts = []
    for order, (names, mask, reason, fix) in enumerate(checks):
        hit = frame.filter(mask)
        if hit.is_empty():
            continue
        value = (
            pl.concat_str([pl.col(n).fill_null("") for n in names], separator=" / ") if names else pl.lit("")
        ).alias("value")
        parts.append(
            hit.select(
                "_row",
                pl.col("_line").alias("line"),
                pl.lit("+".join(title[n] for n in names)).alias("column"),
                value,
                (reason if isinstance(reason, pl.Expr) else pl.lit(reason)).cast(pl.String).alias("reason"),
                pl.lit(fix).alias("fix"),
                pl.lit(order).alias("_order"),
            )
        )
    problems = (pl.concat(parts).sort("line", "_order").drop("_order") if parts else empty_problems()).cast(
        PROBLEM_SCHEMA
    )
    bad = (
        problems.group_by("_row", maintain_order=True)
        .agg(
            pl.col("line").first().alias("_line"),
            pl.concat_str([pl.col("column"), pl.lit(": "), pl.col("reason")]).str.join("; ").alias("fout"),
        )
        .sort("_row")
        .join(frame.select("_row", pl.col(kind.key[0]).alias("_id")), on="_row", how="left", maintain_order="left")
    )
    good = frame.join(bad.select("_row"), on="_row", how="anti").select(
        "_row", "_line", *[pl.col(f"{c.name}:v").alias(c.name) for c in kind.columns]
    )
    warnings = _extra_warnings(raw, extra)
    checked = Checked(raw, kind, columns, good, bad, problems, warnings, frame.height)
    if kind.name == "units":
        checked.warnings = pl.concat([checked.warnings, _district_warnings(checked, known)])
    return checked


def _column_checks(kind: Kind, title: dict[str, str]) -> list:
    checks = [
        (
            [],
            pl.col("_wide"),
            _("the row has more fields than the header"),
            _("Put quotes around values that contain the separator, or remove the extra fields."),
        )
    ]
    for c in kind.columns:
        g, v = pl.col(c.name), pl.col(f"{c.name}:v")
        if c.required:
            checks.append(
                ([c.name], g.is_null(), _("required value missing"), _("Fill in %(col)s.") % {"col": title[c.name]})
            )
        if c.type != TEXT:
            reason, fix = _type_problem(c)
            # Severity's empty value reads as 1, so only a given value can be wrong.
            checks.append(([c.name], g.is_not_null() & v.is_null(), reason, fix))
        if c.type == TEXT and c.limit:
            checks.append(
                (
                    [c.name],
                    g.str.len_chars() > c.limit,
                    _("longer than %(n)d characters") % {"n": c.limit},
                    _("Shorten the value to at most %(n)d characters.") % {"n": c.limit},
                )
            )
        if c.type == AMOUNT and c.limit:
            checks.append(
                (
                    [c.name],
                    v.abs() >= 10 ** (c.limit + 2),
                    _("amount too large"),
                    _("Check the amount: at most %(n)d digits before the decimal point.") % {"n": c.limit},
                )
            )
        if c.type == INT:
            checks.append(([c.name], v == 0, _("house number 0 does not exist"), _("Fill in the real house number.")))
    return checks


def _row_checks(kind: Kind, known: Known) -> list:
    checks = []
    v = {c.name: pl.col(f"{c.name}:v") for c in kind.columns}
    if kind.name == "tenancies":
        checks.append(
            (["monthly_rent"], v["monthly_rent"] <= 0, _("rent of 0 or less"), _("Fill in the monthly rent in euros."))
        )
        checks.append(
            (
                ["end_date"],
                v["end_date"] < v["start_date"],
                _("end date before the start date"),
                _("Correct the start or the end date."),
            )
        )
    if kind.name == "events":
        checks.append(
            (
                ["tenancy_id", "unit_id"],
                v["tenancy_id"].is_null() & v["unit_id"].is_null(),
                _("neither tenancy_id nor unit_id"),
                _("Fill in the tenancy or the unit the event is about."),
            )
        )
    for name, target in REFERS_TO.items():
        if name in v and target != kind.name:
            checks += _reference_checks(name, target, known)
    # Duplicates last: a row already wrong for another reason is still a second row of its key.
    key = " + ".join(kind.key)
    checks.append(
        (
            list(kind.key),
            pl.col("_dup"),
            pl.format(_("the same {} as line {}"), pl.lit(key), pl.col("_first")),
            _("Keep one row per %(key)s: remove or correct this one.") % {"key": key},
        )
    )
    return checks


def _with_rejected(frame: pl.DataFrame, kind: Kind, known: Known) -> pl.DataFrame:
    """Add "<ref>:rejected" ("units.csv line 4") where a reference points at a rejected row (the cascade)."""
    for name, target in REFERS_TO.items():
        if any(c.name == name for c in kind.columns) and target != kind.name:
            rejected = known.rejected.get(target)
            if rejected is None or rejected.is_empty():  # the usual case: no join over millions of rows
                frame = frame.with_columns(pl.lit(None, pl.String).alias(f"{name}:rejected"))
                continue
            where = rejected.unique("id", keep="first", maintain_order=True).select(
                pl.col("id").alias(f"{name}:v"),
                pl.format(_("{} line {}"), "file", "line").alias(f"{name}:rejected"),
            )
            frame = frame.join(where, on=f"{name}:v", how="left", maintain_order="left")
    return frame


def _reference_checks(name: str, target: str, known: Known) -> list:
    ids = known.ids.get(target, pl.Series(dtype=pl.String))
    col = pl.col(f"{name}:v")
    missing = col.is_not_null() & ~col.is_in(ids.implode())
    where = pl.col(f"{name}:rejected")
    if target == "units":
        cascade = _("refers to a unit that was rejected ({})")
        unknown = _("refers to a unit that doesn't exist")
        fix = _("Add the unit to the units file (or import units first), or correct the number.")
    else:
        cascade = _("refers to a tenancy that was rejected ({})")
        unknown = _("refers to a tenancy that doesn't exist")
        fix = _("Add the tenancy to the tenancies file (or import tenancies first), or correct the number.")
    return [
        (
            [name],
            missing & where.is_not_null(),
            pl.format(cascade, where),
            _("Correct the rejected row it refers to; this row is then imported with it."),
        ),
        ([name], missing & where.is_null(), unknown, fix),
    ]


def _extra_warnings(raw: RawFile, extra: list[int]) -> pl.DataFrame:
    if not extra:
        return empty_problems()
    return pl.DataFrame(
        {
            "_row": [None] * len(extra),
            "line": [1] * len(extra),
            "column": [raw.header[i] for i in extra],
            "value": [""] * len(extra),
            "reason": [_("column not known: ignored")] * len(extra),
            "fix": [_("Nothing to do; remove the column or check its name against IMPORT.md.")] * len(extra),
        },
        schema=PROBLEM_SCHEMA,
    )


def _district_warnings(checked: Checked, known: Known) -> pl.DataFrame:
    """A district in no area: once per district per import, at its first line."""
    firsts = (
        checked.good.filter(pl.col("district").is_not_null())
        .group_by(pl.col("district").str.to_lowercase().alias("_key"), maintain_order=True)
        .agg(pl.col("_line").first(), pl.col("district").first())
    )
    mapped = pl.Series(list(known.districts), dtype=pl.String)
    todo = firsts.filter(~pl.col("_key").is_in(mapped.implode()) & ~pl.col("_key").is_in(list(known.warned_districts)))
    known.warned_districts.update(todo["_key"].to_list())
    return todo.select(
        pl.lit(None, pl.Int64).alias("_row"),
        pl.col("_line").alias("line"),
        pl.lit(checked.title("district")).alias("column"),
        pl.col("district").alias("value"),
        pl.lit(_("district in no area: its units are seen by no team")).alias("reason"),
        pl.lit(_("Map the district to an area (Beheer › Districts); the next import sets the units' area.")).alias(
            "fix"
        ),
    ).cast(PROBLEM_SCHEMA)
