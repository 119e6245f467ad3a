"""The signal inbox in a real browser: a professional reads why a household is flagged,
dismisses one with a reason and opens a case from another."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from regie.cases.models import Case
from regie.housing.models import ArrearsSnapshot, Event
from regie.signalling.models import Candidate, DetectionRun
from regie.signalling.services import detection_run
from tests.browser.conftest import BROWSER

pytestmark = BROWSER
expect = pytest.importorskip("playwright.sync_api").expect


def flag(tenancy, n):
    today = timezone.localdate()
    ArrearsSnapshot.objects.create(tenancy=tenancy, date=today, balance=tenancy.monthly_rent * Decimal("3"))
    for i, code in enumerate(("ZAAKTYPEDETAILSOORT.GEL", "ZAAKTYPEDETAILSOORT.RUZ")):
        Event.objects.create(
            source="WIJ",
            event_id=f"B{n}-{i}",
            date=today - timedelta(days=10 + i),
            tenancy=tenancy,
            unit=tenancy.unit,
            type=code,
        )


def test_inbox_dismiss_and_open_case(page, force_login, town):
    flag(town.hh, 1)
    flag(town.other, 2)
    detection_run(as_of=timezone.localdate(), trigger=DetectionRun.Trigger.MANUAL)
    force_login(town.pro)
    page.goto("/signalen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signals")
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Jansen")).to_be_visible()
    expect(table.get_by_role("link", name="Pietersen")).to_be_visible()

    # Why Pietersen is flagged; dismissing without a reason is refused, with one it is done.
    table.get_by_role("link", name="Pietersen").click()
    expect(page.get_by_role("heading", name="Why")).to_be_visible()
    expect(page.get_by_text("F1", exact=False).first).to_be_visible()
    expect(page.get_by_role("img")).to_be_visible()
    dismiss = page.get_by_role("complementary").locator("section", has_text="Dismiss")
    dismiss.get_by_label("Reason").fill("Betalingsregeling loopt sinds vorige week")
    dismiss.get_by_role("button", name="Dismiss").click()
    expect(page).to_have_url(re.compile(r"/signalen/$"))
    expect(page.get_by_role("table").get_by_role("link", name="Pietersen")).to_have_count(0)
    assert Candidate.objects.get(tenancy=town.other).status == Candidate.Status.DISMISSED

    # Open a case for Jansen from the inbox: the case page says where it came from.
    page.get_by_role("table").get_by_role("link", name="Jansen").click()
    opener = page.get_by_role("complementary").locator("section", has_text="Open a case")
    opener.get_by_label("The tenant's question").fill("Rust in huis")
    opener.get_by_role("button", name="Open case").click()
    case = Case.objects.get(household=town.hh)
    expect(page).to_have_url(re.compile(rf"/casussen/{case.pk}/$"))
    expect(page.get_by_text("Opened from the signal inbox")).to_be_visible()
    assert not page.watch.csp_violations and not page.watch.page_errors
