"""The ImportRun row of an import: started, then finished with counts only (no personal data)."""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from regie.signalling.importing.result import FileResult, ImportResult
from regie.signalling.models import ImportRun

logger = logging.getLogger(__name__)
S = ImportRun.Status


def start(run: ImportRun | None, *, paths, kind, dry_run, accept_partial, by, origin) -> ImportRun:
    now = timezone.now()
    if run is None:
        return ImportRun.objects.create(
            origin=origin,
            created_by=by,
            source="; ".join(str(p) for p in paths)[:500],
            files=[p.name for p in paths],
            kind=kind or "",
            accept_partial=accept_partial,
            dry_run=dry_run,
            status=S.RUNNING,
            started_at=now,
        )
    run.dry_run, run.accept_partial, run.status = dry_run, accept_partial, S.RUNNING
    run.started_at = run.started_at or now
    run.save(update_fields=["dry_run", "accept_partial", "status", "started_at"])
    return run


def failed(run: ImportRun) -> None:
    """An unexpected error: the run says so (the transaction has rolled back)."""
    ImportRun.objects.filter(pk=run.pk).update(
        status=S.FAILED, exit_code=2, finished_at=timezone.now(), message="internal error"
    )


def finish(result: ImportResult, *, dry_run: bool, accept_partial: bool) -> None:
    run = result.run
    code = result.exit_code
    if code == 2:
        run.status = S.FAILED
    elif dry_run:
        run.status = S.CHECKED
    elif code == 0:
        run.status = S.DONE
    else:
        # Rows rejected: imported without them (partial), or nothing imported at all.
        run.status = S.REJECTED if accept_partial else S.FAILED
    run.exit_code = code
    run.files = [f.name for f in result.files]  # a folder given: the files found in it
    run.summary = summary(result.files)
    run.report_path = str(result.report_path) if result.report_path else ""
    run.message = message(result, dry_run)
    run.finished_at = timezone.now()
    rows = result.total("rows")
    run.progress_done = run.progress_total = rows
    run.save(
        update_fields=[
            "status",
            "exit_code",
            "files",
            "summary",
            "report_path",
            "message",
            "finished_at",
            "progress_done",
            "progress_total",
        ]
    )
    logger.info(
        "import %s: %d files, %d rows, %d new, %d changed, %d rejected, exit %d",
        run.pk,
        len(result.files),
        rows,
        result.total("new"),
        result.total("changed"),
        result.total("rejected"),
        code,
    )


def summary(files: list[FileResult]) -> dict:
    out: dict[str, dict] = {}
    for file in files:
        name, n = file.name, 1
        while name in out:
            n += 1
            name = f"{file.name} ({n})"
        out[name] = file.summary()
    return out


def message(result: ImportResult, dry_run: bool) -> str:
    """Counts and file names only: ImportRun.message is no place for personal data."""
    counts = _(
        "%(files)d files, %(rows)d rows: %(new)d new, %(changed)d changed, %(unchanged)d unchanged, "
        "%(rejected)d rejected, %(warnings)d warnings."
    ) % {
        "files": len(result.files),
        **{k: result.total(k) for k in ("rows", "new", "changed", "unchanged", "rejected", "warnings")},
    }
    lines = [counts, *result.errors]
    if result.exit_code == 1 and not result.written and not dry_run:
        lines.append(_("Nothing was imported: correct the rejected rows, or accept a partial import."))
    if dry_run:
        lines.append(_("Dry run: nothing was written."))
    return "\n".join(lines)
