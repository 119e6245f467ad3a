"""The demo corporation's export files, written the way corporations send them (IMPORT.md).

The demo loads its units, tenancies, persons, arrears and events through the import, so it walks
the path a corporation walks. The files mix what real exports look like:
- units and contracts from the ERP: `;`-separated, Dutch headers, Windows-1252, Dutch dates
  (`27-11-2026`) and amounts (`€ 1.234,56`), postcodes as `1234AB` or `1234 ab`, and a column the
  import doesn't know (reported once as a warning);
- the rent ledger: `;`, Dutch headers and amounts (`-12,50`, `-€ 12,50`), UTF-8;
- persons and events from other systems: commas, English headers, ISO dates, UTF-8 (persons with
  a BOM), roles now and then with their kind (`RELATIEROLSOORT.HUU`).

The variations follow the row number, not the random generator, so the data stay the same.
"""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from regie.housing.models import ArrearsSnapshot, Event, Unit

FILES = {
    "units": "vhe_export.csv",
    "tenancies": "huurcontracten.csv",
    "persons": "persons.csv",
    "arrears": "huurachterstand.csv",
    "events": "events.csv",
}


def nl_date(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def nl_amount(amount: Decimal, *, euro: bool = False) -> str:
    """1234.56 as `1.234,56` (or `€ 1.234,56`); negative with a leading minus."""
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{sign}€ {digits}" if euro else f"{sign}{digits}"


def _postcode(postcode: str, i: int) -> str:
    """`1234 AB` as ERPs write it: `1234AB` mostly, now and then `1234 ab`."""
    digits, letters = postcode[:4], postcode[-2:]
    return f"{digits} {letters.lower()}" if i % 5 == 0 else f"{digits}{letters}"


def _write(path: Path, header: list[str], rows, *, delimiter: str, encoding: str) -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_files(folder: Path, *, units: list[Unit], households, arrears: list[ArrearsSnapshot], events: list[Event]):
    """Write the five files into `folder` (made if missing); return their paths in import order."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()
    paths = []
    # The ERP's units export: Dutch headers, `;`, Windows-1252.
    paths.append(
        _write(
            folder / FILES["units"],
            ["VHE nummer", "Straat", "Huisnummer", "Toevoeging", "Postcode", "Woonplaats", "Wijk"],
            (
                [
                    u.unit_id,
                    u.street,
                    u.house_number,
                    u.house_number_suffix,
                    _postcode(u.postcode, i),
                    u.city,
                    u.district,
                ]
                for i, u in enumerate(units)
            ),
            delimiter=";",
            encoding="cp1252",
        )
    )
    # Contracts from the same ERP: Dutch dates and amounts (the € as Windows-1252's byte 0x80),
    # and a column Regie doesn't use.
    tenancies = sorted((h.tenancy for h in households), key=lambda t: t.tenancy_id)
    paths.append(
        _write(
            folder / FILES["tenancies"],
            ["Contractnummer", "VHE", "Ingangsdatum", "Einddatum", "Kale huur", "Vestiging"],
            (
                [
                    t.tenancy_id,
                    t.unit.unit_id,
                    nl_date(t.start_date),
                    nl_date(t.end_date),
                    nl_amount(t.monthly_rent, euro=i % 3 == 0),
                    "Zandhoven",
                ]
                for i, t in enumerate(tenancies)
            ),
            delimiter=";",
            encoding="cp1252",
        )
    )
    # The relations export of another system: English headers, commas, ISO dates, UTF-8 with BOM.
    persons = sorted((p for h in households for p in h.persons), key=lambda p: p.person_id)
    paths.append(
        _write(
            folder / FILES["persons"],
            [
                "person_id",
                "tenancy_id",
                "role",
                "first_name",
                "name_prefix",
                "last_name",
                "birth_date",
                "phone",
                "email",
            ],
            (
                [
                    p.person_id,
                    p.tenancy.tenancy_id,
                    f"RELATIEROLSOORT.{p.role}" if i % 4 == 0 else p.role,
                    p.first_name,
                    p.name_prefix,
                    p.last_name,
                    p.birth_date.isoformat() if p.birth_date else "",
                    p.phone,
                    p.email,
                ]
                for i, p in enumerate(persons)
            ),
            delimiter=",",
            encoding="utf-8-sig",
        )
    )
    # The rent ledger: Dutch, with credit balances as `-12,50` and now and then `-€ 12,50`.
    paths.append(
        _write(
            folder / FILES["arrears"],
            ["Contractnummer", "Peildatum", "Saldo"],
            (
                [a.tenancy.tenancy_id, nl_date(a.date), nl_amount(a.balance, euro=i % 7 == 0)]
                for i, a in enumerate(arrears)
            ),
            delimiter=";",
            encoding="utf-8",
        )
    )
    # Reports and collection steps from several systems, merged: English, commas, ISO dates.
    paths.append(
        _write(
            folder / FILES["events"],
            ["event_id", "source", "date", "tenancy_id", "unit_id", "type", "severity", "description"],
            (
                [
                    e.event_id,
                    e.source,
                    e.date.isoformat(),
                    e.tenancy.tenancy_id if e.tenancy else "",
                    "" if e.tenancy else e.unit.unit_id,
                    e.type,
                    e.severity,
                    e.description,
                ]
                for e in events
            ),
            delimiter=",",
            encoding="utf-8",
        )
    )
    return paths
