"""The emergency override (noodknop): read-only access to a case outside one's scope, with a reason,
for a limited time; flagged in the log, reported to the privacy officer, and no existence oracle."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from regie.audit.models import AccessLogEntry, EmergencyAccess
from tests.factories import open_case

pytestmark = pytest.mark.django_db
REASON = "Neighbour reports smoke from the flat; the tenant is known to us from another case."


@pytest.fixture
def other_case(world):
    world.privacy.email = "fg@example.org"
    world.privacy.save(update_fields=["email"])
    return open_case(household=world.hh_s, director=world.pro_s)


def ask(client, case_id, reason=REASON, confirm=True):
    data = {"case": case_id, "reason": reason}
    if confirm:
        data["confirm"] = "on"
    return client.post(reverse("cases:emergency"), data)


def test_emergency_access_opens_the_case_read_only_and_is_reported(
    client, world, other_case, django_capture_on_commit_callbacks
):
    client.force_login(world.pro_n)
    url = reverse("cases:detail", args=[other_case.pk])
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, other_case.pk)
    assert response.status_code == 302 and response["Location"] == url
    grant = EmergencyAccess.objects.get()
    assert (grant.user, grant.case_id, grant.reason) == (world.pro_n, other_case.pk, REASON)
    assert timedelta(hours=7, minutes=59) < grant.expires_at - grant.granted_at <= timedelta(hours=8)
    # The privacy officer is told at once, without the reason (it may name the tenant).
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["fg@example.org"]
    assert str(other_case.pk) in mail.outbox[0].body and "smoke" not in mail.outbox[0].body

    page = client.get(url)
    assert page.status_code == 200
    # The case page says so, with the reason, on top.
    assert "smoke from the flat" in page.content.decode().split('id="signals-h"')[0]
    since = AccessLogEntry.objects.filter(username="pro-n", at__gte=grant.granted_at)
    reads = since.filter(record_type="case", record_id=str(other_case.pk))
    assert reads.count() >= 2  # the grant and the page
    # Every record read under the grant, the case and whatever its page showed, is flagged.
    assert all(e.emergency and e.purpose == "emergency" and e.outcome == "success" for e in since)

    # Read-only: a write through the case page is refused, and nothing is written.
    refused = client.post(reverse("cases:question", args=[other_case.pk]), {"question": "Changed under emergency"})
    assert refused.status_code == 403
    other_case.refresh_from_db()
    assert other_case.question != "Changed under emergency"


def test_writes_are_refused_even_where_a_permission_would_allow_them(world, other_case):
    """The log writer refuses anything but a read while an emergency access is in progress."""
    from django.core.exceptions import PermissionDenied

    from regie.audit import context
    from regie.audit.services import access_record

    token = context.activate(context.AccessContext(channel="web", emergency=True, purpose="emergency"))
    try:
        access_record(user=world.pro_n, action="read", record_type="case", record_ids=[other_case.pk])
        with pytest.raises(PermissionDenied):
            access_record(user=world.pro_n, action="update", record_type="case", record_ids=[other_case.pk])
        with pytest.raises(PermissionDenied):
            access_record(user=world.pro_n, action="export", record_type="case", record_ids=[other_case.pk])
    finally:
        context.deactivate(token)


def test_the_banner_names_reason_and_expiry(world, other_case):
    grant = EmergencyAccess.objects.create(
        user=world.pro_n, case_id=other_case.pk, reason=REASON, expires_at=timezone.now() + timedelta(hours=8)
    )
    other_case.emergency_grant = grant
    html = render_to_string("cases/_emergency_banner.html", {"case": other_case})
    assert "smoke from the flat" in html and timezone.localtime(grant.expires_at).strftime("%H:%M") in html
    del other_case.emergency_grant
    assert render_to_string("cases/_emergency_banner.html", {"case": other_case}).strip() == ""


def test_a_missing_case_answers_exactly_like_an_existing_one(client, world, other_case):
    client.force_login(world.pro_n)
    missing = 999999

    def message_of(response):
        text = " ".join(str(m) for m in get_messages(response.wsgi_request))
        return re.sub(r"\d+", "N", text), client.get(response["Location"]).status_code

    real = ask(client, other_case.pk)
    real_text, real_status = message_of(real)  # the case page shows (and so uses up) the message
    fake = ask(client, missing)
    fake_text, fake_status = message_of(fake)
    assert real.status_code == fake.status_code == 302
    assert real["Location"] == reverse("cases:detail", args=[other_case.pk])
    assert fake["Location"] == reverse("cases:detail", args=[missing])
    assert real_text == fake_text and "N" in real_text
    assert (real_status, fake_status) == (200, 404)
    # No grant for the missing case, but the attempt is on the log for the privacy officer.
    assert list(EmergencyAccess.objects.values_list("case_id", flat=True)) == [other_case.pk]
    attempt = AccessLogEntry.objects.get(record_type="case", record_id=str(missing), emergency=True)
    assert attempt.outcome == "denied" and attempt.username == "pro-n"


def test_no_mail_for_a_missing_case(client, world, other_case, django_capture_on_commit_callbacks):
    client.force_login(world.pro_n)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, 999999)
    assert mail.outbox == []


def test_access_ends_when_the_grant_expires(client, world, other_case):
    client.force_login(world.pro_n)
    ask(client, other_case.pk)
    url = reverse("cases:detail", args=[other_case.pk])
    assert client.get(url).status_code == 200
    EmergencyAccess.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 404


def test_a_grant_is_personal(client, world, other_case):
    client.force_login(world.pro_n)
    ask(client, other_case.pk)
    client.force_login(world.pro_n2)
    assert client.get(reverse("cases:detail", args=[other_case.pk])).status_code == 404


def test_a_reason_and_confirmation_are_required(client, world, other_case):
    client.force_login(world.pro_n)
    short = ask(client, other_case.pk, reason="urgent")
    unconfirmed = ask(client, other_case.pk, confirm=False)
    assert short.status_code == unconfirmed.status_code == 200
    assert short.context["form"].errors["reason"] and unconfirmed.context["form"].errors["confirm"]
    assert not EmergencyAccess.objects.exists()


def test_ones_own_case_needs_no_override(client, world, django_capture_on_commit_callbacks):
    own = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, own.pk)
    assert response.status_code == 302
    assert not EmergencyAccess.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("who", ["colleague", "admin", "privacy"])
def test_only_those_who_direct_cases_may_use_it(client, world, other_case, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("cases:emergency")).status_code == 404
    assert ask(client, other_case.pk).status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_the_page_renders_for_a_professional(client, world):
    client.force_login(world.mgr_n)
    page = client.get(reverse("cases:emergency"))
    assert page.status_code == 200 and b'name="reason"' in page.content
