"""The daily digest as a background task that re-enqueues itself for the next morning, so one
`regie worker` keeps it going without cron; `schedule_digest()` makes sure exactly one waits."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

DIGEST_AT = time(7, 0)


def next_morning(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now)
    at = now.replace(hour=DIGEST_AT.hour, minute=DIGEST_AT.minute, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


@task()
def send_digest() -> int:
    from regie.plans.digest import send_digests

    return len(send_digests())


@task()
def send_digest_daily() -> int:
    from regie.plans.digest import send_digests

    sent = len(send_digests())
    transaction.on_commit(lambda: send_digest_daily.using(run_after=next_morning()).enqueue())
    return sent


def schedule_digest() -> bool:
    """Enqueue the daily digest unless one is already waiting; True when one was added."""
    from django_tasks_db.models import DBTaskResult

    path = f"{send_digest_daily.func.__module__}.{send_digest_daily.func.__qualname__}"
    waiting = DBTaskResult.objects.filter(task_path=path, status="READY").exists()
    if not waiting:
        send_digest_daily.using(run_after=next_morning()).enqueue()
    return not waiting
