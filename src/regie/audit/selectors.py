"""Searching the access log: only the privacy officer may."""

from datetime import datetime, time, timedelta

from django.http import Http404
from django.utils import timezone

from regie.accounts.models import Role
from regie.audit.models import AccessLogEntry


def log_search(user, *, username="", record_type="", record_id="", action="", outcome="", date_from=None, date_to=None):
    if not user.is_authenticated or user.role != Role.PRIVACY:
        raise Http404
    qs = AccessLogEntry.objects.all()
    if username:
        qs = qs.filter(username=username)
    if record_type:
        qs = qs.filter(record_type=record_type)
    if record_id:
        qs = qs.filter(record_id=record_id)
    if action:
        qs = qs.filter(action=action)
    if outcome:
        qs = qs.filter(outcome=outcome)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    return qs.order_by("-at", "-pk")
