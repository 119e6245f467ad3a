"""The mandate's pages: decisions on the case page, approvals, the overview and Beheer. Who may see
what (404 outside the need-to-know), forms that validate with field errors, the approval through
the page, and query counts that don't grow with the rows."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.mandate import services
from regie.mandate.models import Decision, LimitsVersion, Measure
from regie.plans.models import Action
from tests.factories import UserFactory, open_case

pytestmark = pytest.mark.django_db

TEXTS = {
    "problem": "Incassokosten maken de regeling onhaalbaar.",
    "justification": "Anna betaalt sinds drie maanden op tijd; de kosten blokkeren de regeling.",
    "expected_effect": "Een haalbare regeling en geen deurwaarder.",
}


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"  # the assertions read the English msgids


@pytest.fixture
def mandate(world):
    """A catalogue of two measures with limits, a budget for the north team, and a case there."""
    w = world
    w.board = UserFactory(username="bestuur", role="board")
    w.waive = services.measure_save(
        by=w.admin,
        code="kwijtschelden-incassokosten",
        name="Incassokosten kwijtschelden",
        parameter="amount",
        department="collections",
    )
    w.clean = services.measure_save(
        by=w.admin, code="schoonmaak", name="Schoonmaak na vervuiling", parameter="amount", uses_budget=True
    )
    services.limits_update(
        changes={
            ("kwijtschelden-incassokosten", "professional"): Decimal("250"),
            ("kwijtschelden-incassokosten", "manager"): Decimal("1000"),
            ("kwijtschelden-incassokosten", "board"): None,
            ("schoonmaak", "professional"): Decimal("500"),
            ("schoonmaak", "manager"): None,
        },
        by=w.admin,
        note="Eerste versie",
    )
    services.budget_set(team=w.team_n, year=timezone.localdate().year, amount=Decimal("5000"), by=w.admin)
    w.case = open_case(household=w.hh_n, director=w.pro_n)
    return w


def record(w, value, measure=None, by=None):
    return services.decision_record(
        case=w.case, measure=measure or w.waive, value=Decimal(value), by=by or w.pro_n, **TEXTS
    )


def decide_url(w):
    return reverse("mandate:decide", args=[w.case.pk])


def post_decision(client, w, value, **extra):
    data = {"measure": w.waive.pk, "value": value, "deviates_from": "", **TEXTS, **extra}
    return client.post(decide_url(w), data)


# -- the case page --------------------------------------------------------------------------


def test_director_records_a_decision_within_his_mandate(client, mandate):
    w = mandate
    client.force_login(w.pro_n)
    response = post_decision(client, w, "250")
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.status, decision.required_level, decision.decided_by) == ("effective", "professional", w.pro_n)
    page = client.get(response.url)
    assert "Decision recorded; it is in effect." in page.content.decode()
    assert "Incassokosten kwijtschelden" in page.content.decode()
    assert Action.objects.filter(case=w.case, department="collections").exists()


def test_beyond_the_mandate_is_sent_for_approval(client, mandate):
    w = mandate
    client.force_login(w.pro_n)
    response = post_decision(client, w, "250.01")
    decision = Decision.objects.get()
    assert (decision.status, decision.required_level) == ("pending", "manager")
    page = client.get(response.url).content.decode()
    assert "sent for approval to: Manager" in page
    assert not Action.objects.filter(case=w.case).exists()


def test_the_case_page_links_to_the_form_with_the_limits(client, mandate):
    w = mandate
    client.force_login(w.pro_n)
    case_page = client.get(w.case.get_absolute_url()).content.decode()
    # The form is a page of its own: the case page links to it but doesn't draw it.
    assert f'href="{decide_url(w)}"' in case_page
    assert 'id="id_decision_problem"' not in case_page
    html = client.get(decide_url(w)).content.decode()
    assert f'action="{decide_url(w)}"' in html
    assert "Incassokosten kwijtschelden (An amount (euros))" in html
    assert "Limits per level, version 1" in html
    assert "up to € 250.00" in html or "up to € 250,00" in html
    assert 'id="id_decision_problem"' in html


def test_the_decision_form_shows_field_errors(client, mandate):
    w = mandate
    client.force_login(w.pro_n)
    response = client.post(decide_url(w), {"measure": w.waive.pk, "value": "", "problem": ""})
    assert response.status_code == 400
    form = response.context["decision_form"]
    assert {"value", "problem", "justification", "expected_effect"} <= set(form.errors)
    assert "error-summary" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_correction_refers_to_the_decision_it_corrects(client, mandate):
    w = mandate
    old = record(w, "100")
    client.force_login(w.pro_n)
    assert f"{decide_url(w)}?corrects={old.pk}" in client.get(w.case.get_absolute_url()).content.decode()
    page = client.get(decide_url(w) + f"?corrects={old.pk}")
    assert page.context["corrects"] == old
    assert page.context["decision_form"].initial["corrects"] == old.pk
    response = post_decision(client, w, "150", corrects=old.pk)
    assert response.status_code == 302
    new = Decision.objects.exclude(pk=old.pk).get()
    assert new.corrects == old
    old.refresh_from_db()
    assert (old.status, old.value) == ("effective", Decimal("100"))  # the old one stays as it was
    html = client.get(w.case.get_absolute_url()).content.decode()
    assert f"Corrects decision {old.pk}" in html


def test_withdraw_and_reply_on_the_case_page(client, mandate):
    w = mandate
    first = record(w, "600")
    services.decision_answer(decision=first, answer="question", reason="Waarom nu?", by=w.mgr_n)
    client.force_login(w.pro_n)
    html = client.get(w.case.get_absolute_url()).content.decode()
    assert reverse("mandate:reply", args=[first.pk]) in html
    # A reply without text: the field's error, on the case page.
    response = client.post(reverse("mandate:reply", args=[first.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["decisions"][0].reply_form.errors
    response = client.post(reverse("mandate:reply", args=[first.pk]), {"reason": "Omdat de deurwaarder komt."})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "pending"
    response = client.post(reverse("mandate:withdraw", args=[first.pk]), {"reason": "Anna heeft zelf betaald."})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "withdrawn"


def test_spend_on_a_budget_decision(client, mandate):
    w = mandate
    decision = record(w, "400", measure=w.clean)
    client.force_login(w.pro_n)
    response = client.post(reverse("mandate:spend", args=[decision.pk]), {"amount": "500"})
    assert response.status_code == 400  # more than decided
    response = client.post(reverse("mandate:spend", args=[decision.pk]), {"amount": "120.50"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.spent == Decimal("120.50")


def test_need_to_know_on_the_case_forms(client, mandate):
    w = mandate
    decision = record(w, "600")
    urls = [
        (decide_url(w), {"measure": w.waive.pk, "value": "10", **TEXTS}),
        (reverse("mandate:reply", args=[decision.pk]), {"reason": "x"}),
        (reverse("mandate:withdraw", args=[decision.pk]), {"reason": "x"}),
        (reverse("mandate:spend", args=[decision.pk]), {"amount": "1"}),
    ]
    for outsider in (w.pro_s, w.mgr_s, w.colleague, w.admin, w.privacy, w.board):
        client.force_login(outsider)
        for url, data in urls:
            assert client.post(url, data).status_code == 404, (outsider.username, url)
    client.force_login(w.pro_n)
    assert client.post(reverse("mandate:withdraw", args=[999999]), {"reason": "x"}).status_code == 404
    assert Decision.objects.get().status == "pending"


def test_the_manager_of_the_case_may_not_withdraw_the_directors_request(client, mandate):
    w = mandate
    decision = record(w, "600")
    client.force_login(w.mgr_n)
    assert client.post(reverse("mandate:withdraw", args=[decision.pk]), {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("n", [1, 6])
def test_case_page_with_decisions_query_count_does_not_grow(client, mandate, n, django_assert_max_num_queries):
    w = mandate
    for i in range(n):
        d = record(w, "600" if i % 2 else "100")
        if i % 2:
            services.decision_answer(decision=d, answer="question", reason="Waarom?", by=w.mgr_n)
    record(w, "50", measure=w.clean)
    client.force_login(w.pro_n)
    client.get(w.case.get_absolute_url())
    with django_assert_max_num_queries(45):
        response = client.get(w.case.get_absolute_url())
    assert len(response.context["decisions"]) == n + 1


# -- approvals ------------------------------------------------------------------------------


def test_the_manager_approves_on_the_approvals_page(client, mandate):
    w = mandate
    decision = record(w, "800")
    client.force_login(w.mgr_n)
    page = client.get(reverse("mandate:approvals"))
    assert page.status_code == 200
    html = page.content.decode()
    assert TEXTS["justification"] in html
    assert [d.pk for d in page.context["rows"]] == [decision.pk]
    assert page.context["rows"][0].age_days == 0
    # No reason: the field's error, nothing changes.
    response = client.post(reverse("mandate:answer", args=[decision.pk]), {"answer": "approve", "reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["rows"][0].answer_form.errors
    decision.refresh_from_db()
    assert decision.status == "pending"
    response = client.post(reverse("mandate:answer", args=[decision.pk]), {"answer": "approve", "reason": "Akkoord."})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "effective"
    assert Action.objects.filter(case=w.case, department="collections").exists()
    assert "Approved; the decision is in effect." in client.get(response.url).content.decode()


def test_the_manager_escalates_and_the_board_answers(client, mandate):
    w = mandate
    decision = record(w, "800")
    client.force_login(w.mgr_n)
    client.post(reverse("mandate:answer", args=[decision.pk]), {"answer": "escalate", "reason": "Groot bedrag."})
    decision.refresh_from_db()
    assert decision.required_level == "board"
    client.force_login(w.board)
    page = client.get(reverse("mandate:approvals"))
    assert [d.pk for d in page.context["rows"]] == [decision.pk]
    html = page.content.decode()
    assert w.hh_n.name not in html  # the board reads the request, not the household
    assert 'value="escalate"' not in html
    response = client.post(reverse("mandate:answer", args=[decision.pk]), {"answer": "decline", "reason": "Nee."})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "declined"


def test_approvals_need_to_know(client, mandate):
    w = mandate
    decision = record(w, "800")
    for user in (w.pro_n, w.colleague, w.admin, w.privacy):
        client.force_login(user)
        assert client.get(reverse("mandate:approvals")).status_code == 404
        assert (
            client.post(reverse("mandate:answer", args=[decision.pk]), {"answer": "approve", "reason": "x"}).status_code
            == 404
        )
    # The other team's manager and the board (it is not theirs yet) don't see it nor answer it.
    for user in (w.mgr_s, w.board):
        client.force_login(user)
        assert client.get(reverse("mandate:approvals")).context["rows"] == []
        assert (
            client.post(reverse("mandate:answer", args=[decision.pk]), {"answer": "approve", "reason": "x"}).status_code
            == 404
        )
    decision.refresh_from_db()
    assert decision.status == "pending"


@pytest.mark.parametrize("n", [1, 6])
def test_approvals_query_count_does_not_grow(client, mandate, n, django_assert_max_num_queries):
    w = mandate
    for _ in range(n):
        d = record(w, "800")
        services.decision_answer(decision=d, answer="question", reason="Waarom?", by=w.mgr_n)
        services.decision_answer(decision=d, answer="reply", reason="Daarom.", by=w.pro_n)
    client.force_login(w.mgr_n)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("mandate:approvals"))
    assert len(response.context["rows"]) == n


# -- the overview ---------------------------------------------------------------------------


def test_overview_for_managers_and_the_board(client, mandate):
    w = mandate
    record(w, "100", measure=w.clean)
    record(w, "800")
    for user in (w.pro_n, w.colleague, w.admin, w.privacy):
        client.force_login(user)
        assert client.get(reverse("mandate:overview")).status_code == 404
    for user in (w.mgr_n, w.board):
        client.force_login(user)
        response = client.get(reverse("mandate:overview"))
        assert response.status_code == 200
    client.force_login(w.mgr_n)
    html = client.get(reverse("mandate:overview")).content.decode()
    assert "Incassokosten kwijtschelden" in html
    assert "Team Noord" in html
    response = client.get(reverse("mandate:overview"), {"start": "2026-12-31", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "end" in response.context["form"].errors


@pytest.mark.parametrize("n", [1, 6])
def test_overview_query_count_does_not_grow(client, mandate, n, django_assert_max_num_queries):
    w = mandate
    for i in range(n):
        record(w, "800" if i % 2 else "100", by=w.pro_n if i % 3 else w.mgr_n)
        record(w, "50", measure=w.clean)
    client.force_login(w.mgr_n)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("mandate:overview")).status_code == 200


# -- Beheer ---------------------------------------------------------------------------------


def admin_urls(w):
    budget = w.team_n.budgets.get()
    return [
        reverse("mandate:admin"),
        reverse("mandate:measure_new"),
        reverse("mandate:measure_edit", args=[w.waive.pk]),
        reverse("mandate:limits"),
        reverse("mandate:budget_new"),
        reverse("mandate:budget_edit", args=[budget.pk]),
    ]


def test_beheer_is_for_the_administrator_only(client, mandate):
    w = mandate
    for user in (w.pro_n, w.mgr_n, w.board, w.colleague, w.privacy):
        client.force_login(user)
        for url in admin_urls(w):
            assert client.get(url).status_code == 404, (user.username, url)
            assert client.post(url, {}).status_code == 404, (user.username, url)
    client.force_login(w.admin)
    for url in admin_urls(w):
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("mandate:admin")).content.decode()
    assert "Incassokosten kwijtschelden" in html and "Eerste versie" in html


def test_beheer_creates_and_deactivates_a_measure(client, mandate):
    w = mandate
    client.force_login(w.admin)
    response = client.post(reverse("mandate:measure_new"), {"code": "", "name": "", "parameter": "amount"})
    assert response.status_code == 400
    assert {"code", "name"} <= set(response.context["form"].errors)
    data = {
        "code": "ontruiming-opschorten",
        "name": "Ontruiming opschorten",
        "parameter": "date",
        "department": "legal",
        "deviates_from_procedure": "on",
        "is_active": "on",
    }
    assert client.post(reverse("mandate:measure_new"), data).status_code == 302
    measure = Measure.objects.get(code="ontruiming-opschorten")
    assert (measure.parameter, measure.department, measure.deviates_from_procedure) == ("date", "legal", True)
    data.pop("is_active")
    assert client.post(reverse("mandate:measure_edit", args=[measure.pk]), data).status_code == 302
    measure.refresh_from_db()
    assert measure.is_active is False


def test_beheer_changes_the_limits_as_a_new_version(client, mandate):
    w = mandate
    client.force_login(w.admin)
    url = reverse("mandate:limits")
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data["note"] = ""
    # Up to without a figure, and no note: field errors.
    data[f"mode_{w.clean.pk}_professional"] = "upto"
    data[f"value_{w.clean.pk}_professional"] = ""
    response = client.post(url, data)
    assert response.status_code == 400
    assert {"note", f"value_{w.clean.pk}_professional"} <= set(response.context["form"].errors)
    # Nothing changed: said so.
    data[f"value_{w.clean.pk}_professional"] = "500"
    data["note"] = "Niets"
    response = client.post(url, data)
    assert response.status_code == 400
    data[f"value_{w.waive.pk}_professional"] = "300"
    data["note"] = "Professional mag iets meer"
    response = client.post(url, data)
    assert response.status_code == 302
    newest = LimitsVersion.objects.order_by("-version").first()
    assert (newest.version, newest.note) == (2, "Professional mag iets meer")
    limits = {(lim.measure_id, lim.level): lim.max_value for lim in newest.limits.all()}
    assert limits[(w.waive.pk, "professional")] == Decimal("300")
    assert limits[(w.clean.pk, "manager")] is None
    assert (w.clean.pk, "board") not in limits


def test_beheer_budgets(client, mandate):
    w = mandate
    client.force_login(w.admin)
    year = timezone.localdate().year
    response = client.post(reverse("mandate:budget_new"), {"team": w.team_n.pk, "year": year, "amount": "10"})
    assert response.status_code == 400  # the team has one for this year
    assert "year" in response.context["form"].errors
    response = client.post(reverse("mandate:budget_new"), {"team": w.team_s.pk, "year": year, "amount": "2500"})
    assert response.status_code == 302
    budget = w.team_s.budgets.get()
    assert budget.amount == Decimal("2500")
    response = client.post(reverse("mandate:budget_edit", args=[budget.pk]), {"amount": "3000"})
    assert response.status_code == 302
    budget.refresh_from_db()
    assert (budget.amount, budget.year, budget.team) == (Decimal("3000"), year, w.team_s)
