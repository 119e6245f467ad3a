"""`import_paths`: import the corporation's export files (IMPORT.md) in one transaction.

1. Recognise each file's kind (forced, from its name, or from its columns); a file that can't be
   used as a whole is refused (exit 2), and then nothing is written.
2. Check every row of every file, in load order (units, tenancies, persons, arrears, events), so a
   reference to a row of an earlier file counts and a row referring to a rejected one is rejected
   too. All problems of all files are reported in one go.
3. Write the good rows, unless anything was refused: all or nothing, or with `accept_partial` the
   good rows without the rejected ones. A dry run writes the good rows too and rolls back, so its
   counts and warnings are those of the real import (with rejected rows: of the correct rows).
4. Record the run (counts only, no personal data) and write the report and the rejects files.

Steps 2 and 3 overlap: a worker thread checks the next file (Polars, no database) while this
thread writes the file checked before (PostgreSQL works meanwhile): on the 2-core bench that hides
most of the checking. If a check then finds a reason to refuse, the writes roll back.
"""

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from regie.housing.models import AreaDistrict
from regie.signalling.importing import report, runs
from regie.signalling.importing.db import Db
from regie.signalling.importing.load import Loader, household_names
from regie.signalling.importing.plan import Plan, check_file, expand, recognise, refuse
from regie.signalling.importing.read import FileRefused
from regie.signalling.importing.result import FileResult, ImportResult
from regie.signalling.importing.spec import KINDS, ORDER
from regie.signalling.importing.validate import Known
from regie.signalling.models import ImportRun


def import_paths(
    *,
    paths: list[Path],
    kind: str | None = None,
    dry_run: bool = False,
    accept_partial: bool = False,
    by=None,
    origin: str = "cli",
    run: ImportRun | None = None,
    progress: Callable[[int, int], None] | None = None,
    report_dir: Path | None = None,
) -> ImportResult:
    """Import files, and folders of files; see the module docstring and docs/import.md.

    `kind` forces the kind of the files given; `progress(done, total)` is called from this thread
    only (done and total count rows, each row twice: checked and written).
    """
    paths = [Path(p) for p in paths]
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    run = runs.start(run, paths=paths, kind=kind, dry_run=dry_run, accept_partial=accept_partial, by=by, origin=origin)
    folder = Path(report_dir) if report_dir else Path(settings.DATA_DIR) / "imports" / str(run.pk)
    result = ImportResult(run=run)
    try:
        plans = _plans(paths, kind, result)
        _import(result, plans, dry_run=dry_run, accept_partial=accept_partial, progress=progress)
        report.write_outputs(result, plans, folder, accept_partial, dry_run)
        result.exit_code = 2 if result.errors else 1 if result.total("rejected") else 0
    except Exception:
        runs.failed(run)
        raise
    runs.finish(result, dry_run=dry_run, accept_partial=accept_partial)
    return result


def _plans(paths: list[Path], forced: str | None, result: ImportResult) -> list[Plan]:
    plans = []
    for path in expand(paths, result):
        file = FileResult(path.name, path)
        result.files.append(file)
        try:
            name, columns, extra, rows = recognise(path, forced)
        except FileRefused as e:
            refuse(result, file, str(e))
            continue
        file.kind = name
        plans.append(Plan(file, name, columns, extra, rows))
    # In load order (stable: files of one kind keep their order); refused files last.
    result.files.sort(key=lambda f: ORDER.index(f.kind) if f.kind else len(ORDER))
    return sorted(plans, key=lambda p: ORDER.index(p.kind))


class _Progress:
    def __init__(self, total: int, callback):
        self.total, self.done, self.callback = total, 0, callback

    def __call__(self, n: int) -> None:
        self.done = min(self.total, self.done + n)
        if self.callback:
            self.callback(self.done, self.total)


