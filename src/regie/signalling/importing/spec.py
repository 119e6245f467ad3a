"""The five kinds of import file (IMPORT.md): their columns, Dutch aliases, keys and file names.

One table drives reading, validation and loading, so a column added to the contract is added here.
"""

import re
from dataclasses import dataclass
from pathlib import Path

# Column types; each has a vectorised parser in parse.py.
TEXT, INT, DATE, AMOUNT, POSTCODE, ROLE, SOURCE, CODE, SEVERITY = (
    "text",
    "int",
    "date",
    "amount",
    "postcode",
    "role",
    "source",
    "code",
    "severity",
)


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    type: str = TEXT
    # The model field's max_length (text) or the number of digits before the decimal point (amount).
    limit: int | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # Words in a file name that say what it holds (English and Dutch); matched inside the name.
    words: tuple[str, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


UNIT_REF = ("vhe", "vhe_nummer", "vhenummer", "eenheid")
TENANCY_REF = ("contractnummer", "overeenkomst")

UNITS = Kind(
    "units",
    (
        Column("unit_id", UNIT_REF, True, limit=40),
        Column("street", ("straat",), True, limit=120),
        Column("house_number", ("huisnummer",), True, INT),
        Column("house_number_suffix", ("huisletter", "toevoeging"), limit=20),
        Column("postcode", ("postcode",), True, POSTCODE),
        Column("city", ("plaats", "woonplaats"), True, limit=80),
        Column("district", ("wijk", "buurt", "buurtcode"), limit=80),
    ),
    ("unit_id",),
    ("units", "unit", "verhuureenheden", "verhuureenheid", "vhe", "eenheden"),
)
TENANCIES = Kind(
    "tenancies",
    (
        Column("tenancy_id", TENANCY_REF, True, limit=40),
        Column("unit_id", UNIT_REF, True, limit=40),
        Column("start_date", ("ingangsdatum", "begindatum"), True, DATE),
        Column("end_date", ("einddatum",), type=DATE),
        Column("monthly_rent", ("huurprijs", "kale_huur", "huur"), True, AMOUNT, limit=7),
    ),
    ("tenancy_id",),
    ("tenancies", "tenancy", "huurovereenkomst", "contracten", "contract"),
)
PERSONS = Kind(
    "persons",
    (
        Column("person_id", ("relatienummer",), True, limit=40),
        Column("tenancy_id", TENANCY_REF, True, limit=40),
        Column("role", ("rol",), True, ROLE),
        Column("first_name", ("voornaam", "voorletters"), limit=80),
        Column("name_prefix", ("tussenvoegsel",), limit=20),
        Column("last_name", ("achternaam",), True, limit=120),
        Column("birth_date", ("geboortedatum",), type=DATE),
        Column("phone", ("telefoon",), limit=40),
        Column("email", ("e-mail",), limit=254),
    ),
    ("person_id",),
    ("persons", "person", "relaties", "personen", "bewoners"),
)
ARREARS = Kind(
    "arrears",
    (
        Column("tenancy_id", TENANCY_REF, True, limit=40),
        Column("date", ("peildatum", "datum"), True, DATE),
        Column("balance", ("saldo", "achterstand"), True, AMOUNT, limit=9),
    ),
    ("tenancy_id", "date"),
    ("arrears", "huurachterstand", "achterstand", "saldi", "saldo"),
)
EVENTS = Kind(
    "events",
    (
        Column("event_id", ("meldingnummer", "id"), True, limit=60),
        Column("source", ("bron",), True, SOURCE),
        Column("date", ("datum",), True, DATE),
        Column("tenancy_id", TENANCY_REF, limit=40),
        Column("unit_id", UNIT_REF, limit=40),
        Column("type", ("soort", "code"), True, CODE),
        Column("severity", ("ernst",), type=SEVERITY),
        Column("description", ("omschrijving",)),
    ),
    ("source", "event_id"),
    ("events", "event", "meldingen", "melding", "gebeurtenissen"),
)

# In load order: each kind refers only to kinds before it.
KINDS: dict[str, Kind] = {k.name: k for k in (UNITS, TENANCIES, PERSONS, ARREARS, EVENTS)}
ORDER = tuple(KINDS)
# The column a rejects file adds (IMPORT.md); ignored without a warning when it comes back.
REJECTS_COLUMN = "fout"


def normalise(header: str) -> str:
    """Header names match without regard to case, spaces or `_` (IMPORT.md)."""
    return re.sub(r"[\s_]+", "", header.replace("\ufeff", "").strip().strip('"').lower())


def match_columns(kind: Kind, header: list[str]) -> tuple[dict[str, int], list[int], list[tuple[str, int, int]]]:
    """Map a kind's columns to header positions.

    Returns (column name -> position, positions of extra columns, columns found twice as
    (name, first position, second position)).
    """
    names: dict[str, str] = {}
    for column in kind.columns:
        for alias in (column.name, *column.aliases):
            names.setdefault(normalise(alias), column.name)
    found: dict[str, int] = {}
    extra: list[int] = []
    twice: list[tuple[str, int, int]] = []
    for position, title in enumerate(header):
        name = names.get(normalise(title))
        if name is None:
            if normalise(title) not in ("", REJECTS_COLUMN):
                extra.append(position)
        elif name in found:
            twice.append((name, found[name], position))
        else:
            found[name] = position
    return found, extra, twice


def kind_from_name(path: Path) -> str | None:
    """The kind a file name speaks of, when exactly one kind's words occur in it."""
    stem = path.stem.lower()
    tokens = set(re.split(r"[^a-z0-9]+", stem))
    hits = set()
    for kind in KINDS.values():
        for word in kind.words:
            # Short words ("vhe", "unit") only as a whole token: "vhe" is in "overheid" too.
            if word in tokens or (len(word) > 6 and word in stem):
                hits.add(kind.name)
    return hits.pop() if len(hits) == 1 else None


def kind_from_header(header: list[str]) -> str | None:
    """The kind whose required columns are all present; with several, the one matching most columns."""
    best, best_score = None, -1
    for kind in KINDS.values():
        found, _extra, _twice = match_columns(kind, header)
        if all(c.name in found for c in kind.required):
            score = len(found) - len(kind.columns) / 100  # ties go to the kind with fewer columns
            if score > best_score:
                best, best_score = kind.name, score
    return best
