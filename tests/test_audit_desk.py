"""The privacy officer's desk at /toegangslog/: search by person and the rest, unusual-access flags,
exports that a spreadsheet can't run, and reading the log is itself logged."""

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from regie.audit.models import AccessLogEntry, EmergencyAccess, IncidentKind, SecurityIncident
from regie.audit.services import _insert, _values, access_record
from tests.factories import PersonFactory, TenancyFactory, UnitFactory, open_case

pytestmark = pytest.mark.django_db


def write(user, record_type, ids, *, at=None, outcome="success", action="read", **extra):
    common = _values(user=user, action=action, record_type=record_type, purpose=None, outcome=outcome)
    if at is not None:
        common["at"] = connection.ops.adapt_datetimefield_value(at)
    common.update(extra)
    _insert(common, [str(i) for i in ids])


def body(response):
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.mark.parametrize("who", ["pro_n", "mgr_n", "colleague", "admin"])
@pytest.mark.parametrize("name", ["audit:log", "audit:signals", "audit:person"])
def test_the_desk_is_the_privacy_officers_only(client, world, who, name):
    client.force_login(getattr(world, who))
    assert client.get(reverse(name)).status_code == 404


def test_search_by_person_finds_his_household_and_cases(client, world):
    person = PersonFactory(tenancy=world.hh_n, last_name="Jansen")
    case = open_case(household=world.hh_n, director=world.pro_n)
    other = TenancyFactory(unit=UnitFactory(area=world.north))
    write(world.pro_n, "household", [world.hh_n.pk, other.pk])
    write(world.pro_n, "case", [case.pk, 99999])
    client.force_login(world.privacy)
    page = client.get(reverse("audit:log"), {"person": person.pk})
    assert page.status_code == 200
    shown = {(e.record_type, e.record_id) for e in page.context["page_obj"]}
    assert ("household", str(world.hh_n.pk)) in shown and ("case", str(case.pk)) in shown
    assert ("household", str(other.pk)) not in shown and ("case", "99999") not in shown


def test_person_lookup_is_posted_and_links_by_internal_number(client, world):
    person = PersonFactory(tenancy=world.hh_n, last_name="Zwartjes", person_id="R7654321")
    client.force_login(world.privacy)
    page = client.post(reverse("audit:person"), {"query": "zwart"})
    html = page.content.decode()
    link = reverse("audit:log") + f"?person={person.pk}"
    assert link in html and "Zwartjes" in html
    assert "Zwartjes" not in link
    by_number = client.post(reverse("audit:person"), {"query": "R7654321"})
    assert link in by_number.content.decode()
    # Showing who he is reads his household: on the log.
    assert AccessLogEntry.objects.filter(
        username="fg", record_type="household", record_id=str(world.hh_n.pk), action="read"
    ).exists()


def test_other_filters(client, world):
    write(world.pro_n, "case", [1])
    write(world.pro_s, "case", [2], outcome="denied")
    write(world.pro_s, "case", [3], emergency=True, purpose="emergency")
    client.force_login(world.privacy)

    def ids(**params):
        page = client.get(reverse("audit:log"), params)
        return sorted(e.record_id for e in page.context["page_obj"] if e.record_type == "case")

    assert ids(username="pro-n") == ["1"]
    assert ids(outcome="denied") == ["2"]
    assert ids(emergency="on") == ["3"]
    assert ids(record_type="case", record_id="3") == ["3"]
    today = timezone.localdate()
    assert ids(date_from=today + timedelta(days=1)) == []


def test_reading_and_exporting_the_log_are_logged(client, world):
    client.force_login(world.privacy)
    client.get(reverse("audit:log"))
    body(client.get(reverse("audit:log"), {"format": "csv"}))
    client.get(reverse("audit:signals"))
    got = set(AccessLogEntry.objects.filter(username="fg").values_list("action", "record_type", "record_id"))
    assert {("read", "access_log", "search"), ("export", "access_log", "csv"), ("read", "access_log", "signals")} <= got


def test_exports_are_safe_and_complete(client, world):
    world.pro_n.username = "=HYPERLINK(1)"
    write(world.pro_n, "case", ["@SUM(A1)"])
    client.force_login(world.privacy)
    rows = list(csv.reader(io.StringIO(body(client.get(reverse("audit:log"), {"format": "csv"})))))
    header = rows[0]
    data = [r for r in rows[1:] if r[header.index("record_type")] == "case"]
    assert data[0][header.index("username")] == "'=HYPERLINK(1)"
    assert data[0][header.index("record_id")] == "'@SUM(A1)"
    entries = json.loads(body(client.get(reverse("audit:log"), {"format": "json", "record_type": "case"})))
    assert entries[0]["username"] == "=HYPERLINK(1)" and entries[0]["emergency"] is False
    assert set(entries[0]) >= {"at", "user_role", "purpose", "outcome", "seq", "hash"}


