"""Benchmark of `regie import` at the size of a large corporation (see docs/import.md).

Generates (seeded, synthetic) a folder with 100,000 units, 100,000 tenancies, ~230,000 persons,
2.4 million arrears rows (24 monthly snapshots per tenancy) and 300,000 events, then imports it
twice into a fresh PostgreSQL database `regie_bench_import`: the first import writes everything,
the second finds everything unchanged. Prints the wall time per file and in total and the peak
RSS of each import beside the targets (< 30 s, < 1.5 GB). Figures, never pass/fail.

    .venv/bin/python bench/importing.py [--keep] [--folder DIR]

Each import runs in a child process of its own, so its peak RSS is its own and not the
generator's. PostgreSQL at postgres://postgres@127.0.0.1:5432 (trust auth) by default;
BENCH_IMPORT_ADMIN_URL points elsewhere.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_IMPORT_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = "regie_bench_import"
TARGET_SECONDS = 30.0
TARGET_RSS_MB = 1536

UNITS = 100_000
MONTHS = 24
EVENTS = 300_000
SEED = 20261127

STREETS = np.array(
    [
        "Kerkstraat",
        "Dorpsstraat",
        "Schoolstraat",
        "Molenweg",
        "Julianastraat",
        "Beatrixlaan",
        "Stationsweg",
        "Parallelweg",
        "Eikenlaan",
        "Lindelaan",
        "Wilhelminastraat",
        "Oranjestraat",
        "Marktplein",
        "Nieuwstraat",
        "Prins Hendrikkade",
    ]
)
CITIES = np.array(["Amersfoort", "Leusden", "Soest", "Baarn"])
PREFIXES = np.array(["", "", "", "", "de", "van", "van der", "van den", "ter"])
SURNAMES = np.array(
    [
        "Jansen",
        "de_Vries",
        "Bakker",
        "Visser",
        "Smit",
        "Meijer",
        "Mulder",
        "Bos",
        "Vos",
        "Peters",
        "Hendriks",
        "Dekker",
        "Brouwer",
        "Dijkstra",
        "Yilmaz",
        "Kaya",
        "El_Amrani",
        "Bouzid",
        "Hoekstra",
        "Koster",
        "Verbeek",
        "Willems",
        "Prins",
        "Kok",
        "Jacobs",
        "Huisman",
        "Kramer",
        "Postma",
    ]
)
FIRST = np.array(
    [
        "Jan",
        "Anna",
        "Piet",
        "Fatma",
        "Mohamed",
        "Sanne",
        "Daan",
        "Emma",
        "Lucas",
        "Sara",
        "Noah",
        "Julia",
        "Ahmet",
        "Priya",
        "Kees",
        "Lotte",
    ]
)
ROLES_AFTER_TENANT = np.array(["MDH", "KIN", "MBW", "VOL"])


def _pick(rng, values: np.ndarray, n: int) -> pl.Series:
    return pl.Series(values[rng.integers(0, len(values), n)])


def _amounts(cents: np.ndarray, dutch: bool = True) -> pl.Series:
    """Cents as the exports write them: "1234,56" (or "1234.56")."""
    s = pl.Series(cents)
    text = pl.select(
        pl.format(
            "{}{}{}{}",
            pl.when(s < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            (s.abs() // 100).cast(pl.String),
            pl.lit("," if dutch else "."),
            (s.abs() % 100).cast(pl.String).str.zfill(2),
        )
    )
    return text.to_series()


def _event_types() -> list[str]:
    reference = ROOT / "src/regie/core/reference/vera-referentiedata.csv"
    codes = pl.read_csv(reference, separator=";", infer_schema=False)
    vera = codes.filter(pl.col("Soort").is_in(["ZAAKTYPEDETAILSOORT", "SIGNALERINGDETAILSOORT"]))
    picked = vera.select(pl.format("{}.{}", "Soort", "Code")).to_series().to_list()[:30]
    return picked + ["REGIE.AAN", "REGIE.CTP", "REGIE.DAG", "REGIE.GTO", "REGIE.ZRG"]


def generate(folder: Path) -> dict[str, int]:
    """The five files, built column-wise (no Python loop per row)."""
    rng = np.random.default_rng(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    n = UNITS
    ids = pl.Series(np.arange(1, n + 1)).cast(pl.String).str.zfill(7)
    unit_ids = "V" + ids
    digits = rng.integers(1000, 10000, n)
    letters = np.array(list("ABCDEFGHJKLMNPRSTVWXZ"))
    postcode = (
        pl.Series(digits).cast(pl.String)
        + pl.Series(np.where(rng.random(n) < 0.5, " ", ""))
        + _pick(rng, letters, n)
        + _pick(rng, letters, n)
    )
    districts = pl.Series([f"BU0307{i:04d}" for i in range(40)])
    units = pl.DataFrame(
        {
            "unit_id": unit_ids,
            "street": _pick(rng, STREETS, n),
            "house_number": pl.Series(rng.integers(1, 300, n)).cast(pl.String),
            "house_number_suffix": pl.Series(np.where(rng.random(n) < 0.1, "A", "")),
            "postcode": postcode,
            "city": _pick(rng, CITIES, n),
            "district": districts.gather(rng.integers(0, 40, n)),
        }
    )
    units.write_csv(folder / "units.csv", separator=";")

    # One tenancy per unit; 5 % ended (the unit stands empty since).
    start_days = rng.integers(date(1995, 1, 1).toordinal(), date(2024, 6, 1).toordinal(), n)
    ended = rng.random(n) < 0.05
    end_days = np.minimum(start_days + rng.integers(200, 8000, n), date(2026, 6, 1).toordinal())
    epoch = date(1970, 1, 1).toordinal()
    start = pl.Series(start_days - epoch).cast(pl.Date)
    end = pl.Series(end_days - epoch).cast(pl.Date)
    tenancy_ids = "H" + ids
    tenancies = pl.DataFrame(
        {
            "contractnummer": tenancy_ids,
            "vhe": unit_ids,
            "ingangsdatum": start.dt.strftime("%d-%m-%Y"),
            "einddatum": pl.select(pl.when(pl.Series(ended)).then(end.dt.strftime("%d-%m-%Y"))).to_series(),
            "huurprijs": _amounts(rng.integers(45000, 95000, n)),
        }
    )
    tenancies.write_csv(folder / "tenancies.csv", separator=";")

    # Persons: a tenant each, then 0-3 more (2.3 per household on average).
    extra = rng.choice([0, 1, 2, 3], n, p=[0.30, 0.28, 0.26, 0.16])
    owner = np.concatenate([np.arange(n), np.repeat(np.arange(n), extra)])
    m = len(owner)
    order = np.argsort(owner, kind="stable")
    owner = owner[order]
    tenant = np.concatenate([np.ones(n, bool), np.zeros(m - n, bool)])[order]
    role = np.where(tenant, "HUU", ROLES_AFTER_TENANT[rng.integers(0, 4, m)])
    surnames = SURNAMES[rng.integers(0, len(SURNAMES), m)]
    persons = pl.DataFrame(
        {
            "relatienummer": "R" + pl.Series(np.arange(1, m + 1)).cast(pl.String).str.zfill(8),
            "contractnummer": tenancy_ids.gather(owner),
            "rol": pl.Series(role),
            "voornaam": _pick(rng, FIRST, m),
            "tussenvoegsel": _pick(rng, PREFIXES, m),
            "achternaam": pl.Series(surnames).str.replace("_", " "),
            "geboortedatum": (pl.Series(rng.integers(-15000, 15000, m)).cast(pl.Date)).dt.strftime("%Y-%m-%d"),
            "telefoon": "06-" + pl.Series(rng.integers(10_000_000, 99_999_999, m)).cast(pl.String),
            "e-mail": pl.Series([""] * m),
        }
    )
    persons.write_csv(folder / "persons.csv", separator=";")

    # Arrears: a snapshot on the 1st of 24 months per tenancy; a fifth run up arrears.
    months = pl.date_range(date(2024, 12, 1), date(2026, 11, 1), "1mo", eager=True)
    debtor = rng.random(n) < 0.2
    level = rng.integers(0, 250_000, n)
    balance = np.where(
        np.repeat(debtor, MONTHS), (np.repeat(level, MONTHS) * rng.random(n * MONTHS)).astype(np.int64), 0
    )
    balance -= (rng.random(n * MONTHS) < 0.05) * rng.integers(1, 5000, n * MONTHS)
    arrears = pl.DataFrame(
        {
            "tenancy_id": tenancy_ids.gather(np.repeat(np.arange(n), MONTHS)),
            "date": pl.Series(np.tile(months.to_numpy(), n)).cast(pl.Date).dt.strftime("%Y-%m-%d"),
            "balance": _amounts(balance),
        }
    )
    arrears.write_csv(folder / "arrears.csv", separator=";")

    # Events: four fifths on a tenancy, the rest on a unit (resolved to the tenancy on that day).
    k = EVENTS
    on_unit = rng.random(k) < 0.2
    who = rng.integers(0, n, k)
    day = pl.Series(rng.integers(date(2024, 1, 1).toordinal(), date(2026, 11, 27).toordinal(), k) - epoch).cast(pl.Date)
    sources = np.array(["INC", "OHD", "WIJ", "KCC", "PAR", "POL", "HUU"])
    events = pl.DataFrame(
        {
            "meldingnummer": "M" + pl.Series(np.arange(1, k + 1)).cast(pl.String).str.zfill(8),
            "bron": _pick(rng, sources, k),
            "datum": day.dt.strftime("%Y-%m-%d"),
            "contractnummer": pl.select(pl.when(~pl.Series(on_unit)).then(tenancy_ids.gather(who))).to_series(),
            "vhe": pl.select(pl.when(pl.Series(on_unit)).then(unit_ids.gather(who))).to_series(),
            "soort": _pick(rng, np.array(_event_types()), k),
            "ernst": pl.Series(rng.choice(["1", "2", "3", ""], k)),
            "omschrijving": pl.Series(np.where(rng.random(k) < 0.3, "Melding via het klantcontactcentrum", "")),
        }
    )
    events.write_csv(folder / "events.csv", separator=";")
    return {
        "units": units.height,
        "tenancies": tenancies.height,
        "persons": persons.height,
        "arrears": arrears.height,
        "events": events.height,
    }


def _database_url() -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME


def fresh_database() -> None:
    """Drop and create `regie_bench_import`, then migrate it."""
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    subprocess.run([sys.executable, __file__, "--migrate"], check=True)  # noqa: S603 - this script itself


def _django() -> None:
    os.environ["DATABASE_URL"] = _database_url()
    os.environ.setdefault("REGIE_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _migrate() -> None:
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # A few districts mapped to areas, so the import sets areas (and warns about the others).
    from regie.accounts.models import Area
    from regie.housing.models import AreaDistrict

    for i, code in enumerate(("noord", "oost", "zuid", "west")):
        area = Area.objects.create(code=code, name=code.title())
        for d in range(i * 8, i * 8 + 8):
            AreaDistrict.objects.create(district=f"BU0307{d:04d}", area=area)


def _import(folder: Path, report_dir: Path) -> None:
    """One import in this (child) process; prints its figures as JSON on the last line."""
    _django()
    from regie.signalling.importing.service import import_paths

    started = time.perf_counter()
    result = import_paths(paths=[folder], report_dir=report_dir)
    seconds = time.perf_counter() - started
    rss_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    figures = {
        "seconds": seconds,
        "rss_mb": rss_kb / 1024,
        "exit_code": result.exit_code,
        "files": [
            {
                k: getattr(f, k)
                for k in ("name", "rows", "new", "changed", "unchanged", "rejected", "warnings", "seconds")
            }
            for f in result.files
        ],
        "errors": result.errors,
    }
    print(json.dumps(figures))


def _report(title: str, figures: dict) -> None:
    print(f"\n{title}")
    print(
        f"{'file':<15}{'rows':>10}{'new':>10}{'changed':>10}{'unchanged':>10}{'rejected':>10}{'warnings':>10}{'s':>8}"
    )
    for f in figures["files"]:
        print(
            f"{f['name']:<15}{f['rows']:>10}{f['new']:>10}{f['changed']:>10}{f['unchanged']:>10}"
            f"{f['rejected']:>10}{f['warnings']:>10}{f['seconds']:>8.1f}"
        )
    ok_t = "ok" if figures["seconds"] < TARGET_SECONDS else "MISSED"
    ok_m = "ok" if figures["rss_mb"] < TARGET_RSS_MB else "MISSED"
    print(f"total wall time {figures['seconds']:6.1f} s    target < {TARGET_SECONDS:.0f} s     {ok_t}")
    print(f"peak RSS        {figures['rss_mb']:6.0f} MB   target < {TARGET_RSS_MB} MB  {ok_m}")
    print(f"exit code {figures['exit_code']}" + "".join(f"\n  {e}" for e in figures["errors"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folder", type=Path, help="generate into (or reuse) this folder instead of a temp dir")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--migrate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--import-folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--report-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.migrate:
        return _migrate()
    if args.import_folder:
        return _import(args.import_folder, args.report_dir)

    with tempfile.TemporaryDirectory(prefix="regie-bench-import-") as tmp:
        folder = args.folder or Path(tmp) / "export"
        if args.folder and (folder / "events.csv").exists():
            print(f"reusing {folder}")
        else:
            started = time.perf_counter()
            counts = generate(folder)
            print(f"generated {folder} in {time.perf_counter() - started:.1f} s: {counts}")
        fresh_database()
        try:
            for run, title in ((1, "first import (everything new)"), (2, "second import (everything unchanged)")):
                out = subprocess.run(  # noqa: S603 - this script itself
                    [sys.executable, __file__, "--import-folder", str(folder), "--report-dir", f"{tmp}/report{run}"],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                _report(title, json.loads(out.stdout.strip().splitlines()[-1]))
        finally:
            if not args.keep:
                import psycopg

                with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
