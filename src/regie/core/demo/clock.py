"""Moments in the demo's history: a random office-hour time on a given day."""

import random
from datetime import date, datetime, time

from django.utils import timezone


def office_moment(day: date, rng: random.Random) -> datetime:
    """Between 9:00 and 16:45 on `day`, on a quarter hour, in the corporation's time zone."""
    return datetime.combine(
        day, time(rng.randint(9, 16), rng.choice((0, 15, 30, 45))), tzinfo=timezone.get_default_timezone()
    )
