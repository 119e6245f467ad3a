"""Moments in the demo's history: a random office-hour time on a given day, and writing access-log
entries at such a moment."""

import contextlib
import random
from datetime import date, datetime, time

from django.utils import timezone

from regie.audit import context


def office_moment(day: date, rng: random.Random) -> datetime:
    """Between 9:00 and 16:45 on `day`, on a quarter hour, in the corporation's time zone."""
    return datetime.combine(
        day, time(rng.randint(9, 16), rng.choice((0, 15, 30, 45))), tzinfo=timezone.get_default_timezone()
    )


def at_time(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


@contextlib.contextmanager
def logged_at(moment: datetime, *, ip_address: str | None = None, channel: str = "web"):
    """Inside: what the services write to the access log is dated `moment` and comes from
    `ip_address` over `channel`, as if the access happened then (regie.audit.context)."""
    token = context.activate(context.AccessContext(channel=channel, ip_address=ip_address, at=moment))
    try:
        yield context.current()
    finally:
        context.deactivate(token)
