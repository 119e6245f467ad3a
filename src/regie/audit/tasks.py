"""The access log's background work, kept going by `regie worker` without cron: the sealer every
minute, and nightly a verify of the whole chain and the purge of entries past their retention.
Each task re-enqueues itself; `schedule()` (called when the worker starts) makes sure one of each
is waiting. Thin tasks: they call the services."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

NIGHTLY_AT = time(3, 30)
SEAL_EVERY = timedelta(minutes=1)


def next_night(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now)
    at = now.replace(hour=NIGHTLY_AT.hour, minute=NIGHTLY_AT.minute, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


def _path(t) -> str:
    return f"{t.func.__module__}.{t.func.__qualname__}"


# Below the default priority: imports and detection that someone waits for go first.
@task(priority=-10)
def seal_log() -> int:
    from regie.audit.chain import log_seal

    # Re-enqueued first: one failed run must not stop the sealing.
    transaction.on_commit(lambda: seal_log.using(run_after=timezone.now() + SEAL_EVERY).enqueue())
    return log_seal()


@task()
def audit_nightly() -> dict:
    from django_tasks_db.models import DBTaskResult

    from regie.audit.services_log import log_purge, log_verify_and_report

    transaction.on_commit(lambda: audit_nightly.using(run_after=next_night()).enqueue())
    verdict = log_verify_and_report()
    purge = log_purge()
    # The sealer leaves 1,440 finished results a day; keep a day's worth.
    DBTaskResult.objects.filter(
        task_path=_path(seal_log), status="SUCCESSFUL", finished_at__lt=timezone.now() - timedelta(days=1)
    ).delete()
    return {"ok": verdict.ok, "checked": verdict.checked, "purged": purge.purged if purge else 0}


def schedule() -> list[str]:
    """Enqueue the sealer and the nightly run unless one of each is already waiting; what was added."""
    from django_tasks_db.models import DBTaskResult

    added = []
    for t, when, name in (
        (seal_log, timezone.now() + SEAL_EVERY, "sealer"),
        (audit_nightly, next_night(), "nightly verify"),
    ):
        if not DBTaskResult.objects.filter(task_path=_path(t), status="READY").exists():
            t.using(run_after=when).enqueue()
            added.append(name)
    return added
