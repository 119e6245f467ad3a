"""The mandate's services: limits at their edges, the budget rule, the approval flow,
immutability, the department's action, notifications and versioned limits."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from regie.accounts.models import Role
from regie.cases.models import EntryKind, TimelineEntry
from regie.mandate import selectors, services
from regie.mandate.models import Decision
from regie.plans.models import Action
from tests.factories import UserFactory
from tests.test_mandate_support import B, M, P, a_case, catalogue, record, with_emails

S = Decision.Status
YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def english():
    # The messages are checked in the source language; the instance speaks Dutch by default.
    with translation.override("en"):
        yield


@pytest.fixture
def m(world):
    return catalogue(world)


def level(world, measure, value):
    return services.required_level(measure=measure, value=value, team=world.team_n, year=YEAR, decider=world.pro_n)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("11", P), ("12", P), ("13", M), ("23", M), ("24", M), ("25", B), ("999", B)],
)
def test_months_at_the_edges(world, m, value, expected):
    assert level(world, m["arrangement"], Decimal(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("249.99", P), ("250.00", P), ("250.01", M), ("999.99", M), ("1000", M), ("1000.01", B)],
)
def test_amount_at_the_edges_and_no_board_row(world, m, value, expected):
    # Above the manager's 1000 no level has a limit (the board has no row): it goes to the board.
    assert level(world, m["waive"], Decimal(value)) == expected


def test_a_level_without_a_row_cannot_decide(world, m):
    # Departing from procedure: only the manager's row; a professional can't decide it alone.
    assert level(world, m["deviate"], None) == M
    assert level(world, m["freeze"], None) == P


def test_no_limit_at_all_goes_to_the_board(world, m):
    services.limits_update(changes={("deviate", M): False}, by=world.admin, note="weg")
    assert level(world, m["deviate"], None) == B


def test_budget_rule(world, m):
    # Budget 1000; the professional's limit is 500.
    assert level(world, m["budget"], Decimal(500)) == P
    case = a_case(world)
    record(case, m["budget"], world.pro_n, Decimal(500))  # within: committed 500, left 500
    assert level(world, m["budget"], Decimal("500.00")) == P  # exactly what is left
    assert level(world, m["budget"], Decimal("500.01")) == M
    record(case, m["budget"], world.pro_n, Decimal(300))  # left 200
    assert level(world, m["budget"], Decimal(201)) == M  # within his 500, above what's left
    assert level(world, m["budget"], Decimal(200)) == P
    status = selectors.budget_status(team=world.team_n, year=YEAR)
    assert (status["amount"], status["committed"], status["spent"], status["left"]) == (1000, 800, 0, 200)
    # The board rule is not lowered by the budget rule.
    assert level(world, m["budget"], Decimal(3000)) == B


def test_budget_measure_needs_a_budget(world, m):
    case = a_case(world)
    case_s = a_case(world, director=world.pro_s, household=world.hh_s)  # team south has no budget
    with pytest.raises(ValidationError) as err:
        record(case_s, m["budget"], world.pro_s, Decimal(10))
    assert "no custom budget" in str(err.value)
    d = record(case, m["budget"], world.pro_n, Decimal(10))
    assert d.budget.team == world.team_n


def test_within_the_mandate_takes_effect_and_lands_on_collections(world, m):
    case = a_case(world)
    d = record(case, m["arrangement"], world.pro_n, 12)
    assert d.status == S.EFFECTIVE and d.effective_at and d.required_level == P
    action = Action.objects.get(case=case)
    assert action.who == "department" and action.department == "collections"
    assert "Betalingsregeling langer" in action.what and action.goal.text == "Besluit: Betalingsregeling langer"
    assert action.goal.domain == "finances"
    # A second decision of the measure reuses the goal.
    record(case, m["arrangement"], world.pro_n, 6)
    assert Action.objects.filter(case=case).count() == 2 and case.goals.count() == 1
    entry = TimelineEntry.objects.filter(case=case, kind=EntryKind.DECISION).first()
    assert {"change", "decision", "measure", "status"} <= set(entry.data)


def test_beyond_the_mandate_waits_and_mails_the_manager(world, m, django_capture_on_commit_callbacks):
    with_emails(world)
    case = a_case(world)
    with django_capture_on_commit_callbacks(execute=True):
        d = record(case, m["arrangement"], world.pro_n, 18)
    assert d.status == S.PENDING and d.required_level == M and d.effective_at is None
    assert not Action.objects.filter(case=case).exists()
    assert [msg.to for msg in mail.outbox] == [["mgr-n@example.nl"]]
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert "Betalingsregeling langer" in body and str(case.pk) in body
    assert "Jansen" not in body and "Achterstand" not in body and "Schuldhulp" not in body  # no household, no texts
    assert list(selectors.pending_for(world.mgr_n)) == [d]
    assert not selectors.pending_for(world.mgr_s).exists() and not selectors.pending_for(world.pro_n).exists()


def test_approve_takes_effect(world, m, django_capture_on_commit_callbacks):
    with_emails(world)
    case = a_case(world)
    d = record(case, m["arrangement"], world.pro_n, 18)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_answer(decision=d, answer="approve", reason="Akkoord", by=world.mgr_n)
    d.refresh_from_db()
    assert d.status == S.EFFECTIVE and d.effective_at
    assert Action.objects.get(case=case).department == "collections"
    assert mail.outbox[-1].to == ["pro-n@example.nl"]
    assert d.approvals.get().reason == "Akkoord"
    changes = list(
        TimelineEntry.objects.filter(case=case, kind=EntryKind.DECISION).values_list("data__change", flat=True)
    )
    assert sorted(changes) == ["approve", "recorded"]


def test_decline_question_reply(world, m, django_capture_on_commit_callbacks):
    with_emails(world)
    case = a_case(world)
    d = record(case, m["waive"], world.pro_n, Decimal(400))
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_answer(decision=d, answer="question", reason="Waarom nu?", by=world.mgr_n)
    assert Decision.objects.get(pk=d.pk).status == S.QUESTION
    assert mail.outbox[-1].to == ["pro-n@example.nl"]
    # The approver can't approve while the question stands; the refusal names what is allowed.
    with pytest.raises(ValidationError) as err:
        services.decision_answer(decision=d, answer="approve", reason="toch", by=world.mgr_n)
    assert "Allowed" in str(err.value) and "Reply" in str(err.value)
    with pytest.raises(PermissionDenied):
        services.decision_answer(decision=d, answer="reply", reason="x", by=world.pro_n2)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_answer(decision=d, answer="reply", reason="Omdat de rechter wacht", by=world.pro_n)
    assert Decision.objects.get(pk=d.pk).status == S.PENDING
    assert mail.outbox[-1].to == ["mgr-n@example.nl"]
    services.decision_answer(decision=d, answer="decline", reason="Te veel", by=world.mgr_n)
    d.refresh_from_db()
    assert d.status == S.DECLINED
    assert list(d.approvals.values_list("answer", flat=True)) == ["question", "reply", "decline"]
    with pytest.raises(ValidationError) as err:
        services.decision_answer(decision=d, answer="approve", reason="toch", by=world.mgr_n)
    assert "none" in str(err.value)


def test_reason_is_required(world, m):
    d = record(a_case(world), m["waive"], world.pro_n, Decimal(400))
    for answer in ("approve", "decline", "question", "escalate"):
        with pytest.raises(ValidationError) as err:
            services.decision_answer(decision=d, answer=answer, reason="  ", by=world.mgr_n)
        assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.decision_withdraw(decision=d, reason="", by=world.pro_n)


def test_wrong_approvers_are_refused(world, m):
    board = UserFactory(role=Role.BOARD)
    d = record(a_case(world), m["waive"], world.pro_n, Decimal(400))
    for who in (world.mgr_s, world.pro_n, world.pro_n2, world.admin, world.colleague, board):
        with pytest.raises(PermissionDenied):
            services.decision_answer(decision=d, answer="approve", reason="ok", by=who)
    big = record(d.case, m["waive"], world.pro_n, Decimal(2000))
    assert big.required_level == B
    with pytest.raises(PermissionDenied):
        services.decision_answer(decision=big, answer="approve", reason="ok", by=world.mgr_n)
    services.decision_answer(decision=big, answer="approve", reason="ok", by=board)
    assert Decision.objects.get(pk=big.pk).status == S.EFFECTIVE


def test_escalate_to_the_board(world, m, django_capture_on_commit_callbacks):
    with_emails(world)
    board = UserFactory(role=Role.BOARD, email="rvb@example.nl")
    d = record(a_case(world), m["waive"], world.pro_n, Decimal(400))
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_answer(decision=d, answer="escalate", reason="Principieel", by=world.mgr_n)
    d.refresh_from_db()
    assert (d.status, d.required_level) == (S.PENDING, B)
    assert sorted(tuple(msg.to) for msg in mail.outbox) == [("pro-n@example.nl",), ("rvb@example.nl",)]
    assert list(selectors.pending_for(board)) == [d] and not selectors.pending_for(world.mgr_n).exists()
    with pytest.raises(PermissionDenied):
        services.decision_answer(decision=d, answer="approve", reason="ok", by=world.mgr_n)
    with pytest.raises(ValidationError):
        services.decision_answer(decision=d, answer="escalate", reason="nog hoger", by=board)
    services.decision_answer(decision=d, answer="approve", reason="Eenmalig", by=board)
    assert Decision.objects.get(pk=d.pk).status == S.EFFECTIVE


def test_a_manager_decides_up_to_his_level(world, m):
    case = a_case(world)
    assert record(case, m["waive"], world.mgr_n, Decimal(1000)).status == S.EFFECTIVE
    assert record(case, m["waive"], world.mgr_n, Decimal("1000.01")).status == S.PENDING
    d = record(case, m["deviate"], world.mgr_n, deviates_from="Standaard aanmaningstraject")
    assert d.status == S.EFFECTIVE


def test_validation(world, m):
    case = a_case(world)
    with pytest.raises(ValidationError) as err:
        record(case, m["arrangement"], world.pro_n)
    assert "value" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        record(case, m["arrangement"], world.pro_n, Decimal("1.5"))
    assert "value" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        record(case, m["waive"], world.pro_n, Decimal("-5"))
    assert "value" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        record(case, m["freeze"], world.pro_n)
    assert "on_date" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        record(case, m["deviate"], world.mgr_n)
    assert "deviates_from" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.decision_record(
            case=case, measure=m["waive"], value=10, problem="", justification=" ", expected_effect="", by=world.pro_n
        )
    assert {"problem", "justification", "expected_effect"} <= set(err.value.message_dict)
    services.measure_save(measure=m["waive"], by=world.admin, is_active=False)
    m["waive"].refresh_from_db()
    with pytest.raises(ValidationError) as err:
        record(case, m["waive"], world.pro_n, 10)
    assert "measure" in err.value.message_dict
    # Only who steers the case records decisions in it.
    for who in (world.pro_n2, world.pro_s, world.mgr_s, world.colleague, world.admin):
        with pytest.raises(PermissionDenied):
            record(case, m["arrangement"], who, 3)


def test_withdraw(world, m):
    case = a_case(world)
    d = record(case, m["waive"], world.pro_n, Decimal(400))
    with pytest.raises(PermissionDenied):
        services.decision_withdraw(decision=d, reason="weg", by=world.pro_n2)
    services.decision_withdraw(decision=d, reason="Opgelost", by=world.pro_n)
    assert Decision.objects.get(pk=d.pk).status == S.WITHDRAWN
    effective = record(case, m["waive"], world.pro_n, Decimal(100))
    with pytest.raises(ValidationError):
        services.decision_withdraw(decision=effective, reason="weg", by=world.pro_n)
    with pytest.raises(ValidationError):
        services.decision_answer(decision=d, answer="approve", reason="ok", by=world.mgr_n)


def test_immutable_after_effect_and_corrections(world, m):
    case = a_case(world)
    old = record(case, m["budget"], world.pro_n, Decimal(400))
    for answer in ("approve", "decline", "question", "escalate", "reply"):
        with pytest.raises(ValidationError):
            services.decision_answer(decision=old, answer=answer, reason="x", by=world.mgr_n)
    # What is spent is the one thing that still changes, never beyond the value.
    services.decision_spend(decision=old, amount=Decimal(150), by=world.pro_n)
    with pytest.raises(ValidationError):
        services.decision_spend(decision=old, amount=Decimal("250.01"), by=world.pro_n)
    services.decision_spend(decision=old, amount=Decimal(250), by=world.pro_n)
    assert Decision.objects.get(pk=old.pk).spent == 400
    with pytest.raises(ValidationError):
        services.decision_spend(decision=record(case, m["waive"], world.pro_n, 10), amount=1, by=world.pro_n)
    # A correction is a new decision referring to the old; the old one stays, unchanged.
    new = record(case, m["budget"], world.pro_n, Decimal(300), corrects=old)
    old.refresh_from_db()
    assert old.status == S.EFFECTIVE and old.value == 400 and new.corrects == old
    assert list(old.corrections.all()) == [new]
    status = selectors.budget_status(team=world.team_n, year=YEAR)
    assert status["committed"] == 300  # the corrected one counts no more
    # ... and the manager's overview agrees with the budget.
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    per_measure = selectors.overview(user=world.mgr_n, start=start, end=end)["per_measure"]
    assert next(row["value"] for row in per_measure if row["measure"] == m["budget"]) == 300
    with pytest.raises(ValidationError):
        record(case, m["budget"], world.pro_n, Decimal(5), corrects=record(case, m["waive"], world.pro_n, 999))


def test_limits_are_versioned(world, m):
    case = a_case(world)
    v1 = selectors.limits_of()[0].version
    d_old = record(case, m["waive"], world.pro_n, Decimal(300))
    assert d_old.required_level == M and d_old.limits_version == v1
    v2 = services.limits_update(changes={("waive", P): Decimal(500)}, by=world.admin, note="ruimer")
    assert v2.version == v1.version + 1
    d_new = record(case, m["waive"], world.pro_n, Decimal(300))
    assert (d_new.required_level, d_new.status, d_new.limits_version) == (P, S.EFFECTIVE, v2)
    d_old.refresh_from_db()
    assert d_old.limits_version == v1 and d_old.required_level == M
    # The old version is untouched; the new one copied the rest.
    assert v1.limits.get(measure=m["waive"], level=P).max_value == 250
    assert v2.limits.count() == v1.limits.count()
    with pytest.raises(PermissionDenied):
        services.limits_update(changes={("waive", P): Decimal(1)}, by=world.mgr_n, note="")
    with pytest.raises(ValidationError):
        services.limits_update(changes={("waive", P): Decimal(5000)}, by=world.admin, note="boven de manager")
    with pytest.raises(ValidationError):
        services.limits_update(changes={("nope", P): Decimal(1)}, by=world.admin, note="")


def test_catalogue_is_for_the_administrator(world, m):
    with pytest.raises(PermissionDenied):
        services.measure_save(by=world.mgr_n, code="x", name="X", parameter="none")
    record(a_case(world), m["waive"], world.pro_n, 10)
    with pytest.raises(ValidationError):
        services.measure_save(measure=m["waive"], by=world.admin, parameter="months")
    services.measure_save(measure=m["waive"], by=world.admin, name="Kosten kwijtschelden")
    with pytest.raises(ValidationError):
        services.measure_save(by=world.admin, code="y", name="Y", parameter="months", uses_budget=True)


def test_household_measures(world, m):
    case = a_case(world)
    frozen = record(case, m["freeze"], world.pro_n, on_date=timezone.localdate() + timedelta(days=60))
    record(case, m["waive"], world.pro_n, 10)  # no department: not on the household page
    record(case, m["arrangement"], world.pro_n, 18)  # pending: not in effect
    old = record(case, m["freeze"], world.pro_n, on_date=timezone.localdate() + timedelta(days=1))
    Decision.objects.filter(pk=old.pk).update(on_date=timezone.localdate() - timedelta(days=1))  # passed
    assert selectors.household_measures(world.hh_n) == [frozen]
    assert frozen.measure.vera_code == "BETALINGSREGELINGSTATUS.BEV"


def test_overview(world, m):
    case = a_case(world)
    record(case, m["waive"], world.pro_n, 10)
    pending = record(case, m["waive"], world.pro_n, 400)
    dev = record(case, m["deviate"], world.mgr_n, deviates_from="Standaard ontruimingsprocedure")
    today = timezone.localdate()
    data = selectors.overview(user=world.mgr_n, start=today - timedelta(days=30), end=today)
    assert data["decisions"] == 3
    waive = next(r for r in data["per_measure"] if r["measure"] == m["waive"])
    assert (waive["total"], waive["effective"], waive["pending"], waive["beyond"]) == (2, 1, 1, 1)
    assert {r["user"] for r in data["per_professional"]} == {world.pro_n, world.mgr_n}
    assert data["deviations"] == [dev] and data["pending"] == [pending] and data["pending"][0].age == 0
    assert data["budgets"][0]["amount"] == 1000
    assert selectors.overview(user=world.mgr_s, start=today, end=today)["decisions"] == 0
    assert selectors.overview(user=world.pro_n, start=today, end=today)["teams"] == []


def test_closed_case_takes_no_decision(world, m):
    from regie.cases.services import case_transition

    case = a_case(world)
    pending = record(case, m["arrangement"], world.pro_n, 18)
    case_transition(case=case, to_status="closed", by=world.pro_n, outcome=_outcome())
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        record(case, m["arrangement"], world.pro_n, 3)
    with pytest.raises(ValidationError):
        services.decision_answer(decision=pending, answer="approve", reason="ok", by=world.mgr_n)


def _outcome():
    from regie.cases.models import Outcome

    return Outcome.values[0]
