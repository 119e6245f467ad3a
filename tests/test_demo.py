"""`regie demo`: the synthetic demo corporation, its accounts, cases and events, and its flags.

The corporation is generated once for the module (inside a transaction rolled back at the end);
each test runs in a savepoint within it, so tests that reset or regenerate leave it untouched.
"""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import timezone

from regie.accounts.models import Role, User
from regie.audit.models import AccessLogEntry
from regie.cases.models import Case, CaseMember, Contact, EntryKind, Status, TimelineEntry
from regie.core.demo import DEMO_PASSWORD, events, texts
from regie.core.vera import REGIE_CODES, vera_exists
from regie.housing.models import ArrearsSnapshot, Event, Person, Tenancy, Unit

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 15)
UNITS = 200


def run(**options) -> str:
    out = StringIO()
    call_command("demo", units=UNITS, as_of=AS_OF.isoformat(), stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        output = run()
        yield output
        transaction.set_rollback(True)


def snapshot() -> dict[str, list]:
    """The generated data by natural keys (database ids differ between runs)."""
    return {
        "units": sorted(
            Unit.objects.values_list("unit_id", "street", "house_number", "house_number_suffix", "postcode")
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
                "email",
            )
        ),
        "arrears": sorted(ArrearsSnapshot.objects.values_list("tenancy__tenancy_id", "date", "balance")),
        "events": sorted(
            Event.objects.values_list(
                "source", "event_id", "date", "tenancy__tenancy_id", "unit__unit_id", "type", "severity"
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
    }


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


def test_same_seed_and_date_give_the_same_data():
    before = snapshot()
    with override_settings(DEMO_MODE=True):
        run(reset=True)
    assert snapshot() == before
    assert User.objects.filter(is_demo=True).count() == 10
    # The reset wiped the old access log with the old cases; the new cases wrote their own.
    assert AccessLogEntry.objects.filter(record_type="case").values("record_id").distinct().count() == 48


def test_if_empty_does_nothing_on_a_loaded_database():
    counts = (Unit.objects.count(), Case.objects.count(), Event.objects.count())
    assert "nothing done" in run(if_empty=True)
    assert (Unit.objects.count(), Case.objects.count(), Event.objects.count()) == counts


def test_a_plain_rerun_is_refused():
    with pytest.raises(CommandError, match="already holds data"):
        run()


def test_reset_is_refused_outside_demo_mode():
    with override_settings(DEMO_MODE=False), pytest.raises(CommandError, match="demo mode"):
        run(reset=True)
    assert Case.objects.count() == 48
