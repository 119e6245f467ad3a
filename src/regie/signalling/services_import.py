"""The writes of an upload import (Beheer › Import and the imports API): store the uploads, check
them (dry run), confirm, cancel; and the rules of when a run may be confirmed or cancelled.

The web pages (`views_import`) and the API (`api_imports`) call these same functions, so both apply
the same limits, states and messages. The files of a run live under DATA_DIR/imports/<run id>/
(`tasks_import.run_dir`); the import itself is `importing.service.import_paths`, run by the worker.
"""

import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from regie.accounts.models import User
from regie.signalling import tasks_import
from regie.signalling.forms_import import safe_names
from regie.signalling.models import ImportRun

logger = logging.getLogger(__name__)

S = ImportRun.Status
ACTIVE = (S.QUEUED, S.RUNNING)
CANCELLABLE = (S.UPLOADED, S.CHECKED, S.QUEUED)
COUNTS = ("rows", "new", "changed", "unchanged", "rejected", "warnings")
DEFAULT_INLINE_BYTES = 5 * 1024 * 1024


def inline_limit() -> int:
    """Uploads up to this many bytes (all files together) are checked during the request."""
    return int(getattr(settings, "REGIE_IMPORT_INLINE_BYTES", DEFAULT_INLINE_BYTES))


@transaction.atomic
def import_upload(*, files, kind: str, accept_partial: bool, by: User) -> ImportRun:
    """Store the uploaded files under the new run's folder, with names made here."""
    run = ImportRun(
        origin=ImportRun.Origin.WEB,
        created_by=by,
        kind=kind or "",
        accept_partial=accept_partial,
        dry_run=True,
        status=S.UPLOADED,
        source="upload",
    )
    run.full_clean(exclude=["source", "files", "summary"])
    run.save()
    # A fresh run has a fresh folder; anything left under its id (a rolled-back run) goes first.
    shutil.rmtree(tasks_import.run_dir(run), ignore_errors=True)
    folder = tasks_import.upload_dir(run)
    folder.mkdir(parents=True)
    names = safe_names([f.name for f in files])
    for upload, name in zip(files, names, strict=True):
        with open(folder / name, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    run.files = names
    run.source = str(folder.relative_to(Path(settings.DATA_DIR)))
    run.save(update_fields=["files", "source"])
    return run


def import_check(*, run: ImportRun, size: int, then_confirm: bool = False) -> None:
    """The dry run: right away for small uploads, through the worker for large ones.

    Imports run one at a time (the import service takes a lock on PostgreSQL), so while another
    one is running the check waits its turn in the worker rather than holding up the page.

    `then_confirm` (the API's `confirm=true`, for unattended uploads): as soon as the check allows
    it — no rejected rows, or rejected rows and the run accepts a partial import — the import itself
    is queued, whether the check ran here or in the worker.
    """
    ImportRun.objects.filter(pk=run.pk).update(status=S.QUEUED)
    run.status = S.QUEUED
    busy = ImportRun.objects.filter(status__in=ACTIVE).exclude(pk=run.pk).exists()
    if size <= inline_limit() and not busy:
        tasks_import.execute(run.pk, dry_run=True, inline=True)
        run.refresh_from_db()
        if then_confirm:
            confirm_when_ready(run)
    elif then_confirm:
        transaction.on_commit(lambda: check_then_confirm.enqueue(run.pk))
    else:
        transaction.on_commit(lambda: tasks_import.run_import.enqueue(run.pk, dry_run=True))


@transaction.atomic
def import_confirm(*, run: ImportRun, accept_partial: bool, by: User) -> None:
    # Read the run again under a row lock: a cancel (or a second confirm) may have come first.
    fresh = ImportRun.objects.select_for_update().get(pk=run.pk)
    if not can_confirm(fresh, accept_partial=accept_partial):
        raise ValueError("run cannot be confirmed")
    run.accept_partial = accept_partial
    run.dry_run = False
    run.status = S.QUEUED
    run.progress_done = run.progress_total = 0
    run.finished_at = None
    run.save(update_fields=["accept_partial", "dry_run", "status", "progress_done", "progress_total", "finished_at"])
    logger.info("import %s confirmed by user %s", run.pk, by.pk)
    transaction.on_commit(lambda: tasks_import.run_import.enqueue(run.pk))


@transaction.atomic
def import_cancel(*, run: ImportRun, by: User) -> bool:
    """Cancel a run the worker hasn't taken yet; False when it has (the update is conditional, as
    the worker's claim is, so one of the two wins)."""
    cancelled = ImportRun.objects.filter(pk=run.pk, status__in=CANCELLABLE).update(
        status=S.CANCELLED, finished_at=timezone.now()
    )
    if cancelled:
        logger.info("import %s cancelled by user %s", run.pk, by.pk)
        transaction.on_commit(lambda: tasks_import.remove_uploads(run))
    return bool(cancelled)


def confirm_when_ready(run: ImportRun) -> bool:
    """Confirm a checked run on its uploader's behalf when its own `accept_partial` allows it."""
    if run.created_by is None or not can_confirm(run, accept_partial=run.accept_partial):
        return False
    import_confirm(run=run, accept_partial=run.accept_partial, by=run.created_by)
    return True


# Kept beside the services it chains rather than in tasks_import (another engineer's module): the
# worker finds a task by its module path, wherever it lives.
@task()
def check_then_confirm(run_id: int) -> int | None:
    """Check (dry run) an uploaded run in the worker, then queue its import if the check allows it."""
    run = tasks_import.execute(run_id, dry_run=True)
    if run is None:
        return None  # cancelled meanwhile, or taken by another worker
    confirm_when_ready(run)
    return run.exit_code


def can_confirm(run: ImportRun, *, accept_partial: bool) -> bool:
    """A checked run whose files are usable; with rejected rows only when partial is accepted."""
    if run.status != S.CHECKED or not run.dry_run or not tasks_import.upload_dir(run).is_dir():
        return False
    return run.exit_code == 0 or (run.exit_code == 1 and accept_partial and totals(run)["rows"] > 0)


def file_rows(run: ImportRun) -> list[dict]:
    """The counts per file of a run's summary, one dict per file (`name`, `kind` and COUNTS)."""
    rows = []
    for name, counts in (run.summary or {}).items():
        if not isinstance(counts, dict):
            continue
        rows.append({"name": name, "kind": counts.get("kind", ""), **{k: counts.get(k) or 0 for k in COUNTS}})
    return rows


def totals(run: ImportRun) -> dict[str, int]:
    rows = file_rows(run)
    return {k: sum(r[k] for r in rows) for k in COUNTS}
