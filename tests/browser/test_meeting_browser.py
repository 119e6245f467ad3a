"""A team meeting in a real browser, from agenda to minutes: a professional puts a case forward with
his question; the chair plans the weekly case review and finds the case on the drafted agenda with
a stale case; he reorders, adds an item, starts the meeting, records the advice and a follow-up
action, closes it, and the minutes open as a PDF for an attendee, not for a colleague who was not
there."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from regie.cases.models import EntryKind, TimelineEntry
from regie.meetings import services
from regie.meetings.models import AgendaItem, Kind, Meeting
from regie.plans.models import Action
from tests.browser.conftest import BROWSER
from tests.factories import UserFactory, open_case
from tests.test_meetings import back, local

pytestmark = BROWSER
expect = pytest.importorskip("playwright.sync_api").expect

QUESTION = "Anna wil een tweedekanscontract; zien jullie dat zitten?"
ADVICE = "Eerst drie maanden budgetcoaching, dan opnieuw bekijken."


def test_meeting_from_agenda_to_minutes(page, force_login, town, context, live_server):
    services.rhythm_save(
        team=town.team, kind=Kind.CASE_REVIEW, weekday=1, at=time(10), no_progress_days=14, by=town.mgr
    )
    asked = open_case(household=town.hh, director=town.pro)
    stale = open_case(household=town.other, director=town.pro2)
    back(stale, local(timezone.localdate() - timedelta(days=30)))

    # -- the director puts Anna's case forward (through the put-forward route) ------------------
    force_login(town.pro)
    services.question_put_forward(case=asked, question=QUESTION, by=town.pro)

    # -- the chair plans the case review -------------------------------------------------------
    page.goto("/overleg/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Team meetings")
    page.get_by_role("link", name="Plan a meeting").click()
    form = page.locator("main form")
    form.get_by_label("Kind of meeting").select_option("review")
    start = (timezone.localtime() + timedelta(hours=1)).replace(second=0, microsecond=0)
    form.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Chair").select_option(label="Petra Prins")
    form.get_by_role("group", name=re.compile("^Attendees")).get_by_label("Mila Meijer").uncheck()
    form.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_role("status").filter(has_text="Meeting planned")).to_be_visible()
    meeting = Meeting.objects.get()
    expect(page).to_have_url(re.compile(rf"/overleg/{meeting.pk}/$"))

    agenda = page.locator("section", has=page.locator("#agenda-h"))
    articles = agenda.get_by_role("article")
    expect(articles).to_have_count(2)
    expect(articles.nth(0).get_by_role("heading", level=3)).to_contain_text(f"#{asked.pk} Jansen")
    expect(articles.nth(0)).to_contain_text(QUESTION)
    expect(articles.nth(1).get_by_role("heading", level=3)).to_contain_text(f"#{stale.pk} Pietersen")
    expect(articles.nth(1)).to_contain_text("No progress")

    # Reorder: the stale case first; then add an item.
    articles.nth(1).get_by_role("button", name=re.compile("^Up")).click()
    expect(articles.nth(0).get_by_role("heading", level=3)).to_contain_text(f"#{stale.pk} Pietersen")
    add = page.locator("section", has=page.locator("#add-h"))
    add.get_by_label("Item", exact=True).fill("Werkdruk in het team")
    add.get_by_role("button", name="Add to the agenda").click()
    expect(articles).to_have_count(3)
    expect(articles.nth(2)).to_contain_text("Werkdruk in het team")
    articles.nth(2).get_by_role("button", name=re.compile("^Remove")).click()
    expect(articles).to_have_count(2)

    # -- the meeting ----------------------------------------------------------------------------
    page.get_by_role("button", name="Start the meeting").click()
    expect(page.get_by_role("status").filter(has_text="The meeting has started")).to_be_visible()
    anna = articles.filter(has=page.get_by_role("heading", name=re.compile(f"#{asked.pk} Jansen")))
    anna.get_by_label("Advice of the team").fill(ADVICE)
    anna.get_by_label("Decided").fill("Geen tweedekanscontract nu.")
    anna.get_by_role("button", name=re.compile("^Save the record")).click()
    expect(page.get_by_role("status").filter(has_text="Recorded")).to_be_visible()
    expect(anna.locator("dl.record")).to_contain_text(ADVICE)

    anna.locator("summary").filter(has_text="Add a follow-up action").click()
    anna.get_by_label("Follow-up action").fill("Aanmelden bij budgetcoaching")
    anna.get_by_label("Who").select_option("director")
    anna.get_by_role("button", name=re.compile("^Add to the plan")).click()
    expect(page.get_by_role("status").filter(has_text="Follow-up action added")).to_be_visible()
    expect(anna).to_contain_text("Aanmelden bij budgetcoaching")

    close = page.locator("section", has=page.locator("#close-h"))
    close.get_by_label("General notes").fill("Volgende keer de wachtlijst schuldhulp.")
    close.get_by_role("button", name="Close the meeting").click()
    expect(page.get_by_role("status").filter(has_text="Meeting closed")).to_be_visible()
    expect(page.get_by_role("link", name="Minutes (PDF)")).to_be_visible()

    assert Action.objects.get(case=asked).goal.text == "Afspraak uit werkoverleg"
    entry = TimelineEntry.objects.get(case=asked, kind=EntryKind.MEETING, data__change="record")
    assert entry.data["meeting"] == meeting.pk and ADVICE in entry.text
    assert list(AgendaItem.objects.filter(meeting=meeting, removed=False).values_list("case", flat=True)) == [
        stale.pk,
        asked.pk,
    ]

    # -- the minutes: for the attendee Karim, not for a colleague who was not there -----------
    context.clear_cookies()
    force_login(town.pro2)
    response = page.request.get(f"/overleg/{meeting.pk}/verslag.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    outsider = UserFactory(username="pro3", role="professional", teams=[town.team])
    context.clear_cookies()
    force_login(outsider)
    assert page.request.get(f"/overleg/{meeting.pk}/verslag.pdf").status == 404
    page.goto(f"/overleg/{meeting.pk}/")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Case review")

    assert not page.watch.csp_violations, page.watch.csp_violations
    assert not page.watch.page_errors, page.watch.page_errors
