"""The signal inbox: detection runs stored, the candidate's life (open, link, assign, dismiss and
come back), signals on open cases, and the pages with their need-to-know."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from regie.audit.models import AccessLogEntry
from regie.cases.models import Case, EntryKind
from regie.cases.services import case_open
from regie.housing.models import ArrearsSnapshot, Event
from regie.signalling import services
from regie.signalling.models import Candidate, CaseSignal, DetectionRun, Flag
from tests.factories import TenancyFactory

TODAY = timezone.localdate()
_seq = iter(range(1, 10**6))


def event(tenancy, type_, days_ago=10, severity=1):
    return Event.objects.create(
        source="WIJ",
        event_id=f"E{next(_seq)}",
        date=TODAY - timedelta(days=days_ago),
        tenancy=tenancy,
        unit=tenancy.unit,
        type=type_,
        severity=severity,
    )


def arrears(tenancy, months: str, days_ago=5):
    ArrearsSnapshot.objects.create(
        tenancy=tenancy, date=TODAY - timedelta(days=days_ago), balance=tenancy.monthly_rent * Decimal(months)
    )


def multi_problem(tenancy, months="2"):
    """FINANCES (arrears) and BEHAVIOUR (two nuisance reports): two domains."""
    arrears(tenancy, months)
    event(tenancy, "ZAAKTYPEDETAILSOORT.GEL", 20)
    event(tenancy, "ZAAKTYPEDETAILSOORT.RUZ", 30)


def run():
    return services.detection_run(as_of=TODAY, trigger=DetectionRun.Trigger.MANUAL)


@pytest.fixture
def flagged(world):
    multi_problem(world.hh_n)
    multi_problem(world.hh_s)
    single = TenancyFactory(unit__area=world.north, name="Alleen")
    arrears(single, "1.5")
    world.single = single
    run()
    return world


def test_run_stores_flags_with_rule_version_and_makes_candidates(flagged):
    w = flagged
    detection = DetectionRun.objects.get()
    assert detection.rule_set.version == 1
    assert detection.multi_problem == 2 and detection.households == 3
    flag = Flag.objects.get(tenancy=w.hh_n)
    assert flag.domains == "FINANCES|BEHAVIOUR" and flag.multi_problem
    assert flag.score == 2 + 1  # F1 at 2 months is severity 2; B1 severity 1
    assert not Flag.objects.get(tenancy=w.single).multi_problem
    assert set(Candidate.objects.values_list("tenancy_id", flat=True)) == {w.hh_n.pk, w.hh_s.pk}


def test_inbox_shows_own_area_only_and_logs_reads(flagged, client):
    w = flagged
    client.force_login(w.pro_n)
    body = client.get(reverse("inbox:list")).content.decode()
    assert "Jansen" in body and "De Vries" not in body and "Alleen" not in body
    assert AccessLogEntry.objects.filter(user_id=w.pro_n.pk, record_type="household", record_id=str(w.hh_n.pk)).exists()
    assert client.get(reverse("inbox:detail", args=[w.hh_s.pk])).status_code == 404
    for user in (w.colleague, w.admin, w.privacy):
        client.force_login(user)
        assert client.get(reverse("inbox:list")).status_code == 404


def test_detail_explains_rules_and_events(flagged, client):
    client.force_login(flagged.pro_n)
    body = client.get(reverse("inbox:detail", args=[flagged.hh_n.pk])).content.decode()
    assert "F1" in body and "B1" in body and "<svg" in body


def test_dismiss_needs_reason_and_comes_back_on_new_event(flagged, client):
    w = flagged
    client.force_login(w.pro_n)
    response = client.post(reverse("inbox:dismiss", args=[w.hh_n.pk]), {"reason": ""})
    assert response.status_code == 400
    assert Candidate.objects.get(tenancy=w.hh_n).status == Candidate.Status.NEW
    client.post(reverse("inbox:dismiss", args=[w.hh_n.pk]), {"reason": "Bekend bij wijkteam"})
    assert Candidate.objects.get(tenancy=w.hh_n).status == Candidate.Status.DISMISSED
    run()
    assert Candidate.objects.get(tenancy=w.hh_n).status == Candidate.Status.DISMISSED  # nothing new
    assert "Jansen" not in client.get(reverse("inbox:list")).content.decode()
    event(w.hh_n, "ZAAKTYPEDETAILSOORT.KLI", 1)
    run()
    assert Candidate.objects.get(tenancy=w.hh_n).status == Candidate.Status.NEW


def test_dismissed_comes_back_when_arrears_band_rises(flagged):
    w = flagged
    services.candidate_dismiss(tenancy=w.hh_n, by=w.pro_n, reason="Regeling loopt")
    ArrearsSnapshot.objects.filter(tenancy=w.hh_n).update(balance=w.hh_n.monthly_rent * Decimal("2.5"))
    run()  # the same band (2): still dismissed
    assert Candidate.objects.get(tenancy=w.hh_n).status == Candidate.Status.DISMISSED
    ArrearsSnapshot.objects.filter(tenancy=w.hh_n).update(balance=w.hh_n.monthly_rent * 3)
    run()
    assert Candidate.objects.get(tenancy=w.hh_n).status == Candidate.Status.NEW


def test_open_case_from_inbox_records_the_signal(flagged, client):
    w = flagged
    client.force_login(w.pro_n)
    response = client.post(reverse("inbox:open", args=[w.hh_n.pk]), {"question": "Rust in huis"})
    case = Case.objects.get(household=w.hh_n)
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.director == w.pro_n and case.question == "Rust in huis"
    entry = case.timeline.get(kind=EntryKind.SIGNAL)
    assert entry.data["domains"] == ["FINANCES", "BEHAVIOUR"] and entry.data["rules_version"] == 1
    assert len(entry.data["event_ids"]) == 2
    assert Candidate.objects.get(tenancy=w.hh_n).status == Candidate.Status.CASE_OPENED
    assert "Jansen" not in client.get(reverse("inbox:list")).content.decode()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Opened from the signal inbox" in page or "signaleringsbak" in page.lower()


def test_assign_to_own_team_only(flagged):
    w = flagged
    with pytest.raises(ValidationError):
        services.candidate_assign(tenancy=w.hh_n, by=w.pro_n, to=w.pro_s)
    services.candidate_assign(tenancy=w.hh_n, by=w.pro_n, to=w.pro_n2)
    candidate = Candidate.objects.get(tenancy=w.hh_n)
    assert candidate.status == Candidate.Status.ASSIGNED and candidate.assigned_to == w.pro_n2


def test_link_to_open_case_shows_as_new_signal(flagged, client):
    w = flagged
    other = TenancyFactory(unit__area=w.north, name="Buren")
    case = case_open(household=other, director=w.pro_n, by=w.pro_n)
    client.force_login(w.pro_n)
    client.post(reverse("inbox:link", args=[w.hh_n.pk]), {"case": case.pk})
    assert Candidate.objects.get(tenancy=w.hh_n).status == Candidate.Status.LINKED
    signal = CaseSignal.objects.get(case=case)
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("inbox:acknowledge", args=[signal.pk]) in page
    client.post(reverse("inbox:acknowledge", args=[signal.pk]))
    signal.refresh_from_db()
    assert signal.acknowledged_at is not None and signal.acknowledged_by == w.pro_n


def test_new_signals_on_household_with_open_case_go_onto_the_case(world):
    case = case_open(household=world.hh_n, director=world.pro_n, by=world.pro_n)
    multi_problem(world.hh_n)
    run()
    assert not Candidate.objects.filter(tenancy=world.hh_n).exists()
    signal = CaseSignal.objects.get(case=case)
    assert len(signal.event_ids) == 2
    run()  # nothing new: no second signal
    assert CaseSignal.objects.filter(case=case).count() == 1
    event(world.hh_n, "ZAAKTYPEDETAILSOORT.PSY", 1)
    run()
    assert CaseSignal.objects.filter(case=case).count() == 2
    assert CaseSignal.objects.filter(case=case).order_by("-pk").first().event_ids != signal.event_ids


def test_single_signal_visible_on_household_page(flagged, client):
    client.force_login(flagged.pro_n)
    body = client.get(reverse("housing:household", args=[flagged.single.pk])).content.decode()
    assert "F1" in body


def test_run_on_demand_queues_a_task(flagged, client, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    client.force_login(flagged.pro_n)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inbox:run"), {"as_of": TODAY.isoformat()})
    assert DBTaskResult.objects.filter(task_path__endswith="detect_now").exists()
    response = client.post(reverse("inbox:run"), {"as_of": (TODAY + timedelta(days=2)).isoformat()}, follow=True)
    assert DBTaskResult.objects.filter(task_path__endswith="detect_now").count() == 1
    assert response.status_code == 200


def test_eviction_bonus_shows_its_points_not_a_severity(world, client):
    multi_problem(world.hh_n)
    event(world.hh_n, "REGIE.ONT", 3)
    run()
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("inbox:detail", args=[world.hh_n.pk])).content.decode()
    assert "eviction scheduled: 3 points added to the score" in body
    assert "severity None" not in body


@pytest.mark.django_db(transaction=True)
def test_worker_keeps_the_nightly_run_scheduled_and_runs_queued_detection(world):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from regie.signalling.tasks import detect_now, next_night, schedule_nightly

    multi_problem(world.hh_n)
    detect_now.enqueue(TODAY.isoformat(), world.pro_n.pk)
    call_command("worker", "--max-tasks", "1", "--no-startup-delay", "--interval", "0.1")
    run = DetectionRun.objects.get()
    assert run.trigger == DetectionRun.Trigger.MANUAL and run.triggered_by == world.pro_n and run.multi_problem == 1
    nightly = DBTaskResult.objects.filter(task_path__endswith="detect_nightly", status="READY")
    assert nightly.count() == 1 and nightly.get().run_after == next_night()
    assert schedule_nightly() is False  # as when the worker starts again: no second one
    assert nightly.count() == 1


def test_inbox_rows_show_rules_and_a_trend_in_a_fixed_number_of_queries(flagged, client):
    from tests.factories import TenancyFactory as TF

    client.force_login(flagged.pro_n)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("inbox:list")).content.decode()
    assert "Rules: F1 B1" in body and 'class="sparkline"' in body and "Arrears trend: now 2.00 months" in body
    for _ in range(5):  # more rows, the same queries
        multi_problem(TF(unit__area=flagged.north))
    run()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("inbox:list"))
    for _ in range(10):
        multi_problem(TF(unit__area=flagged.north))
    run()
    with CaptureQueriesContext(connection) as more:
        body = client.get(reverse("inbox:list")).content.decode()
    assert body.count('class="sparkline"') == 16
    assert len(more) == len(few)


def test_a_run_reads_the_open_cases_signals_in_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def households_with_cases(n):
        for _ in range(n):
            household = TenancyFactory(unit__area=world.north)
            case_open(household=household, director=world.pro_n, by=world.pro_n)
            multi_problem(household)

    run()  # the first run creates rule version 1: not part of what is compared
    households_with_cases(1)
    with CaptureQueriesContext(connection) as one:
        run()
    households_with_cases(6)
    with CaptureQueriesContext(connection) as seven:
        run()
    assert CaseSignal.objects.count() == 7  # every case got its signal once
    assert len(seven) == len(one)
