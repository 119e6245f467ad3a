"""Writing the good rows of each kind: ids resolved to keys in Polars, then staged and upserted.

The functions run in the import's transaction, in load order (units, tenancies, persons, arrears,
events), so each sees the rows the kinds before it wrote.
"""

# Every statement here is built from identifiers quoted by connection.ops.quote_name and from
# the import's own names; values always go as parameters or through COPY.
# ruff: noqa: S608

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from django.utils.translation import gettext as _

from regie.housing.models import ArrearsSnapshot, Event, Person, Tenancy, Unit
from regie.signalling.importing import parse
from regie.signalling.importing.db import Db
from regie.signalling.importing.validate import PROBLEM_SCHEMA, Checked, empty_problems

UNIT_MAP = {"unit_id": pl.String, "unit_pk": pl.Int64}
TENANCY_MAP = {
    "tenancy_id": pl.String,
    "tenancy_pk": pl.Int64,
    "t_unit": pl.Int64,
    "t_start": pl.Date,
    "t_end": pl.Date,
}


@dataclass
class Loaded:
    new: int = 0
    changed: int = 0
    warnings: pl.DataFrame = field(default_factory=empty_problems)


def _table(model) -> str:
    return model._meta.db_table


def _col(model, name: str) -> str:
    return model._meta.get_field(name).column


