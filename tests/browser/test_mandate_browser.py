"""Room to act in a real browser: the director waives collection costs above his limit, the form
sends it for approval; the manager approves it on the approvals page; a collections colleague
finds the action on his department's worklist."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from regie.mandate import services
from regie.mandate.models import Decision
from tests.browser.conftest import BROWSER
from tests.factories import UserFactory, open_case

pytestmark = BROWSER
expect = pytest.importorskip("playwright.sync_api").expect

JUSTIFICATION = "Anna betaalt sinds drie maanden op tijd; de incassokosten maken de regeling onhaalbaar."


def log_out(page):
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/inloggen/"))


def test_decision_beyond_the_mandate_is_approved_and_reaches_collections(page, login, town):
    admin = UserFactory(username="fb", role="admin")
    incasso = UserFactory(
        username="incasso", first_name="Ivo", last_name="Incasso", role="department", department="collections"
    )
    services.measure_save(
        by=admin,
        code="kwijtschelden-incassokosten",
        name="Incassokosten kwijtschelden",
        parameter="amount",
        department="collections",
        deviates_from_procedure=True,
    )
    services.limits_update(
        changes={
            ("kwijtschelden-incassokosten", "professional"): Decimal("250"),
            ("kwijtschelden-incassokosten", "manager"): Decimal("1000"),
        },
        by=admin,
        note="Eerste versie",
    )
    services.budget_set(team=town.team, year=timezone.localdate().year, amount=Decimal("5000"), by=admin)
    case = open_case(household=town.hh, director=town.pro, status="intake")

    # -- the director records the decision: beyond his limit ----------------------------------
    login(town.pro)
    page.goto(case.get_absolute_url())
    side = page.get_by_role("complementary").locator("section", has=page.locator("#decide-h"))
    side.get_by_role("link", name="Record a decision").click()
    side = page.get_by_role("main")
    side.locator("summary").filter(has_text="Who decides what alone").click()
    limits = side.get_by_role("table", name=re.compile("Limits per level, version 1"))
    row = limits.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Incassokosten kwijtschelden"))
    expect(row.get_by_role("cell").nth(0)).to_have_text(re.compile(r"up to € 250"))
    expect(limits.get_by_role("columnheader", name=re.compile(r"^Professional.*\(you\)"))).to_be_visible()
    form = side.locator("form")
    form.get_by_label("Measure").select_option(label="Incassokosten kwijtschelden (An amount (euros))")
    form.get_by_label("Amount or number of months").fill("400")
    form.get_by_label("The problem it solves").fill("De incassokosten blokkeren een haalbare regeling.")
    form.get_by_label("Justification").fill(JUSTIFICATION)
    form.get_by_label("The standard procedure it departs from").fill("Incassoprocedure: kosten altijd innen")
    form.get_by_label("Expected effect").fill("Anna lost de achterstand in tien maanden af.")
    form.get_by_role("button", name="Record decision").click()

    expect(page.get_by_role("status").filter(has_text="sent for approval to: Manager")).to_be_visible()
    decision = Decision.objects.get(case=case)
    assert (decision.status, decision.required_level, decision.value) == ("pending", "manager", Decimal("400"))
    article = page.get_by_role("article", name=re.compile("Incassokosten kwijtschelden"))
    expect(article.locator(".badge")).to_have_text("Waiting for approval")
    log_out(page)

    # -- the manager approves it on /mandaat/akkoord/ -----------------------------------------
    login(town.mgr)
    page.goto("/mandaat/akkoord/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Approvals")
    request = page.get_by_role("article", name=re.compile("Incassokosten kwijtschelden"))
    expect(request).to_contain_text(JUSTIFICATION)
    expect(request).to_contain_text("0 days")
    request.get_by_role("group", name=re.compile("Your answer")).get_by_label("Approve").check()
    request.get_by_label("Reason").fill("Goed onderbouwd; akkoord.")
    request.get_by_role("button", name=re.compile("Send answer")).click()
    expect(page.get_by_role("status").filter(has_text="Approved; the decision is in effect.")).to_be_visible()
    expect(page.get_by_text("Nothing waits for your approval.")).to_be_visible()
    decision.refresh_from_db()
    assert decision.status == "effective"
    log_out(page)

    # -- the collections colleague finds the action on his worklist ---------------------------
    login(incasso)
    page.goto("/plan/werk/")
    work_row = page.get_by_role("table").get_by_role("row").filter(has_text="Incassokosten kwijtschelden")
    expect(work_row).to_contain_text("Lindelaan 12")
    expect(work_row.get_by_role("link", name=re.compile("Incassokosten kwijtschelden"))).to_be_visible()
    assert JUSTIFICATION not in page.content()
