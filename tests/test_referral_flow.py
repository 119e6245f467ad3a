# ruff: noqa: F811 - the shared fixtures are imported from tests.test_network_setup
"""A referral's status flow, its measured response times, and reminders when a partner is late."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from regie.network import services
from regie.network.models import Referral, ReferralEvent
from regie.network.selectors import is_overdue, response_stats
from tests.test_network_setup import consent, english, net, refer  # noqa: F401

LOCMEM = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def sent_days_ago(referral, days):
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - timedelta(days=days))
    ReferralEvent.objects.filter(referral=referral).update(at=timezone.now() - timedelta(days=days))
    referral.refresh_from_db()
    return referral


@pytest.fixture
def referral(net):
    consent(net, domains=["substance", "mental"])
    return refer(net)


def move(net, referral, to, **kw):
    return services.referral_transition(referral=referral, to_status=to, by=net.pro_n, **kw)


def test_the_whole_flow_records_each_step(net, referral):
    r = move(net, referral, "accepted", note="Intake op 3 maart")
    assert r.answered_at is not None
    move(net, r, "in_progress")
    r = move(net, r, "ended")
    assert r.status == "ended" and r.ended_at is not None
    assert list(r.events.values_list("status", flat=True)) == ["sent", "accepted", "in_progress", "ended"]
    assert r.events.get(status="accepted").note == "Intake op 3 maart"


def test_refused_moves_name_the_allowed_ones(net, referral):
    with pytest.raises(ValidationError) as err:
        move(net, referral, "in_progress")
    msg = " ".join(err.value.messages)
    assert "can only move to" in msg and "Accepted" in msg and "Declined" in msg
    r = move(net, referral, "declined")
    with pytest.raises(ValidationError) as err:
        move(net, r, "accepted")
    assert "can't change any more" in " ".join(err.value.messages)
    assert r.events.count() == 2


def test_answered_at_is_the_first_answer_and_can_lie_in_the_past(net, referral):
    referral = sent_days_ago(referral, 6)
    when = timezone.now() - timedelta(days=2)
    r = move(net, referral, "accepted", at=when)
    assert r.answered_at == when
    with pytest.raises(ValidationError):
        move(net, r, "in_progress", at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError):
        move(net, r, "in_progress", at=timezone.now() - timedelta(days=5))  # before the answer


def test_response_time_figures(net):
    consent(net, domains=["substance"])
    now = timezone.now()
    # Answered after 2, 4 and 9 days (expected: 5): median 4, mean 5, two of three in time.
    for days in (2, 4, 9):
        r = sent_days_ago(refer(net), 20)
        move(net, r, "accepted" if days != 9 else "declined", at=r.sent_at + timedelta(days=days))
    waiting = sent_days_ago(refer(net), 7)  # overdue
    refer(net)  # just sent
    stats = response_stats([net.addiction, net.debt], now=now)
    s = stats[net.addiction.pk]
    assert (s.answered, s.median_days, s.mean_days) == (3, 4.0, 5.0)
    assert s.within_percent == 67
    assert (s.waiting, s.overdue) == (2, 1)
    assert stats[net.debt.pk].answered == 0 and stats[net.debt.pk].median_days is None
    assert is_overdue(waiting)


@LOCMEM
def test_reminder_goes_once_to_the_director_and_names_no_household(net, referral):
    net.pro_n.email = "pro-n@example.nl"
    net.pro_n.save(update_fields=["email"])
    assert services.referral_reminders() == 0  # not late yet
    sent_days_ago(referral, 6)  # expected within 5
    assert services.referral_reminders() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pro-n@example.nl"]
    assert "Verslavingszorg Oost" in message.subject and f"/casussen/{net.case_n.pk}/" in message.body
    assert "Jansen" not in message.subject + message.body
    referral.refresh_from_db()
    assert referral.reminded_at is not None
    assert services.referral_reminders() == 0
    assert len(mail.outbox) == 1


@LOCMEM
def test_answered_referrals_get_no_reminder(net, referral):
    net.pro_n.email = "pro-n@example.nl"
    net.pro_n.save(update_fields=["email"])
    referral = sent_days_ago(referral, 30)
    move(net, referral, "accepted")
    assert services.referral_reminders() == 0 and mail.outbox == []


@LOCMEM
def test_reminder_command(net, referral):
    net.pro_n.email = "pro-n@example.nl"
    net.pro_n.save(update_fields=["email"])
    sent_days_ago(referral, 10)
    out = StringIO()
    call_command("referral_reminders", stdout=out)
    assert "1 reminder" in out.getvalue() and len(mail.outbox) == 1
    call_command("referral_reminders", stdout=out)
    assert len(mail.outbox) == 1


def test_daily_task_schedules_itself_once(db):
    from django_tasks_db.models import DBTaskResult

    from regie.network.tasks import schedule_daily

    assert schedule_daily() is True
    assert schedule_daily() is False
    assert DBTaskResult.objects.filter(task_path__endswith="referral_reminders_daily").count() == 1
