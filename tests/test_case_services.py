"""The case workflow, the one-open-case rule, direction, team and contacts, through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from regie.audit.models import AccessLogEntry
from regie.cases import services
from regie.cases.models import Case, CaseMember, EntryKind, Status, TimelineEntry
from regie.cases.workflow import TRANSITIONS
from tests.factories import PersonFactory, open_case

pytestmark = pytest.mark.django_db


def test_open_makes_the_director_case_coordinator(world):
    case = open_case(household=world.hh_n, director=world.pro_n, question="Ik wil mijn schulden op een rij.")
    assert case.status == Status.SIGNALLED
    assert case.team == world.team_n
    member = CaseMember.objects.get(case=case, removed_at__isnull=True)
    assert (member.user, member.role) == (world.pro_n, "ZAA")
    kinds = set(TimelineEntry.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {EntryKind.OPENED, EntryKind.QUESTION}
    assert AccessLogEntry.objects.filter(record_type="case", record_id=str(case.pk), action="create").count() == 1


def test_second_open_case_for_a_household_is_refused(world):
    open_case(household=world.hh_n, director=world.pro_n)
    with pytest.raises(ValidationError) as err, translation.override("en"):
        open_case(household=world.hh_n, director=world.pro_n2)
    assert "already has an open case" in str(err.value.message_dict["household"])
    assert Case.objects.filter(household=world.hh_n).count() == 1


def test_a_closed_case_allows_a_new_one(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    services.case_transition(case=case, to_status=Status.CLOSED, by=world.pro_n, outcome="declined")
    assert open_case(household=world.hh_n, director=world.pro_n).is_open


def test_the_database_refuses_a_second_open_case_too(world):
    from django.db import IntegrityError, transaction

    case = open_case(household=world.hh_n, director=world.pro_n)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(household=world.hh_n, director=world.pro_n, team=world.team_n, created_by=world.pro_n)
    assert Case.objects.filter(household=world.hh_n).get() == case


def test_walks_the_whole_workflow(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    for to in [Status.INTAKE, Status.PLAN, Status.IN_PROGRESS, Status.EVALUATION, Status.AFTERCARE]:
        case = services.case_transition(case=case, to_status=to, by=world.pro_n)
        assert Case.objects.get(pk=case.pk).status == to
    case = services.case_transition(
        case=case,
        to_status=Status.CLOSED,
        by=world.pro_n,
        outcome="resolved",
        outcome_note="Schuldhulp loopt.",
    )
    case.refresh_from_db()
    assert case.closed_at is not None and case.outcome == "resolved"


@pytest.mark.parametrize(("start", "target"), [(s, t) for s in Status for t in Status if t not in TRANSITIONS[s]])
def test_every_illegal_move_is_refused_naming_the_allowed_ones(world, start, target):
    case = open_case(household=world.hh_n, director=world.pro_n)
    Case.objects.filter(pk=case.pk).update(status=start, outcome="other" if start == Status.CLOSED else "")
    case.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        services.case_transition(case=case, to_status=target, by=world.pro_n, outcome="resolved")
    message = err.value.message_dict["status"][0]
    for allowed in TRANSITIONS[start]:
        assert str(Status(allowed).label) in message
    assert Case.objects.get(pk=case.pk).status == start


def test_closing_needs_an_outcome(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    with pytest.raises(ValidationError) as err:
        services.case_transition(case=case, to_status=Status.CLOSED, by=world.pro_n)
    assert "outcome" in err.value.message_dict
    assert Case.objects.get(pk=case.pk).status == Status.SIGNALLED


def test_reopening_is_recorded_and_clears_the_outcome(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    services.case_transition(case=case, to_status=Status.CLOSED, by=world.pro_n, outcome="stable")
    case = services.case_transition(case=case, to_status=Status.IN_PROGRESS, by=world.pro_n, note="Nieuwe achterstand")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_at) == (Status.IN_PROGRESS, "", None)
    assert TimelineEntry.objects.filter(case=case, kind=EntryKind.REOPENED).count() == 1


def test_reopening_is_refused_while_another_case_runs(world):
    old = open_case(household=world.hh_n, director=world.pro_n)
    services.case_transition(case=old, to_status=Status.CLOSED, by=world.pro_n, outcome="stable")
    open_case(household=world.hh_n, director=world.pro_n2)
    with pytest.raises(ValidationError):
        services.case_transition(case=old, to_status=Status.INTAKE, by=world.pro_n)


def test_direction_passes_to_a_colleague_and_is_recorded(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    services.case_transfer_direction(case=case, to_user=world.pro_s, by=world.pro_n, keep_previous_as_adviser=True)
    case.refresh_from_db()
    assert case.director == world.pro_s and case.team == world.team_s
    active = dict(CaseMember.objects.filter(case=case, removed_at__isnull=True).values_list("user__username", "role"))
    assert active == {"pro-s": "ZAA", "pro-n": "ADV"}
    assert TimelineEntry.objects.filter(case=case, kind=EntryKind.DIRECTOR).count() == 1


def test_department_colleague_cannot_join_a_case_team(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    with pytest.raises(ValidationError):
        services.case_member_add(case=case, user=world.colleague, role="BEH", by=world.pro_n)
    services.case_member_add(case=case, user=world.pro_n2, role="ADV", by=world.pro_n)
    with pytest.raises(ValidationError):
        services.case_member_add(case=case, user=world.pro_n2, role="BEH", by=world.pro_n)


def test_contact_is_on_the_timeline_and_updates_last_contact(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    tenant = PersonFactory(tenancy=world.hh_n)
    at = timezone.now() - timedelta(hours=2)
    contact = services.contact_add(
        case=case, at=at, channel="BEZ", summary="Huisbezoek", by=world.pro_n, persons=[tenant]
    )
    case.refresh_from_db()
    assert case.last_contact_at == at
    assert list(contact.persons.all()) == [tenant]
    assert TimelineEntry.objects.get(case=case, kind=EntryKind.CONTACT).contact == contact


def test_contact_refuses_the_future_a_stranger_and_an_unknown_channel(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    stranger = PersonFactory(tenancy=world.hh_s)
    with pytest.raises(ValidationError) as err:
        services.contact_add(
            case=case,
            at=timezone.now() + timedelta(days=1),
            channel="BEZ",
            summary="x",
            by=world.pro_n,
            persons=[stranger],
        )
    assert set(err.value.message_dict) == {"at", "persons"}
    with pytest.raises(ValidationError) as err:
        services.contact_add(case=case, at=timezone.now(), channel="XXX", summary="", by=world.pro_n)
    assert {"channel", "summary"} <= set(err.value.message_dict)
    assert not case.contacts.exists()


def test_director_must_be_oneself_or_a_colleague_of_ones_team(world):
    with pytest.raises(ValidationError) as err:
        open_case(household=world.hh_n, director=world.pro_s, by=world.pro_n)
    assert "director" in err.value.message_dict
    assert open_case(household=world.hh_n, director=world.pro_n2, by=world.pro_n).director == world.pro_n2


def test_urgency_marks_compare_arrears_exactly_and_skip_closed_cases(world):
    from datetime import date
    from decimal import Decimal

    from regie.cases.selectors import urgency_marks, with_urgency
    from tests.factories import ArrearsFactory

    case = open_case(household=world.hh_n, director=world.pro_n)  # rent 650
    ArrearsFactory(tenancy=world.hh_n, date=date(2026, 10, 1), balance=Decimal("1949.99"))  # a cent short
    annotated = with_urgency(Case.objects.filter(pk=case.pk)).get()
    assert annotated.balance == Decimal("1949.99") and "arrears" not in urgency_marks(annotated)
    ArrearsFactory(tenancy=world.hh_n, date=date(2026, 11, 1), balance=Decimal("1950"))  # exactly 3 × rent
    annotated = with_urgency(Case.objects.filter(pk=case.pk)).get()
    assert "arrears" in urgency_marks(annotated)
    services.case_transition(case=case, to_status=Status.CLOSED, by=world.pro_n, outcome="stable")
    assert urgency_marks(with_urgency(Case.objects.filter(pk=case.pk)).get()) == []