def _import(result: ImportResult, plans: list[Plan], *, dry_run: bool, accept_partial: bool, progress) -> None:
    step = _Progress(2 * sum(p.rows for p in plans), progress)
    language = translation.get_language()
    with transaction.atomic():
        db = Db(connection)
        try:
            db.begin()
            loader = Loader(db, step)
            known = _known(db, loader, plans)
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-check") as pool:
                # One worker, so the files are checked one after another, in load order.
                futures = {id(p): pool.submit(_check_in, language, p, known) for p in plans}
                outcome = _Outcome(result, futures, step)
                for plan in plans:
                    outcome.wait(plan)
                    if plan.kind == "tenancies":
                        for other in plans:  # new households get their name from the persons files
                            if other.kind == "persons":
                                outcome.wait(other)
                    # A dry run writes the good rows even beside rejected ones: its counts are those
                    # of the correct rows, as an import with accept_partial would write them.
                    if not outcome.refused(accept_partial or dry_run) and plan.checked is not None:
                        _load(plan, loader, known, plans)
            refused = outcome.refused(accept_partial)
            result.written = not (refused or dry_run)
            if not result.written:
                transaction.set_rollback(True)
        finally:
            db.close()
    if step.callback:
        step.callback(step.total, step.total)


class _Outcome:
    """The main thread's view of the checks: waits for a file's check and records what it found."""

    def __init__(self, result: ImportResult, futures: dict[int, Future], step):
        self.result, self.futures, self.step, self.seen = result, futures, step, set()

    def wait(self, plan: Plan) -> None:
        if id(plan) in self.seen:
            return
        self.seen.add(id(plan))
        error = self.futures[id(plan)].result()
        if error:
            refuse(self.result, plan.result, error)
        self.step(plan.rows)

    def refused(self, accept_partial: bool) -> bool:
        return bool(self.result.errors) or (not accept_partial and self.result.total("rejected") > 0)


def _check_in(language: str, plan: Plan, known: Known) -> str | None:
    """check_file in the worker thread, in the caller's language; a refusal comes back as its message."""
    with translation.override(language):
        try:
            check_file(plan, known)
        except FileRefused as e:
            return str(e)
    return None


def _known(db: Db, loader: Loader, plans: list[Plan]) -> Known:
    """What the database holds already: unit and tenancy numbers, and the districts' areas."""
    known = Known()
    kinds = {p.kind for p in plans}
    if kinds & {"tenancies", "events"}:
        known.ids["units"] = loader.units()["unit_id"]
    if kinds & {"persons", "arrears", "events"}:
        known.ids["tenancies"] = loader.tenancies()["tenancy_id"]
    if "units" in kinds:
        qn = db.qn
        areas = db.frame(
            f"SELECT {qn('district')}, {qn('area_id')} FROM {qn(AreaDistrict._meta.db_table)}",  # noqa: S608
            {"district": pl.String, "area": pl.Int64},
        )
        known.districts = {d.lower(): a for d, a in areas.iter_rows()}
    return known


def _load(plan: Plan, loader: Loader, known: Known, plans: list[Plan]) -> None:
    checked, file = plan.checked, plan.result
    if checked.good.is_empty():
        return
    started = time.perf_counter()
    if plan.kind == "units":
        loaded = loader.load_units(checked, known.districts)
    elif plan.kind == "tenancies":
        loaded = loader.load_tenancies(checked, _new_names(plans))
    else:
        loaded = getattr(loader, f"load_{plan.kind}")(checked)
    file.new, file.changed = loaded.new, loaded.changed
    file.unchanged = checked.good.height - loaded.new - loaded.changed
    if loaded.warnings.height:
        checked.warnings = pl.concat([checked.warnings, loaded.warnings]).sort("line")
        file.warnings = checked.warnings.height
    file.seconds += time.perf_counter() - started


def _new_names(plans: list[Plan]) -> pl.DataFrame | None:
    """Household names from this import's persons, by tenancy number.

    Only a new tenancy takes its name from here (on INSERT): no person in the database can be on
    it yet. Naming it then saves updating every new household right after inserting it.
    """
    persons = [p.checked.good for p in plans if p.kind == "persons" and p.checked is not None]
    if not persons:
        return None
    people = pl.concat([g.select("tenancy_id", "role", "name_prefix", "last_name") for g in persons]).with_row_index(
        "id"
    )
    people = people.select(
        pl.col("tenancy_id").alias("tenancy"),
        pl.col("id").cast(pl.Int64),
        "role",
        pl.col("name_prefix").alias("prefix"),
        pl.col("last_name").alias("last"),
    )
    ids = people.select("tenancy").unique()
    return household_names(ids, people).rename({"id": "tenancy_id"})
