"""Background detection: on demand, after each import, and nightly.

Thin tasks: they take ids and dates, and call the service. The nightly run re-enqueues itself for
the next night, so one `regie worker` keeps it going without cron; `schedule_nightly()` (called
when the worker starts) makes sure exactly one is waiting.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from regie.signalling.models import DetectionRun

NIGHTLY_AT = time(2, 0)


def _user(user_id):
    from regie.accounts.models import User

    return User.objects.filter(pk=user_id).first() if user_id else None


@task()
def detect_now(as_of: str, user_id: int | None = None) -> int:
    from regie.signalling.services import detection_run

    run = detection_run(as_of=date.fromisoformat(as_of), trigger=DetectionRun.Trigger.MANUAL, by=_user(user_id))
    return run.pk


@task()
def detect_after_import(import_run_id: int) -> int:
    from regie.signalling.models import ImportRun
    from regie.signalling.services import detection_run

    imported = ImportRun.objects.filter(pk=import_run_id).first()
    run = detection_run(
        as_of=timezone.localdate(), trigger=DetectionRun.Trigger.IMPORT, by=imported.created_by if imported else None
    )
    return run.pk


def next_night(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now)
    at = now.replace(hour=NIGHTLY_AT.hour, minute=NIGHTLY_AT.minute, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


@task()
def detect_nightly() -> int:
    from regie.signalling.services import detection_run

    run = detection_run(as_of=timezone.localdate(), trigger=DetectionRun.Trigger.NIGHTLY)
    transaction.on_commit(lambda: detect_nightly.using(run_after=next_night()).enqueue())
    return run.pk


def schedule_nightly() -> bool:
    """Enqueue the nightly run unless one is already waiting; True when one was added."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=f"{detect_nightly.func.__module__}.{detect_nightly.func.__qualname__}", status="READY"
    ).exists()
    if not waiting:
        detect_nightly.using(run_after=next_night()).enqueue()
    return not waiting