class Loader:
    """One import's writes; keeps the id -> key maps of units and tenancies while they don't change."""

    def __init__(self, db: Db, progress: Callable[[int], None] | None = None):
        self.db = db
        self.progress = progress
        self._units: pl.DataFrame | None = None
        self._tenancies: pl.DataFrame | None = None

    # -- the maps from the corporation's numbers to the database's keys -------------------------

    def units(self) -> pl.DataFrame:
        if self._units is None:
            qn = self.db.qn
            self._units = self.db.frame(
                f"SELECT {qn('unit_id')}, {qn('id')} FROM {qn(_table(Unit))}",
                UNIT_MAP,
            )
        return self._units

    def tenancies(self) -> pl.DataFrame:
        if self._tenancies is None:
            qn = self.db.qn
            self._tenancies = self.db.frame(
                f"SELECT {qn('tenancy_id')}, {qn('id')}, {qn('unit_id')}, "
                f"CAST({qn('start_date')} AS TEXT), CAST({qn('end_date')} AS TEXT) FROM {qn(_table(Tenancy))}",
                TENANCY_MAP,
            )
        return self._tenancies

    def _upsert(self, model, staging: str, frame: pl.DataFrame, types: dict[str, str], key, insert_only=None) -> Loaded:
        """Stage `frame` (columns named as the model's fields) and upsert on `key`.

        `insert_only` ({field: type}): staged, written for new rows only (Tenancy.name).
        """
        insert_only = insert_only or {}
        columns = {_col(model, name): kind for name, kind in (types | insert_only).items()}
        self.db.stage(staging, columns, _as_columns(model, frame, types | insert_only), self.progress)
        keys = [_col(model, k) for k in key]
        new, changed = self.db.upsert(
            table=_table(model),
            staging=staging,
            key=keys,
            values=[_col(model, n) for n in types if _col(model, n) not in keys],
            on_insert={_col(model, n): f"s.{self.db.qn(_col(model, n))}" for n in insert_only},
        )
        self.db.drop(staging)
        return Loaded(new, changed)

    # -- the kinds ------------------------------------------------------------------------------

    def load_units(self, checked: Checked, districts: dict[str, int | None]) -> Loaded:
        areas = pl.DataFrame(
            {"_key": list(districts), "area": list(districts.values())},
            schema={"_key": pl.String, "area": pl.Int64},
        )
        frame = (
            checked.good.with_columns(pl.col("district").str.to_lowercase().alias("_key"))
            .join(areas, on="_key", how="left", maintain_order="left")
            .with_columns(_texts("street", "house_number_suffix", "postcode", "city", "district"))
        )
        types = {
            "unit_id": "text",
            "street": "text",
            "house_number": "int",
            "house_number_suffix": "text",
            "postcode": "text",
            "city": "text",
            "district": "text",
            "area": "int",
        }
        loaded = self._upsert(Unit, "_imp_units", frame, types, ["unit_id"])
        self._units = None
        return loaded

    def load_tenancies(self, checked: Checked, names: pl.DataFrame | None = None) -> Loaded:
        """`names`: (tenancy_id, name) of the households in this import's persons files."""
        frame = checked.good.join(
            self.units().rename({"unit_pk": "unit"}), on="unit_id", how="left", maintain_order="left"
        ).with_columns(parse.money_text(pl.col("monthly_rent")).alias("monthly_rent"))
        if names is None:
            frame = frame.with_columns(pl.lit("").alias("name"))
        else:
            frame = frame.join(names, on="tenancy_id", how="left", maintain_order="left")
            frame = frame.with_columns(pl.col("name").fill_null(""))
        types = {"tenancy_id": "text", "unit": "int", "start_date": "date", "end_date": "date", "monthly_rent": "money"}
        loaded = self._upsert(Tenancy, "_imp_tenancies", frame, types, ["tenancy_id"], insert_only={"name": "text"})
        self._tenancies = None
        return loaded

    def load_persons(self, checked: Checked) -> Loaded:
        texts = ("first_name", "name_prefix", "last_name", "phone", "email")
        frame = self._with_tenancy(checked.good).with_columns(_texts(*texts))
        types = {"person_id": "text", "tenancy": "int", "role": "text", "birth_date": "date"} | dict.fromkeys(
            texts, "text"
        )
        db, qn = self.db, self.db.qn
        columns = {_col(Person, n): t for n, t in types.items()}
        db.stage("_imp_persons", columns, _as_columns(Person, frame, types), self.progress)
        # The households whose name may change: where a person arrives, leaves, or changes role or name.
        p, s = qn(_table(Person)), qn("_imp_persons")
        named = ("tenancy_id", "role", "name_prefix", "last_name")
        differs = " OR ".join(db.distinct(f"p.{qn(c)}", f"s.{qn(c)}") for c in named)
        db.drop("_imp_affected")
        db.execute(f"CREATE TEMPORARY TABLE {qn('_imp_affected')} (id bigint)")
        for side in ("p", "s"):
            db.execute(
                f"INSERT INTO {qn('_imp_affected')} (id) SELECT {side}.{qn('tenancy_id')} "
                f"FROM {s} AS s LEFT JOIN {p} AS p ON p.{qn('person_id')} = s.{qn('person_id')} "
                f"WHERE {side}.{qn('tenancy_id')} IS NOT NULL AND (p.{qn('id')} IS NULL OR {differs})"
            )
        new, changed = db.upsert(
            table=_table(Person),
            staging="_imp_persons",
            key=["person_id"],
            values=[c for c in columns if c != "person_id"],
        )
        self._rename_households()
        db.drop("_imp_persons", "_imp_affected")
        return Loaded(new, changed)

    def _rename_households(self) -> None:
        """Tenancy.name for the households in _imp_affected: "<tenant>[-<co-tenant>]" (see names.py)."""
        db, qn = self.db, self.db.qn
        ids = db.frame(f"SELECT DISTINCT id FROM {qn('_imp_affected')}", {"tenancy": pl.Int64})
        people = db.frame(
            f"SELECT {qn('tenancy_id')}, {qn('id')}, {qn('role')}, {qn('name_prefix')}, {qn('last_name')} "
            f"FROM {qn(_table(Person))} WHERE {qn('role')} IN ('HUU', 'MDH') "
            f"AND {qn('tenancy_id')} IN (SELECT id FROM {qn('_imp_affected')})",
            {"tenancy": pl.Int64, "id": pl.Int64, "role": pl.String, "prefix": pl.String, "last": pl.String},
        )
        names = household_names(ids, people)
        db.stage("_imp_names", {"id": "int", "name": "text"}, names)
        t = qn(_table(Tenancy))
        db.execute(
            f"UPDATE {t} SET {qn('name')} = s.{qn('name')} FROM {qn('_imp_names')} AS s "
            f"WHERE {t}.{qn('id')} = s.{qn('id')} AND {t}.{qn('name')} <> s.{qn('name')}"
        )
        db.drop("_imp_names")

    def load_arrears(self, checked: Checked) -> Loaded:
        # Sorted by household and day, the unique index grows at its end instead of everywhere.
        frame = (
            self._with_tenancy(checked.good)
            .sort("tenancy", "date")
            .with_columns(parse.money_text(pl.col("balance")).alias("balance"))
        )
        types = {"tenancy": "int", "date": "date", "balance": "money"}
        return self._upsert(ArrearsSnapshot, "_imp_arrears", frame, types, ["tenancy", "date"])

    def load_events(self, checked: Checked) -> Loaded:
        frame, warnings = self.resolve_events(checked)
        frame = frame.with_columns(_texts("description"))
        types = {
            "source": "text",
            "event_id": "text",
            "date": "date",
            "tenancy": "int",
            "unit": "int",
            "type": "text",
            "severity": "int",
            "description": "text",
        }
        loaded = self._upsert(Event, "_imp_events", frame, types, ["source", "event_id"])
        loaded.warnings = warnings
        return loaded

    def resolve_events(self, checked: Checked) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Each event's tenancy and unit.

        Given a tenancy: its unit. Given only a unit: the tenancy running on it on the event's date
        (start <= date <= end, or no end); when one ends and the next starts that day, the one
        starting wins. None running: the event stays on the unit, with a warning.
        """
        tenancies = self.tenancies()
        frame = (
            checked.good.join(
                tenancies.select("tenancy_id", "tenancy_pk", "t_unit"),
                on="tenancy_id",
                how="left",
                maintain_order="left",
            )
            .join(self.units(), on="unit_id", how="left", maintain_order="left")
            .with_columns(pl.coalesce("t_unit", "unit_pk").alias("unit"))
        )
        by_unit = frame.filter(pl.col("tenancy_id").is_null()).select("_row", "date", "unit")
        running = (
            by_unit.join(tenancies, left_on="unit", right_on="t_unit", how="inner")
            .filter(
                (pl.col("t_start") <= pl.col("date"))
                & (pl.col("t_end").is_null() | (pl.col("t_end") >= pl.col("date")))
            )
            .sort("_row", "t_start", "tenancy_pk", descending=[False, True, True])
            .unique("_row", keep="first")
            .select("_row", pl.col("tenancy_pk").alias("running"))
        )
        frame = frame.join(running, on="_row", how="left", maintain_order="left").with_columns(
            pl.coalesce("tenancy_pk", "running").alias("tenancy")
        )
        vacant = frame.filter(pl.col("tenancy").is_null())
        warnings = vacant.select(
            pl.lit(None, pl.Int64).alias("_row"),
            pl.col("_line").alias("line"),
            pl.lit(checked.title("unit_id")).alias("column"),
            pl.col("unit_id").alias("value"),
            pl.lit(_("no tenancy running on the unit on the event's date: the event is kept on the unit")).alias(
                "reason"
            ),
            pl.lit(_("Nothing to do when the unit stood empty; otherwise fill in the tenancy_id.")).alias("fix"),
        ).cast(PROBLEM_SCHEMA)
        return frame, warnings

    def _with_tenancy(self, good: pl.DataFrame) -> pl.DataFrame:
        return good.join(
            self.tenancies().select("tenancy_id", pl.col("tenancy_pk").alias("tenancy")),
            on="tenancy_id",
            how="left",
            maintain_order="left",
        )


def _as_columns(model, frame: pl.DataFrame, types: dict[str, str]) -> pl.DataFrame:
    """The frame's fields under the model's column names ("unit" -> "unit_id")."""
    return frame.select(pl.col(name).alias(_col(model, name)) for name in types)


def _texts(*names: str) -> list[pl.Expr]:
    """Text fields the models keep as "" rather than null."""
    return [pl.col(n).fill_null("") for n in names]


def household_names(ids: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    """The household's display name per tenancy: the tenant's "prefix last name", and
    "-<prefix last name>" of a co-tenant with another surname (core/demo/households.py).
    Without a tenant (HUU) the first co-tenant (MDH) names the household; without either, ""."""
    shown = people.with_columns(
        pl.concat_str([pl.col("prefix").fill_null(""), pl.col("last").fill_null("")], separator=" ")
        .str.strip_chars()
        .alias("shown")
    ).sort("tenancy", "id")
    tenant = shown.filter(pl.col("role") == "HUU").unique("tenancy", keep="first")
    cotenant = shown.filter(pl.col("role") == "MDH").unique("tenancy", keep="first")
    both = (
        ids.unique()
        .join(
            tenant.select("tenancy", pl.col("shown").alias("a"), pl.col("last").alias("a_last")),
            on="tenancy",
            how="left",
        )
        .join(
            cotenant.select("tenancy", pl.col("shown").alias("b"), pl.col("last").alias("b_last")),
            on="tenancy",
            how="left",
        )
    )
    name = (
        pl.when(pl.col("a").is_null())
        .then(pl.col("b").fill_null(""))
        .when(pl.col("b").is_not_null() & (pl.col("b_last") != pl.col("a_last")))
        .then(pl.concat_str([pl.col("a"), pl.col("b")], separator="-"))
        .otherwise(pl.col("a"))
    )
    return both.select(pl.col("tenancy").alias("id"), name.str.slice(0, 200).alias("name"))
