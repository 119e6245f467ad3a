"""`regie demo`: the synthetic demo corporation, its accounts, cases and events, and its flags.

The corporation is generated once for the module (inside a transaction rolled back at the end);
each test runs in a savepoint within it, so tests that reset or regenerate leave it untouched.
Its units, households, arrears and events come in through the import, from export files written
to DATA_DIR/demo-import/ (a temporary folder here).
"""

import csv
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import timezone

from regie.accounts.models import Area, Role, User
from regie.audit.models import AccessLogEntry, EmergencyAccess
from regie.cases.models import Case, CaseMember, Contact, EntryKind, Status, TimelineEntry
from regie.core.demo import DEMO_PASSWORD, DEMO_USERNAMES, events, files, names, texts
from regie.core.vera import REGIE_CODES, vera_exists
from regie.housing.models import AreaDistrict, ArrearsSnapshot, Event, Person, Tenancy, Unit
from regie.privacy.models import CaseArchive, Hold, RetentionRun, SubjectRequest
from regie.signalling.importing.service import import_paths
from regie.signalling.models import ImportRun

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 15)
UNITS = 200


def run(**options) -> str:
    out = StringIO()
    call_command("demo", units=UNITS, as_of=AS_OF.isoformat(), stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, data_dir):
    with override_settings(DATA_DIR=data_dir), django_db_blocker.unblock(), transaction.atomic():
        output = run()
        yield output
        transaction.set_rollback(True)


def snapshot() -> dict[str, list]:
    """The generated data by natural keys (database ids differ between runs)."""
    return {
        "units": sorted(
            Unit.objects.values_list(
                "unit_id", "street", "house_number", "house_number_suffix", "postcode", "city", "district", "area__code"
            )
        ),
        "tenancies": sorted(
            Tenancy.objects.values_list("tenancy_id", "unit__unit_id", "name", "start_date", "end_date", "monthly_rent")
        ),
        "persons": sorted(
            Person.objects.values_list(
                "person_id",
                "tenancy__tenancy_id",
                "role",
                "first_name",
                "name_prefix",
                "last_name",
                "birth_date",
                "phone",
                "email",
            )
        ),
        "arrears": sorted(ArrearsSnapshot.objects.values_list("tenancy__tenancy_id", "date", "balance")),
        "events": sorted(
            Event.objects.values_list(
                "source", "event_id", "date", "tenancy__tenancy_id", "unit__unit_id", "type", "severity", "description"
            )
        ),
        "cases": sorted(
            Case.objects.values_list(
                "household__tenancy_id",
                "opened_at",
                "status",
                "director__username",
                "question",
                "closed_at",
                "outcome",
                "next_step_due",
            )
        ),
        "contacts": sorted(Contact.objects.values_list("case__household__tenancy_id", "at", "channel", "summary")),
        "timeline": sorted(TimelineEntry.objects.values_list("case__household__tenancy_id", "at", "kind", "text")),
        # The privacy officer's material (regie.core.demo.privacy); ids differ between runs, so by
        # natural keys, and the access log only where the demo dated it (before as-of).
        "requests": sorted(
            SubjectRequest.objects.values_list(
                "person__person_id", "kind", "received_on", "status", "closed_on", "reference", "outcome"
            )
        ),
        "holds": sorted(Hold.objects.values_list("target", "kind", "person__person_id", "placed_at")),
        "archive": sorted(
            CaseArchive.objects.values_list(
                "case__household__tenancy_id", "case__opened_at", "archive_status", "archived_at", "destroy_after"
            )
        ),
        "retention runs": sorted(RetentionRun.objects.values_list("as_of", "dry_run", "started_at")),
        "emergency": sorted(EmergencyAccess.objects.values_list("user__username", "granted_at", "reason")),
        "failed logins": sorted(AccessFailureLog.objects.values_list("username", "ip_address", "attempt_time")),
        "dated log": sorted(
            AccessLogEntry.objects.filter(
                at__lt=datetime.combine(AS_OF, time(), tzinfo=timezone.get_default_timezone())
            ).values_list("at", "username", "action", "record_type", "ip_address", "emergency")
        ),
    }


def test_the_corporation_came_in_through_one_clean_import(data_dir):
    imported = ImportRun.objects.get()
    assert (imported.origin, imported.status, imported.exit_code, imported.dry_run) == ("demo", "done", 0, False)
    summary = imported.summary
    assert {f["kind"] for f in summary.values()} == {"units", "tenancies", "persons", "arrears", "events"}
    assert sum(f["rejected"] for f in summary.values()) == 0
    by_kind = {f["kind"]: f for f in summary.values()}
    assert by_kind["units"]["new"] == Unit.objects.count() == UNITS
    assert by_kind["tenancies"]["new"] == Tenancy.objects.count()
    assert by_kind["persons"]["new"] == Person.objects.count()
    assert by_kind["arrears"]["new"] == ArrearsSnapshot.objects.count()
    assert by_kind["events"]["new"] == Event.objects.count()
    assert (data_dir / "imports" / str(imported.pk) / "report.csv").is_file()


