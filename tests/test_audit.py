"""The access log's writer and its append-only guard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from regie.audit import context
from regie.audit.models import AccessLogEntry
from regie.audit.services import access_record

pytestmark = pytest.mark.django_db


def test_every_element_is_written_and_reads_back_typed(world):
    token = context.activate(context.AccessContext(channel="api", ip_address="10.1.2.3", on_behalf_of="wijkteam"))
    try:
        access_record(user=world.mgr_n, action="read", record_type="case", record_ids=range(1, 121))
    finally:
        context.deactivate(token)
    entries = list(AccessLogEntry.objects.order_by("pk"))
    assert [e.record_id for e in entries] == [str(i) for i in range(1, 121)]  # 3 chunks, in order
    e = entries[0]
    assert timezone.is_aware(e.at) and abs(timezone.now() - e.at) < timedelta(minutes=1)
    assert (e.action, e.record_type, e.sensitivity, e.outcome, e.emergency) == (
        "read",
        "case",
        "special",
        "success",
        False,
    )
    assert (e.user_id, e.username, e.user_role, e.purpose) == (world.mgr_n.pk, "mgr-n", "manager", "supervision")
    assert (e.ip_address, e.channel, e.on_behalf_of) == ("10.1.2.3", "api", "wijkteam")
    assert AccessLogEntry.objects.filter(at__gte=timezone.now() - timedelta(minutes=1)).count() == 120


def test_the_log_refuses_change_and_deletion(world):
    access_record(user=world.pro_n, action="read", record_type="household", record_ids=[world.hh_n.pk])
    entry = AccessLogEntry.objects.get()
    entry.username = "someone-else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.update(username="x")
    assert AccessLogEntry.objects.get().username == "pro-n"
