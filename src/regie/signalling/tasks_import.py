"""The web import's background work: the check (dry run) of large uploads and the import itself.

Thin, as the other tasks: take the run's id, load it, call the import service. Where the run's
files live is decided here and in the views alike (`run_dir`, `upload_dir`).

Progress. The import runs in one transaction; a progress update written through the same
connection would only become visible when that transaction commits. On PostgreSQL the progress
is therefore written through a second, short-lived connection in autocommit, so the page sees it
while the import is still running. SQLite allows one writer at a time and the import holds the
write lock, so there the progress is written through the import's own connection: the page sees
it only when the import commits (or while the service has not yet opened its transaction) and the
bar may jump from the start to the end.
"""

import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone
from django_tasks import task

from regie.signalling.models import ImportRun

logger = logging.getLogger(__name__)

S = ImportRun.Status
# How often (at least) the progress row is written: not for every row of a million-row file.
MIN_STEP_FRACTION = 0.005


def run_dir(run: ImportRun | int) -> Path:
    pk = run if isinstance(run, int) else run.pk
    return Path(settings.DATA_DIR) / "imports" / str(int(pk))


def upload_dir(run: ImportRun | int) -> Path:
    return run_dir(run) / "upload"


def upload_paths(run: ImportRun) -> list[Path]:
    folder = upload_dir(run)
    return [folder / name for name in run.files]


def remove_uploads(run: ImportRun) -> None:
    """The uploaded exports hold personal data; once imported (or cancelled) they are not kept."""
    shutil.rmtree(upload_dir(run), ignore_errors=True)


class ProgressWriter:
    """The `progress` callback of the import service: writes done/total to the run's row."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.last_done = -1
        self.side = None
        self.side_failed = False
        self.table = ImportRun._meta.db_table
        if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, done: int, total: int) -> None:
        step = max(1, int(total * MIN_STEP_FRACTION))
        if done < total and self.last_done >= 0 and done - self.last_done < step:
            return
        self.last_done = done
        if self.side is not None and not self.side_failed:
            try:
                self._write_side(done, total)
                return
            except DatabaseError:
                # A lock held by the import itself (it may update the run row in its transaction):
                # never wait for it; from now on the progress goes with the import's own connection.
                logger.info("import %s: progress through the import's connection", self.run_id)
                self.side_failed = True
        ImportRun.objects.filter(pk=self.run_id).update(progress_done=done, progress_total=total)

    def _write_side(self, done: int, total: int) -> None:
        qn = self.side.ops.quote_name
        with self.side.cursor() as cursor:
            if not getattr(self, "_timeout_set", False):
                cursor.execute("SET lock_timeout = '200ms'")
                self._timeout_set = True
            cursor.execute(
                f"UPDATE {qn(self.table)} SET {qn('progress_done')} = %s, {qn('progress_total')} = %s "  # noqa: S608
                f"WHERE {qn('id')} = %s",
                [done, total, self.run_id],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _queue_detection(run_id: int) -> None:
    """Detection after an import, when the detection tasks exist (they are written alongside)."""
    try:
        from regie.signalling.tasks import detect_after_import
    except ImportError:
        return
    transaction.on_commit(lambda: detect_after_import.enqueue(run_id))


def wrote_data(run: ImportRun) -> bool:
    return not run.dry_run and run.status in (S.DONE, S.REJECTED) and run.exit_code in (0, 1)


def execute(run_id: int, *, dry_run: bool, inline: bool = False) -> ImportRun | None:
    """Claim a queued run and import (or check) its files. Returns None when it was not queued.

    `inline`: called during a request (the check of a small upload): no progress to show, and an
    unexpected error marks the run failed instead of failing the page.
    """
    claimed = ImportRun.objects.filter(pk=run_id, status=S.QUEUED).update(
        status=S.RUNNING, started_at=timezone.now(), progress_done=0, progress_total=0
    )
    if not claimed:
        return None  # cancelled meanwhile, or already taken by another worker
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    chosen = run.accept_partial
    progress = None if inline else ProgressWriter(run_id)
    try:
        from regie.signalling.importing.service import import_paths

        import_paths(
            paths=upload_paths(run),
            kind=run.kind or None,
            dry_run=dry_run,
            # The check counts what the correct rows would change even when the user didn't (yet)
            # accept a partial import: otherwise one bad row hides every count. It also leaves the
            # rejects files, ready to correct. The user's own choice is put back below.
            accept_partial=True if dry_run else chosen,
            by=run.created_by,
            origin=run.origin,
            run=run,
            progress=progress,
            report_dir=run_dir(run),
        )
    except Exception:
        logger.exception("import %s failed", run_id)
        ImportRun.objects.filter(pk=run_id).update(
            status=S.FAILED, exit_code=2, finished_at=timezone.now(), message="internal error"
        )
        remove_uploads(run)
        if not inline:
            raise
        return ImportRun.objects.get(pk=run_id)
    finally:
        if progress is not None:
            progress.close()
    if dry_run and not chosen:
        ImportRun.objects.filter(pk=run_id).update(accept_partial=False)
    run.refresh_from_db()
    after_run(run)
    return run


def after_run(run: ImportRun) -> None:
    """What follows a check or an import: the status the page expects, uploads gone, detection queued."""
    fields = {}
    if run.dry_run and run.status in (S.RUNNING, S.QUEUED, S.UPLOADED, S.DONE, S.REJECTED):
        fields["status"] = S.CHECKED
    if run.finished_at is None:
        fields["finished_at"] = timezone.now()
    if fields:
        ImportRun.objects.filter(pk=run.pk).update(**fields)
        for k, v in fields.items():
            setattr(run, k, v)
    if not run.dry_run or run.status == S.FAILED:
        remove_uploads(run)
        if wrote_data(run):
            _queue_detection(run.pk)


@task()
def run_import(run_id: int, dry_run: bool = False) -> int | None:
    """Check (dry_run) or import the files of an ImportRun that the web app queued."""
    run = execute(run_id, dry_run=dry_run)
    return None if run is None else run.exit_code