def test_units_got_their_area_from_the_district_map():
    expected = {d: code for code, districts in names.DISTRICTS.items() for d, _digits, _streets in districts}
    assert dict(AreaDistrict.objects.values_list("district", "area__code")) == expected
    assert not Unit.objects.filter(area__isnull=True).exists()
    for district, area in Unit.objects.values_list("district", "area__code").distinct():
        assert expected[district] == area
    assert set(Area.objects.values_list("code", flat=True)) == {"noord", "zuid"}


def test_the_export_files_look_like_a_corporations(data_dir):
    folder = data_dir / "demo-import"
    units = (folder / files.FILES["units"]).read_bytes()
    assert units.startswith(b"VHE nummer;Straat;") and b"\r\n" in units
    raw = (folder / files.FILES["tenancies"]).read_bytes()
    assert b"\x80 " in raw  # the euro sign in Windows-1252: not UTF-8
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    tenancies = raw.decode("cp1252")
    row = next(csv.DictReader(tenancies.splitlines(), delimiter=";"))
    assert row["Ingangsdatum"][2] == "-" and ("," in row["Kale huur"]) and "Vestiging" in row
    assert "€ " in tenancies
    persons = (folder / files.FILES["persons"]).read_bytes()
    assert persons.startswith(b"\xef\xbb\xbfperson_id,tenancy_id,role")
    assert b"RELATIEROLSOORT.HUU" in persons
    arrears = (folder / files.FILES["arrears"]).read_text(encoding="utf-8")
    assert arrears.startswith("Contractnummer;Peildatum;Saldo") and ";-" in arrears
    events_file = (folder / files.FILES["events"]).read_text(encoding="utf-8")
    assert events_file.startswith("event_id,source,date,tenancy_id,unit_id")


def test_importing_the_demo_files_again_changes_nothing(data_dir):
    folder = data_dir / "demo-import"
    result = import_paths(paths=[folder], dry_run=True, origin="cli", report_dir=data_dir / "again")
    assert result.exit_code == 0
    assert sum(f.new + f.changed for f in result.files) == 0
    assert sum(f.unchanged for f in result.files) == sum(f.rows for f in result.files) > 0


def test_amounts_in_dutch_notation():
    assert files.nl_amount(Decimal("1234.56")) == "1.234,56"
    assert files.nl_amount(Decimal("-12.5"), euro=True) == "-€ 12,50"
    assert files.nl_amount(Decimal("1234567.8"), euro=True) == "€ 1.234.567,80"


def test_the_summary_prints_counts_only(demo):
    assert "units" in demo and "cases" in demo
    assert "@example.nl" not in demo and not any(t.name in demo for t in Tenancy.objects.all()[:50])


def test_demo_accounts_have_their_roles_and_teams():
    users = {u.username: u for u in User.objects.filter(is_demo=True).prefetch_related("teams")}
    expected = {
        "demo-regisseur": (Role.PROFESSIONAL, {"team-noord"}),
        "demo-regisseur2": (Role.PROFESSIONAL, {"team-zuid"}),
        "demo-manager": (Role.MANAGER, {"team-noord", "team-zuid"}),
        "demo-collega": (Role.DEPARTMENT, {"team-noord"}),
        "demo-beheerder": (Role.ADMIN, set()),
        "demo-privacy": (Role.PRIVACY, set()),
    }
    for username, (role, teams) in expected.items():
        assert (users[username].role, {t.code for t in users[username].teams.all()}) == (role, teams)
    assert users["demo-collega"].department == "maintenance"
    # Two more professionals per team, so cases have several directors.
    for team in ("team-noord", "team-zuid"):
        pros = [u for u in users.values() if u.role == Role.PROFESSIONAL and team in {t.code for t in u.teams.all()}]
        assert len(pros) >= 3


def test_demo_accounts_log_in_only_in_demo_mode():
    with override_settings(DEMO_MODE=True):
        assert authenticate(username="demo-regisseur", password=DEMO_PASSWORD) is not None
        assert authenticate(username="demo-privacy", password=DEMO_PASSWORD) is not None
        assert authenticate(username="demo-regisseur", password="wrong-password") is None
    with override_settings(DEMO_MODE=False):
        assert authenticate(username="demo-regisseur", password=DEMO_PASSWORD) is None
        assert authenticate(username="demo-manager", password=DEMO_PASSWORD) is None


