"""The issue's journey in a real browser: log in, find a household, open a case, record a
contact, move the case on, and close it with an outcome."""

import re
from datetime import timedelta

import pytest
from django.utils import formats, timezone, translation

from regie.cases.models import Case, Contact
from tests.browser.conftest import BROWSER
from tests.factories import open_case

pytestmark = BROWSER
expect = pytest.importorskip("playwright.sync_api").expect


def status_panel(page):
    return page.get_by_role("complementary").locator("section", has=page.locator("#status-h"))


def test_journey_from_login_to_intake(page, login, town):
    login(town.pro)
    # A professional lands on his caseload; it is empty and says what to do.
    expect(page).to_have_url(re.compile(r"/casussen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    expect(page.get_by_text("No open cases here.")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My caseload").click()
    expect(page.get_by_role("link", name="My caseload")).to_have_attribute("aria-current", "page")

    # Search through the top bar: the query goes by POST, never into the URL.
    topbar = page.get_by_role("banner").get_by_role("search")
    topbar.get_by_role("searchbox", name="Find a household").fill("Jansen")
    topbar.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a household")
    expect(page.get_by_text("1 household found")).to_be_visible()
    assert "Jansen" not in page.url
    page.get_by_role("table").get_by_role("link", name="Jansen").click()

    # The household page, and its form to open a case.
    expect(page.get_by_role("heading", level=1)).to_have_text("Household Jansen")
    expect(page.get_by_role("cell", name="Anna Jansen")).to_be_visible()
    opener = page.get_by_role("complementary").locator("section", has=page.locator("#open-h"))
    opener.get_by_label("The tenant's question").fill("Ik wil mijn schulden op orde en rust in huis.")
    opener.get_by_label("Start at").select_option("signalled")
    opener.get_by_label("Director").select_option(str(town.pro.pk))
    opener.get_by_role("button", name="Open case").click()

    # The case page.
    case = Case.objects.get(household=town.hh)
    expect(page).to_have_url(re.compile(rf"/casussen/{case.pk}/$"))
    expect(page.get_by_role("status").filter(has_text="Case opened")).to_be_visible()
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_contain_text("Jansen")
    expect(h1.locator(".badge")).to_have_text("Signalled")
    expect(page.get_by_role("blockquote")).to_contain_text("rust in huis")

    # Record a contact through the details panel.
    panel = page.locator("#contact-panel")
    contact_form = panel.locator("form")
    expect(contact_form).to_be_hidden()
    panel.locator("summary").filter(has_text=re.compile("Record a contact|Contactmoment vastleggen")).click()
    expect(contact_form).to_be_visible()
    at = timezone.localtime(timezone.now() - timedelta(hours=3)).replace(second=0, microsecond=0)
    contact_form.get_by_label("Date and time").fill(at.strftime("%Y-%m-%dT%H:%M"))
    contact_form.get_by_label("Channel").select_option(label="Phone")
    contact_form.get_by_role("group", name="Household members present").get_by_label("Anna Jansen").check()
    contact_form.get_by_label("Summary").fill("Gebeld met Anna over de huurachterstand; huisbezoek afgesproken.")
    contact_form.get_by_role("button", name="Save contact").click()

    expect(page.get_by_role("status").filter(has_text="Contact recorded")).to_be_visible()
    entry = page.locator("ol.timeline > li.contact")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("huisbezoek afgesproken")
    expect(entry).to_contain_text("Present: Anna Jansen")
    with translation.override("en"):  # the page's language in this test: shown as Django formats it
        expect(entry).to_contain_text(formats.date_format(at, "SHORT_DATETIME_FORMAT"))

    # Move the case on: signalled → intake.
    status = status_panel(page)
    status.get_by_label("New status").select_option("intake")
    expect(status.locator("#closing-fields")).to_be_hidden()
    status.get_by_label("Note").fill("Intake gepland.")
    status.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status").filter(has_text="Status changed")).to_be_visible()
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("Intake")

    # The database agrees with what the page shows.
    case.refresh_from_db()
    assert (case.status, case.director, case.question) == (
        "intake",
        town.pro,
        "Ik wil mijn schulden op orde en rust in huis.",
    )
    contact = Contact.objects.get(case=case)
    assert contact.channel == "TEL"
    assert contact.at == at
    assert contact.summary.startswith("Gebeld met Anna")
    assert list(contact.persons.all()) == [town.anna]
    assert contact.by == town.pro


def test_closing_needs_an_outcome(page, login, town):
    case = open_case(household=town.hh, director=town.pro, status="intake")
    login(town.pro)
    page.goto(case.get_absolute_url())
    status = status_panel(page)
    closing = status.locator("#closing-fields")
    outcome = status.get_by_label("Outcome", exact=True)

    # regie.js shows the outcome fields only while "closed" is chosen.
    expect(closing).to_be_hidden()
    status.get_by_label("New status").select_option("closed")
    expect(closing).to_be_visible()
    expect(outcome).to_be_visible()
    status.get_by_label("New status").select_option("plan")
    expect(closing).to_be_hidden()
    status.get_by_label("New status").select_option("closed")

    # Without an outcome: the error at the field and in a focused summary that links to it.
    status.get_by_role("button", name="Change status").click()
    status = status_panel(page)
    summary = status.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_outcome")
    outcome = status.get_by_label("Outcome", exact=True)
    expect(outcome).to_have_attribute("aria-invalid", "true")
    expect(outcome).to_have_accessible_description("Choose the outcome to close the case.")
    expect(status.get_by_label("New status")).to_have_value("closed")
    expect(status.locator("#closing-fields")).to_be_visible()
    case.refresh_from_db()
    assert case.status == "intake"

    # With an outcome: closed.
    status.get_by_label("Outcome", exact=True).select_option("declined")
    status.get_by_label("Explanation of the outcome").fill("Huurder wil geen hulp.")
    status.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status").filter(has_text="Status changed")).to_be_visible()
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("Closed")
    expect(page.get_by_role("button", name="Re-open case")).to_be_visible()
    case.refresh_from_db()
    assert (case.status, case.outcome, case.outcome_note) == ("closed", "declined", "Huurder wil geen hulp.")
    assert case.closed_at is not None


@pytest.mark.parametrize("language", [None], ids=["no-language-cookie"])
def test_default_language_is_dutch_and_can_be_switched(page, live_server, language):
    page.goto("/inloggen/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    # The language switch submits itself on change (regie.js); its button is hidden then.
    expect(page.get_by_role("button", name=re.compile("Switch|Wissel"))).to_be_hidden()
    page.get_by_label(re.compile("Language|Taal")).select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/inloggen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Regie")
