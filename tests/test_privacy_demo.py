"""The privacy officer's demo material (regie.core.demo.privacy): his pages show requests, holds,
archived cases and a dry run, unusual access and failed logins; the log verifies; others get 404.

The demo is built once for the module (in a transaction rolled back at the end), as of today, so
the pages' default periods (the last seven days) show what it made.
"""

import io
from datetime import datetime, time, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from regie.accounts.models import User
from regie.audit import selectors as audit_selectors
from regie.audit.models import AccessLogEntry, EmergencyAccess
from regie.cases.models import Case, Status
from regie.core.demo import generate
from regie.privacy.models import (
    ArchiveStatus,
    CaseArchive,
    Hold,
    HoldKind,
    HoldTarget,
    RequestKind,
    RequestStatus,
    RetentionRun,
    SubjectRequest,
)

pytestmark = pytest.mark.django_db

UNITS = 150
PAGES = ("privacy:requests", "privacy:retention", "privacy:holds", "audit:signals", "accounts:login_failures")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    as_of = timezone.localdate()
    with (
        override_settings(DATA_DIR=tmp_path_factory.mktemp("data")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        made = generate(seed=11, as_of=as_of, units=UNITS)
        yield as_of, made
        transaction.set_rollback(True)


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True  # demo accounts log in only in demo mode


@pytest.fixture
def officer(demo, demo_mode, client):
    client.force_login(User.objects.get(username="demo-privacy"))
    return client


def _now(as_of):
    """The demo's "now": the day before as-of, end of the working day."""
    return datetime.combine(as_of - timedelta(days=1), time(17, 0), tzinfo=timezone.get_default_timezone())


def test_the_register_holds_every_kind_of_request(demo):
    as_of, made = demo
    today = as_of - timedelta(days=1)
    requests = list(SubjectRequest.objects.select_related("person"))
    assert made["subject requests"] == len(requests) == 4
    by_kind = {(r.kind, r.status) for r in requests}
    assert (RequestKind.ACCESS, RequestStatus.RECEIVED) in by_kind
    assert (RequestKind.ACCESS, RequestStatus.IN_PROGRESS) in by_kind
    assert (RequestKind.ERASURE, RequestStatus.IN_PROGRESS) in by_kind
    assert (RequestKind.RECTIFICATION, RequestStatus.GRANTED) in by_kind
    assert sum(r.is_overdue(today) for r in requests) == 1
    fresh = next(r for r in requests if r.status == RequestStatus.RECEIVED)
    assert 8 <= (today - fresh.received_on).days <= 12 and not fresh.is_overdue(today)
    closed = next(r for r in requests if r.kind == RequestKind.RECTIFICATION)
    assert closed.outcome and closed.received_on < closed.closed_on < today
    # All for persons of demo households, all before the demo's now.
    assert all(r.person is not None and r.person.tenancy_id for r in requests)
    assert all(r.created_at <= _now(as_of) and r.received_on < today for r in requests)


def test_holds_a_legal_procedure_and_the_erasure(demo):
    as_of, _ = demo
    active = list(Hold.objects.active())
    kinds = {(h.target, h.kind) for h in active}
    assert kinds == {(HoldTarget.HOUSEHOLD, HoldKind.PROCEDURE), (HoldTarget.PERSON, HoldKind.GDPR)}
    assert all(h.placed_at <= _now(as_of) for h in active)
    erasure = SubjectRequest.objects.get(kind=RequestKind.ERASURE)
    assert erasure.holds.get().person_id == erasure.person_id
    procedure = next(h for h in active if h.kind == HoldKind.PROCEDURE)
    assert Case.objects.filter(household_id=procedure.record_id, status=Status.CLOSED).exists()


def test_closed_cases_are_archived_and_held_ones_blocked(demo):
    as_of, _ = demo
    now = _now(as_of)
    closed = Case.objects.filter(status=Status.CLOSED, closed_at__lt=now - timedelta(days=1))
    assert closed.exists()
    assert not closed.filter(archive__isnull=True).exists()
    held_households = [h.record_id for h in Hold.objects.active().filter(target=HoldTarget.HOUSEHOLD)]
    held_households += [h.person.tenancy_id for h in Hold.objects.active().filter(target=HoldTarget.PERSON)]
    for archive in CaseArchive.objects.filter(case__in=closed).select_related("case"):
        blocked = archive.case.household_id in held_households
        assert archive.archive_status == (ArchiveStatus.BLOCKED if blocked else ArchiveStatus.ARCHIVED)
        assert archive.destroy_after is not None
    run = RetentionRun.objects.get()
    assert run.dry_run and run.as_of == as_of - timedelta(days=1) and run.started_at <= now


def test_the_log_shows_overrides_night_reads_and_wide_reads(demo):
    as_of, made = demo
    now = _now(as_of)
    assert made["emergency accesses"] == EmergencyAccess.objects.count() == 2
    for grant in EmergencyAccess.objects.select_related("user"):
        case = Case.objects.get(pk=grant.case_id)
        assert case.team_id not in set(grant.user.teams.values_list("pk", flat=True))
        assert len(grant.reason) >= 20 and grant.expires_at > grant.granted_at
        assert as_of - timedelta(days=6) <= timezone.localtime(grant.granted_at).date() < as_of
        reads = AccessLogEntry.objects.filter(emergency=True, record_id=str(grant.case_id), user_id=grant.user_id)
        assert reads.count() >= 3 and {e.purpose for e in reads} == {"emergency"}
    officer = User.objects.get(username="demo-privacy")
    found = audit_selectors.access_signals(officer, date_from=as_of - timedelta(days=6), date_to=as_of)
    assert [r["username"] for r in found.night_reads] == ["demo-regisseur2"]
    assert found.night_reads[0]["n"] >= 5
    assert [r["username"] for r in found.outside_caseload] == ["demo-incasso"]
    assert len(found.emergencies) == 2
    # Nothing the builder wrote lies after the demo's now (the other builders log at the real clock).
    dated = AccessLogEntry.objects.exclude(at__gte=timezone.now() - timedelta(hours=1))
    assert dated.exists() and not dated.filter(at__gt=now).exists()


def test_failed_logins_of_one_demo_account(demo):
    as_of, _ = demo
    failures = list(AccessFailureLog.objects.all())
    assert {f.username for f in failures} == {"demo-collega"} and len(failures) == 5
    assert all(as_of - timedelta(days=6) <= timezone.localtime(f.attempt_time).date() < as_of for f in failures)
    assert sum(f.locked_out for f in failures) == 1
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 5 and "password=*" in attempt.post_data


def test_the_access_log_verifies(demo):
    out = io.StringIO()
    call_command("audit-verify", stdout=out)
    assert out.getvalue().startswith("OK")
    assert not AccessLogEntry.objects.filter(seq__isnull=True).exists()


def test_the_privacy_officers_pages_show_the_material(officer):
    requests = officer.get(reverse("privacy:requests"))
    counts = (len(requests.context["rows"]), requests.context["open_count"], requests.context["overdue_count"])
    assert counts == (4, 3, 1)
    assert requests.content.decode().count('href="/privacy/verzoeken/') >= 4
    retention = officer.get(reverse("privacy:retention"))
    assert retention.context["runs"] and retention.context["runs"][0].dry_run
    holds = officer.get(reverse("privacy:holds")).content.decode()
    assert "ontruimingsprocedure" in holds
    signals = officer.get(reverse("audit:signals"))
    found = signals.context["signals"]
    assert found.emergencies and found.night_reads and found.outside_caseload
    html = signals.content.decode()
    assert "demo-incasso" in html and "demo-regisseur2" in html and "Brandweer" in html
    failures = officer.get(reverse("accounts:login_failures"))
    assert failures.context["page_obj"].paginator.count == 5 and "demo-collega" in failures.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_a_director_gets_404_on_those_pages(demo, demo_mode, client, name):
    client.force_login(User.objects.get(username="demo-regisseur"))
    home = client.get(reverse("home"), follow=True)  # logged in: the 404 below is the page's own
    assert home.status_code == 200 and home.wsgi_request.user.username == "demo-regisseur"
    assert client.get(reverse(name)).status_code == 404


def test_a_replayed_override_is_dated_and_mails_no_one(world, django_capture_on_commit_callbacks):
    """The demo's clock (AccessContext.at) dates the grant and its log entry, and tells nobody:
    a live override mails the privacy officers (tests/test_emergency.py)."""
    from regie.audit.emergency import emergency_request
    from regie.core.demo.clock import at_time, logged_at
    from tests.factories import open_case

    case = open_case(household=world.hh_s, director=world.pro_s)
    moment = at_time(timezone.localdate() - timedelta(days=3), 19, 40)
    with django_capture_on_commit_callbacks() as callbacks, logged_at(moment, ip_address="10.20.1.2"):
        grant = emergency_request(user=world.pro_n, case_id=case.pk, reason="Brandweer belt: bewoner reageert niet.")
    assert callbacks == []
    assert grant.granted_at == moment and grant.expires_at > moment
    entry = AccessLogEntry.objects.get(emergency=True, record_id=str(case.pk))
    assert (entry.at, entry.ip_address, entry.channel) == (moment, "10.20.1.2", "web")
