"""Referral reminders in the background: once a day, the worker reminds case directors of partners
that have not answered within their expected time (services.referral_reminders does the work).

Thin, like the detection tasks: the daily run re-enqueues itself for the next morning, so one
`regie worker` keeps it going without cron; `schedule_daily()` (to call when the worker starts)
makes sure exactly one is waiting.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

REMIND_AT = time(7, 30)


def next_morning(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now)
    at = now.replace(hour=REMIND_AT.hour, minute=REMIND_AT.minute, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


@task()
def referral_reminders_daily() -> int:
    from regie.network.services import referral_reminders

    sent = referral_reminders()
    transaction.on_commit(lambda: referral_reminders_daily.using(run_after=next_morning()).enqueue())
    return sent


def schedule_daily() -> bool:
    """Enqueue the daily reminder run unless one is already waiting; True when one was added."""
    from django_tasks_db.models import DBTaskResult

    func = referral_reminders_daily.func
    waiting = DBTaskResult.objects.filter(task_path=f"{func.__module__}.{func.__qualname__}", status="READY").exists()
    if not waiting:
        referral_reminders_daily.using(run_after=next_morning()).enqueue()
    return not waiting
