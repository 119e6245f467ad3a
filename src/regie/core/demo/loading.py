"""Loading the demo's export files through the import, and picking up what it saved."""

from pathlib import Path

from regie.housing.models import Person, Tenancy


class DemoImportError(RuntimeError):
    """The import refused the demo's own files: a bug in the generator or in the import."""


def import_files(paths: list[Path]) -> int:
    """Import the files as one import (origin demo); return the number of warnings.

    Warnings are expected (a report on a vacant unit is kept on the unit and reported). A rejected
    row is not: the demo's files must import cleanly, so any problem stops the demo.
    """
    from regie.signalling.importing.service import import_paths

    result = import_paths(paths=paths, origin="demo")
    if result.exit_code != 0:
        shown = "; ".join(
            f"{p.file} line {p.line} {p.column}: {p.reason}" for p in list(result.problems)[:5]
        )  # ids and reasons only: the values may be (synthetic) personal data
        raise DemoImportError(f"The import refused the demo's files (exit code {result.exit_code}): {shown}")
    return len(result.warnings)


def attach_saved(households) -> None:
    """Point the generator's households at the rows the import saved, for the case services.

    The demo fills an empty database, so every tenancy and person there is the demo's own: read
    them all (a list of ids in a query would pass PostgreSQL's 65,535 parameters at 30,000 units).
    """
    tenancies = {t.tenancy_id: t for t in Tenancy.objects.select_related("unit").order_by()}
    persons = {p.person_id: p for p in Person.objects.order_by()}
    for h in households:
        h.tenancy = tenancies[h.tenancy.tenancy_id]
        h.unit = h.tenancy.unit
        h.persons = [persons[p.person_id] for p in h.persons]
