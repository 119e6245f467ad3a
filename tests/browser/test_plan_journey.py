"""The plan and the network in a real browser: the director assesses the household on the 13 ZRM
domains, agrees a goal and asks the maintenance department for an action; a maintenance colleague
finds it on his worklist (address and how to reach the household, not the case), accepts it,
reports progress and completes it; the director sees it done, records Anna's consent for a debt
counselling partner and refers the household there, and a referral without consent is refused."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from regie.network.models import Consent, Organisation, Referral, ReferralEvent
from regie.plans.models import Action, ActionUpdate, Assessment, Goal, ZrmDomain
from tests.browser.conftest import BROWSER
from tests.factories import UserFactory, open_case

pytestmark = BROWSER
expect = pytest.importorskip("playwright.sync_api").expect

QUESTION = "Ik wil van de deurwaarders af en weer rust in huis."
GOAL = "Ik wil mijn schulden op een rij en elke maand de huur kunnen betalen."
WHAT = "Cv-ketel vervangen: Anna stookt met elektrische kacheltjes en de energierekening loopt op."
PROGRESS = "Monteur ingepland voor donderdag; Anna is thuis."
OUTCOME = "Nieuwe cv-ketel geplaatst en getest; de kacheltjes zijn weg."
# Scores per domain: finances acute-ish, the rest in between.
SCORES = {
    "finances": 2,
    "work": 3,
    "time_use": 3,
    "housing": 3,
    "domestic": 4,
    "mental": 3,
    "physical": 4,
    "substance": 5,
    "basic_adl": 5,
    "instr_adl": 4,
    "network": 2,
    "participation": 3,
    "justice": 5,
}


def side_section(page, heading_id):
    return page.get_by_role("complementary").locator("section", has=page.locator(f"#{heading_id}"))


def plan_section(page):
    return page.locator("section", has=page.locator("#plan-h"))


def network_section(page):
    return page.locator("section#network")


def log_out(page):
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/inloggen/"))


def test_plan_and_network_journey(page, login, town):
    case = open_case(household=town.hh, director=town.pro, question=QUESTION, status="intake")
    town.anna.phone = "06 1234 5678"
    town.anna.save(update_fields=["phone"])
    maintenance = UserFactory(
        username="onderhoud",
        first_name="Olaf",
        last_name="Onderhoud",
        role="department",
        department="maintenance",
        teams=[town.team],
    )
    debt = Organisation.objects.create(
        kind="partner",
        partner_type="debt",
        name="Schuldhulp Noord",
        services="Schuldhulpverlening en budgetbeheer",
        expected_response_days=10,
        data_sharing_agreement=True,
    )
    budget = Organisation.objects.create(kind="partner", partner_type="budget", name="Budgetcoach Zuid")
    today = timezone.localdate()

    # -- the director assesses the household on the 13 domains (intake) ----------------------
    login(town.pro)
    page.goto(case.get_absolute_url())
    expect(plan_section(page)).to_contain_text("Not assessed yet.")
    plan_section(page).get_by_role("link", name="Assess self-sufficiency").click()
    expect(page).to_have_url(re.compile(rf"/plan/casus/{case.pk}/zelfredzaamheid/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess self-sufficiency")
    form = page.locator("main form")
    expect(form.get_by_label("Moment")).to_have_value("intake")
    expect(form.get_by_label("Assessed on")).to_have_value(today.isoformat())
    with translation.override("en"):
        labels = {d.value: str(d.label) for d in ZrmDomain}
    assert len(labels) == 13
    for code, score in SCORES.items():
        form.get_by_label(labels[code], exact=True).select_option(str(score))
    form.get_by_label("Note on Finances").fill("Huurachterstand en drie schuldeisers.")
    form.get_by_label("Overall note").fill("Intake bij Anna thuis.")
    form.get_by_role("button", name="Save assessment").click()

    expect(page).to_have_url(re.compile(rf"/casussen/{case.pk}/#plan-h$"))
    expect(page.get_by_role("status").filter(has_text="Assessment saved")).to_be_visible()
    zrm = plan_section(page).get_by_role("table", name="Scores per domain and the change since intake")
    expect(zrm.get_by_role("columnheader", name=re.compile("^Intake"))).to_be_visible()
    for code, score in SCORES.items():
        row = zrm.get_by_role("row").filter(has=page.get_by_role("rowheader", name=labels[code], exact=True))
        expect(row.get_by_role("cell").first).to_have_text(str(score))
    expect(plan_section(page).locator("figure.chart")).to_be_visible()

    assessment = Assessment.objects.get(case=case)
    assert (assessment.moment, assessment.by, assessment.assessed_on, assessment.note) == (
        "intake",
        town.pro,
        today,
        "Intake bij Anna thuis.",
    )
    assert {s.domain: s.score for s in assessment.scores.all()} == SCORES
    assert assessment.scores.get(domain="finances").note == "Huurachterstand en drie schuldeisers."

    # -- a goal in the tenant's words, on finances ---------------------------------------------
    plan_side = side_section(page, "plan-side-h")
    goal_form = plan_side.locator("form", has=page.get_by_role("button", name="Save goal"))
    expect(goal_form).to_be_hidden()
    expect(plan_side.get_by_text("Add an action")).to_have_count(0)  # no goal yet, no action form
    plan_side.locator("summary").filter(has_text="Add a goal").click()
    expect(goal_form).to_be_visible()
    goal_form.get_by_label("Life domain").select_option("finances")
    goal_form.get_by_label("Goal").fill(GOAL)
    expect(goal_form.get_by_label("Goal")).to_have_accessible_description("In the tenant's own words where possible.")
    target = today + timedelta(days=90)
    goal_form.get_by_label("Target date").fill(target.isoformat())
    goal_form.get_by_role("button", name="Save goal").click()

    expect(page.get_by_role("status").filter(has_text="Goal added")).to_be_visible()
    goal = Goal.objects.get(case=case)
    assert (goal.domain, goal.text, goal.target_date, goal.status, goal.created_by) == (
        "finances",
        GOAL,
        target,
        "open",
        town.pro,
    )
    article = plan_section(page).get_by_role("article", name=re.compile("Ik wil mijn schulden"))
    expect(article.get_by_role("heading", level=4)).to_have_text(f"Finances {GOAL}")
    expect(article).to_contain_text("Status: Open")
    expect(article).to_contain_text("No actions yet.")

    # -- an action for the maintenance department under it ------------------------------------
    plan_side = side_section(page, "plan-side-h")
    action_form = plan_side.locator("form", has=page.get_by_role("button", name="Save action"))
    plan_side.locator("summary").filter(has_text="Add an action").click()
    expect(action_form).to_be_visible()
    action_form.get_by_label("Goal").select_option(str(goal.pk))
    action_form.get_by_label("What").fill(WHAT)
    action_form.get_by_label("Who").select_option("department")
    action_form.get_by_label("Department").select_option("maintenance")
    due = today + timedelta(days=7)
    action_form.get_by_label("By when").fill(due.isoformat())
    action_form.get_by_role("button", name="Save action").click()

    expect(page.get_by_role("status").filter(has_text="Action added")).to_be_visible()
    action = Action.objects.get(case=case)
    assert (action.goal, action.who, action.department, action.due, action.status, action.assignee) == (
        goal,
        "department",
        "maintenance",
        due,
        "open",
        None,
    )
    row = plan_section(page).get_by_role("row").filter(has=page.get_by_role("link", name=WHAT))
    expect(row.get_by_role("cell").nth(1)).to_have_text("Maintenance")
    expect(row.locator(".badge")).to_have_text("Open")
    log_out(page)

    # -- the maintenance colleague: his worklist, without the case ----------------------------
    login(maintenance)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Worklist").click()
    expect(page).to_have_url(re.compile(r"/plan/werk/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist Maintenance")
    expect(page.get_by_role("status").filter(has_text="1 open action")).to_be_visible()
    work_row = page.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("link", name=WHAT))
    expect(work_row).to_contain_text("Lindelaan 12, 1234 AB Teststad")
    expect(work_row).to_contain_text("Anna Jansen · 06 1234 5678")
    expect(work_row.get_by_role("link", name="06 1234 5678")).to_have_attribute("href", "tel:06 1234 5678")
    expect(work_row).not_to_contain_text("Bram")  # a child is no contact for the department
    expect(work_row.locator(".badge")).to_have_text("Open")
    # The department sees what to do and where, not the tenant's question nor the plan behind it.
    expect(page.get_by_text(QUESTION)).to_have_count(0)
    assert QUESTION not in page.content()
    assert GOAL not in page.content()

    work_row.get_by_role("link", name=WHAT).click()
    expect(page).to_have_url(re.compile(rf"/plan/werk/{action.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(WHAT[:79] + "…")
    expect(page.get_by_role("region", name="What is asked")).to_contain_text(WHAT)
    expect(page.get_by_role("region", name="Reach the household")).to_contain_text("Anna Jansen · 06 1234 5678")
    expect(page.locator("dl.facts")).to_contain_text("Lindelaan 12, 1234 AB Teststad")
    assert QUESTION not in page.content()
    assert GOAL not in page.content()
    assert "Huurachterstand" not in page.content()

    # Accept it.
    work = page.get_by_role("complementary", name="Work on the action")
    expect(work.get_by_role("region", name="Report progress")).to_have_count(0)
    work.get_by_role("button", name="Accept this action").click()
    expect(page.get_by_role("status").filter(has_text="Action accepted; it is yours now.")).to_be_visible()
    expect(page.locator("dl.facts .badge")).to_have_text("In progress")
    expect(page.locator("dl.facts")).to_contain_text("Olaf Onderhoud")
    action.refresh_from_db()
    assert (action.status, action.assignee) == ("in_progress", maintenance)
    assert action.accepted_at is not None

    # Report progress.
    work = page.get_by_role("complementary", name="Work on the action")
    expect(work.get_by_role("button", name="Accept this action")).to_have_count(0)
    progress = work.get_by_role("region", name="Report progress")
    progress.get_by_label("Progress").fill(PROGRESS)
    progress.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Progress recorded")).to_be_visible()
    expect(page.locator("ol.timeline")).to_contain_text(PROGRESS)
    assert ActionUpdate.objects.filter(action=action, by=maintenance, text=PROGRESS).exists()

    # Complete it with its outcome.
    complete = page.get_by_role("complementary", name="Work on the action").get_by_role("region", name="Complete")
    expect(complete.get_by_label("Outcome")).to_have_accessible_description(
        "What was done, and is the matter solved for good?"
    )
    complete.get_by_label("Outcome").fill(OUTCOME)
    complete.get_by_role("button", name="Complete the action").click()
    expect(page).to_have_url(re.compile(r"/plan/werk/$"))
    expect(page.get_by_role("status").filter(has_text="Action completed")).to_be_visible()
    expect(page.get_by_text("No open actions for your department.")).to_be_visible()
    action.refresh_from_db()
    assert (action.status, action.outcome, action.assignee) == ("done", OUTCOME, maintenance)
    assert action.completed_at is not None
    assert list(action.updates.values_list("status", "by")) == [
        ("in_progress", maintenance.pk),
        ("in_progress", maintenance.pk),
        ("done", maintenance.pk),
    ]
    log_out(page)

    # -- back as the director: the action is done ----------------------------------------------
    login(town.pro)
    page.goto(case.get_absolute_url())
    row = plan_section(page).get_by_role("row").filter(has=page.get_by_role("link", name=WHAT))
    expect(row.locator(".badge")).to_have_text("Done")
    expect(row).to_contain_text(f"Outcome: {OUTCOME}")
    expect(row.get_by_role("cell").nth(1)).to_contain_text("Maintenance (Olaf Onderhoud)")

    # -- Anna's consent for Schuldhulp Noord, for finances ------------------------------------
    network_side = side_section(page, "network-side-h")
    expect(network_side).to_contain_text("0 valid consents")
    network_side.get_by_role("link", name="Record consent").click()
    expect(page).to_have_url(re.compile(rf"/netwerk/casus/{case.pk}/toestemming/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record consent")
    form = page.locator("main form")
    form.get_by_label("Who gives consent").select_option(label="Anna Jansen")
    form.get_by_label("Partner", exact=True).select_option(label="Schuldhulp Noord")
    form.get_by_role("group", name=re.compile("^What may be shared")).get_by_label("Finances").check()
    expect(form.get_by_label("Given on")).to_have_value(today.isoformat())
    expect(form.get_by_role("group", name=re.compile("^How")).get_by_label("Written")).to_be_checked()
    form.get_by_role("button", name="Save consent").click()

    expect(page).to_have_url(re.compile(rf"/casussen/{case.pk}/#network-h$"))
    expect(page.get_by_role("status").filter(has_text="Consent recorded")).to_be_visible()
    consents = network_section(page).get_by_role("table", name="Consent")
    consent_row = consents.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Anna Jansen"))
    expect(consent_row).to_contain_text("Schuldhulp Noord")
    expect(consent_row).to_contain_text("Finances")
    expect(consent_row).to_contain_text("valid")
    expect(side_section(page, "network-side-h")).to_contain_text("1 valid consent")
    consent = Consent.objects.get(case=case)
    assert (consent.person, consent.organisation, consent.domains, consent.given_on, consent.form) == (
        town.anna,
        debt,
        ["finances"],
        today,
        "written",
    )
    assert consent.withdrawn_on is None and consent.recorded_by == town.pro

    # -- the referral to Schuldhulp Noord, on that consent -------------------------------------
    side_section(page, "network-side-h").get_by_role("link", name="Refer to a partner").click()
    expect(page).to_have_url(re.compile(rf"/netwerk/casus/{case.pk}/verwijzen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer to a partner")
    form = page.locator("main form")
    form.get_by_label(re.compile("^Partner")).select_option(label="Schuldhulp Noord")
    form.get_by_label("Why").fill("Anna wil hulp bij het ordenen van haar schulden.")
    form.get_by_role("group", name=re.compile("^Life domains the referral is about")).get_by_label("Finances").check()
    form.get_by_label("What you share").fill("Huurachterstand van drie maanden; drie schuldeisers.")
    form.get_by_role("button", name="Send referral").click()

    expect(page).to_have_url(re.compile(rf"/casussen/{case.pk}/#network-h$"))
    expect(page.get_by_role("status").filter(has_text="Referral sent")).to_be_visible()
    expect(page.get_by_role("status")).not_to_contain_text("no data-sharing agreement")
    referrals = network_section(page).get_by_role("table", name="Referrals")
    referral_row = referrals.get_by_role("row").filter(has=page.get_by_role("link", name="Schuldhulp Noord"))
    expect(referral_row.locator(".badge").first).to_have_text("Sent")
    expect(referral_row).to_contain_text("Consent of Anna Jansen")
    expect(referral_row).to_contain_text("Domains: Finances")
    referral = Referral.objects.get(case=case)
    assert (referral.organisation, referral.status, referral.consent, referral.domains, referral.legal_ground) == (
        debt,
        "sent",
        consent,
        ["finances"],
        "",
    )
    assert referral.created_by == town.pro
    assert list(ReferralEvent.objects.filter(referral=referral).values_list("status", flat=True)) == ["sent"]

    # -- a referral to a partner without consent: refused, saying why --------------------------
    side_section(page, "network-side-h").get_by_role("link", name="Refer to a partner").click()
    form = page.locator("main form")
    form.get_by_label(re.compile("^Partner")).select_option(label="Budgetcoach Zuid (no data-sharing agreement)")
    form.get_by_label("Why").fill("Budgetcoaching naast de schuldhulp.")
    form.get_by_role("group", name=re.compile("^Life domains the referral is about")).get_by_label("Finances").check()
    form.get_by_label("What you share").fill("Het maandbudget van Anna.")
    form.get_by_role("button", name="Send referral").click()

    reason = "There is no consent from the household to share with Budgetcoach Zuid."
    expect(page).to_have_url(re.compile(rf"/netwerk/casus/{case.pk}/verwijzen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer to a partner")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(reason)
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_referral_consent")
    consent_field = page.get_by_label("On the basis of consent")
    expect(consent_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_referral_consent_error")).to_contain_text(reason)
    # What was typed is kept.
    expect(page.get_by_label("Why")).to_have_value("Budgetcoaching naast de schuldhulp.")
    assert Referral.objects.filter(case=case).count() == 1
    assert not Referral.objects.filter(organisation=budget).exists()

    assert not page.watch.csp_violations, page.watch.csp_violations
    assert not page.watch.page_errors, page.watch.page_errors