def _signals(client, **params):
    client.force_login(client.officer)
    page = client.get(reverse("audit:signals"), params)
    assert page.status_code == 200
    return page.context["signals"], page.content.decode()


@pytest.fixture
def desk(client, world):
    client.officer = world.privacy
    return client


def test_many_reads_outside_ones_own_work_are_flagged(desk, world, settings):
    settings.REGIE_UNUSUAL_READS = 20
    south = [TenancyFactory(unit=UnitFactory(area=world.south)).pk for _ in range(21)]
    north = [TenancyFactory(unit=UnitFactory(area=world.north)).pk for _ in range(30)]
    write(world.pro_n, "household", south)  # 21 outside his area
    write(world.pro_n2, "household", north)  # 30, all in his own area
    write(world.pro_s, "household", south[:20])  # his own area
    found, html = _signals(desk)
    assert [(r["username"], r["outside"]) for r in found.outside_caseload] == [("pro-n", 21)]
    assert "pro-n" in html and reverse("audit:log") + "?username=pro-n" in html


def test_reads_at_night_are_flagged(desk, world):
    tz = timezone.get_current_timezone()
    yesterday = timezone.localdate() - timedelta(days=1)
    write(
        world.pro_n,
        "case",
        [1, 2],
        at=datetime.combine(yesterday, datetime.min.time(), tzinfo=tz) + timedelta(hours=23),
    )
    write(
        world.pro_s, "case", [3], at=datetime.combine(yesterday, datetime.min.time(), tzinfo=tz) + timedelta(hours=14)
    )
    found, _ = _signals(desk)
    assert [(r["username"], r["n"]) for r in found.night_reads] == [("pro-n", 2)]


def test_emergency_overrides_and_refused_bursts_are_flagged(desk, world, settings):
    settings.REGIE_REFUSED_BURST = 5
    now = timezone.now()
    EmergencyAccess.objects.create(
        user=world.pro_s, case_id=77, reason="Neighbour reports a fire", expires_at=now + timedelta(hours=8)
    )
    write(world.pro_n, "case", [10, 11, 12, 13, 14], outcome="denied")
    write(world.pro_s, "case", [10, 11], outcome="denied")
    found, html = _signals(desk)
    assert [g.case_id for g in found.emergencies] == [77]
    assert "Neighbour reports a fire" in html
    assert [(r["username"], r["n"]) for r in found.refused_bursts] == [("pro-n", 5)]


def test_incidents_show_and_can_be_resolved(desk, world):
    incident = SecurityIncident.objects.create(kind=IncidentKind.CHAIN_BREAK, details="position 4 does not match")
    found, html = _signals(desk)
    assert "position 4 does not match" in html
    desk.post(reverse("audit:incident_resolve", args=[incident.pk]))
    incident.refresh_from_db()
    assert incident.resolved_by == world.privacy and incident.resolved_at is not None
    assert AccessLogEntry.objects.filter(record_type="security_incident", action="update").exists()


def test_others_cannot_resolve_incidents(client, world):
    incident = SecurityIncident.objects.create(kind=IncidentKind.CHAIN_BREAK, details="x")
    client.force_login(world.admin)
    assert client.post(reverse("audit:incident_resolve", args=[incident.pk])).status_code == 404
    incident.refresh_from_db()
    assert incident.resolved_at is None


def test_desk_pages_keep_their_query_count(desk, world, django_assert_max_num_queries):
    access_record(user=world.pro_n, action="read", record_type="case", record_ids=range(1, 60))
    desk.force_login(world.privacy)
    with django_assert_max_num_queries(12):
        assert desk.get(reverse("audit:log")).status_code == 200
    # 59 distinct cases outside his work: pro-n is flagged, which costs 4 queries per flagged
    # user-day (his scope, his distinct records); only user-days over the threshold pay it.
    with django_assert_max_num_queries(15):
        assert desk.get(reverse("audit:signals")).status_code == 200


def test_a_user_flagged_on_several_days_has_his_work_looked_up_once(world, settings):
    """The scope of a user's own work (his cases and areas) is read once, not once per flagged
    day: each further day costs only the query for that day's records."""
    from django.test.utils import CaptureQueriesContext

    from regie.audit.selectors import access_signals

    settings.REGIE_UNUSUAL_READS = 3
    south = [TenancyFactory(unit=UnitFactory(area=world.south)).pk for _ in range(5)]
    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    def queries(days: int) -> int:
        for back in range(days):
            noon = datetime.combine(today - timedelta(days=back), datetime.min.time(), tzinfo=tz) + timedelta(hours=12)
            write(world.pro_n, "household", south, at=noon)
        with CaptureQueriesContext(connection) as ctx:
            found = access_signals(world.privacy, date_from=today - timedelta(days=7), date_to=today)
        assert len(found.outside_caseload) == days
        return len(ctx.captured_queries)

    one_day = queries(1)
    assert queries(2) == one_day + 1  # the second day: its records only; the scope is not re-read
