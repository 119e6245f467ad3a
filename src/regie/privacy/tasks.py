"""The nightly retention run as a task that re-enqueues itself for the next night, so one
`regie worker` keeps it going; `schedule_retention()` makes sure exactly one waits."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

# After the nightly detection (02:00) and before the morning digest.
RETENTION_AT = time(3, 30)


def next_night(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now)
    at = now.replace(hour=RETENTION_AT.hour, minute=RETENTION_AT.minute, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


@task()
def retention_nightly() -> int:
    from regie.privacy.retention import retention_run

    run = retention_run(as_of=timezone.localdate())
    transaction.on_commit(lambda: retention_nightly.using(run_after=next_night()).enqueue())
    return run.pk


def schedule_retention() -> bool:
    """Enqueue the nightly run unless one is already waiting; True when one was added."""
    from django_tasks_db.models import DBTaskResult

    path = f"{retention_nightly.func.__module__}.{retention_nightly.func.__qualname__}"
    waiting = DBTaskResult.objects.filter(task_path=path, status="READY").exists()
    if not waiting:
        retention_nightly.using(run_after=next_night()).enqueue()
    return not waiting