def test_households_look_like_a_corporation():
    running = Tenancy.objects.running_on(AS_OF)
    assert running.count() > 0.9 * Unit.objects.count()
    assert Tenancy.objects.filter(end_date__isnull=False).exists()
    assert not running.filter(persons__isnull=True).exists()
    # Every household has exactly one tenant; children are children on as-of.
    tenants = running.annotate(n=Count("persons", filter=Q(persons__role="HUU")))
    assert set(tenants.values_list("n", flat=True)) == {1}
    adult_day = AS_OF.replace(year=AS_OF.year - 18)
    assert not Person.objects.filter(tenancy__in=running, role="KIN", birth_date__lte=adult_day).exists()
    assert not Person.objects.exclude(email="").exclude(email__endswith="@example.nl").exists()
    # 24 monthly snapshots for the older tenancies, none after as-of; some households in arrears.
    old = running.filter(start_date__lt=date(2023, 1, 1)).first()
    assert old.arrears.count() == 24
    assert not ArrearsSnapshot.objects.filter(date__gt=AS_OF).exists()
    assert ArrearsSnapshot.objects.filter(date=AS_OF.replace(day=1), balance__gt=0).exists()


def test_event_types_are_known_codes():
    types = set(Event.objects.values_list("type", flat=True))
    types |= {
        k[0]
        for table in (events.BEHAVIOUR, events.LIVEABILITY, events.CARE, events.EVERYDAY, events.VACANT)
        for k in table
    }
    types |= set(texts.EVENT_TEXTS)
    unknown = {t for t in types if not (vera_exists(t) or t in REGIE_CODES)}
    assert not unknown
    assert {"REGIE.AAN", "REGIE.CTP", "REGIE.DAG"} <= set(Event.objects.values_list("type", flat=True))
    assert set(Event.objects.values_list("severity", flat=True)) <= {1, 2, 3}
    assert Event.objects.filter(tenancy__isnull=True).exists()  # reports on empty units
    assert not Event.objects.filter(date__gt=AS_OF).exists()


def test_every_status_and_one_open_case_per_household():
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    open_per_household = Case.objects.open().values("household").annotate(n=Count("pk")).filter(n__gt=1)
    assert not open_per_household.exists()
    assert (
        Case.objects.filter(status=Status.CLOSED).exclude(outcome="").count()
        == Case.objects.filter(status=Status.CLOSED).count()
    )
    assert TimelineEntry.objects.filter(kind=EntryKind.REOPENED).values("case").distinct().count() >= 2
    assert TimelineEntry.objects.filter(kind=EntryKind.DIRECTOR).count() >= 3
    assert Case.objects.open().filter(director__username="demo-regisseur").count() >= 10
    assert Case.objects.open().filter(director__username="demo-regisseur2").count() >= 8
    assert CaseMember.objects.filter(role__in=("ADV", "BEH")).exists()


def test_case_history_lies_before_as_of_in_order():
    tz = timezone.get_default_timezone()
    end = datetime.combine(AS_OF, time(), tzinfo=tz)
    for case in Case.objects.prefetch_related("timeline", "contacts"):
        assert end - timedelta(days=301) <= case.opened_at <= end - timedelta(days=4)
        moments = [e.at for e in case.timeline.all()] + [c.at for c in case.contacts.all()]
        assert all(case.opened_at <= m < end for m in moments)
        if case.closed_at:
            assert all(m <= case.closed_at for m in moments)
    assert Case.objects.open().filter(next_step_due__lt=AS_OF).exists()  # overdue
    assert Case.objects.open().filter(next_step_due__gt=AS_OF).exists()


def test_same_seed_and_date_give_the_same_data(data_dir):
    before = snapshot()
    with override_settings(DEMO_MODE=True, DATA_DIR=data_dir):
        run(reset=True)
    assert snapshot() == before
    assert before["requests"] and before["dated log"] and before["failed logins"]
    # The reset wiped the old import's history with its data; the new demo made its own.
    assert ImportRun.objects.filter(origin="demo").count() == 1
    assert User.objects.filter(is_demo=True).count() == len(DEMO_USERNAMES)
    # The reset wiped the old access log with the old cases; the new cases wrote their own.
    assert AccessLogEntry.objects.filter(record_type="case").values("record_id").distinct().count() == 48


def test_if_empty_does_nothing_on_a_loaded_database():
    counts = (Unit.objects.count(), Case.objects.count(), Event.objects.count())
    assert "nothing done" in run(if_empty=True)
    assert (Unit.objects.count(), Case.objects.count(), Event.objects.count()) == counts


def test_a_plain_rerun_is_refused():
    with pytest.raises(CommandError, match="already holds data"):
        run()


def test_a_refused_import_stops_the_demo(monkeypatch, data_dir):
    from regie.signalling.importing import service
    from regie.signalling.importing.result import ImportResult, Problem

    refused = ImportResult(run=None, exit_code=1, problems=[Problem("persons.csv", 7, "role", "XYZ", "unknown", "")])
    monkeypatch.setattr(service, "import_paths", lambda **kw: refused)
    with (
        override_settings(DEMO_MODE=True, DATA_DIR=data_dir),
        pytest.raises(CommandError, match="persons.csv line 7 role"),
    ):
        run(reset=True)


def test_reset_is_refused_outside_demo_mode():
    with override_settings(DEMO_MODE=False), pytest.raises(CommandError, match="demo mode"):
        run(reset=True)
    assert Case.objects.count() == 48
