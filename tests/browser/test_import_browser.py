"""Import in a real browser: the functional administrator uploads two export files, reads the dry
run (with a bad row named by file, line and column), fixes the file, checks again and confirms."""

import re

import pytest
from django.test import override_settings

from regie.housing.models import AreaDistrict, Tenancy, Unit
from regie.signalling.models import ImportRun
from tests.browser.conftest import BROWSER
from tests.factories import UserFactory

pytestmark = BROWSER
expect = pytest.importorskip("playwright.sync_api").expect

UNITS = (
    "vhe;straat;huisnummer;toevoeging;postcode;woonplaats;wijk\r\n"
    "VHE900001;Dorpsstraat;1;;7341AB;Zandhoven;Bloemenbuurt\r\n"
    "VHE900002;Dorpsstraat;3;A;7341 ab;Zandhoven;Bloemenbuurt\r\n"
)
TENANCIES_BAD = (
    "tenancy_id,unit_id,start_date,end_date,monthly_rent\r\n"
    "HO1,VHE900001,2020-01-01,,712.40\r\n"
    "HO2,VHE900002,2021-06-01,,0\r\n"
)
TENANCIES_OK = TENANCIES_BAD.replace(",0\r\n", ",650.00\r\n")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def choose(page, *files):
    page.get_by_label(re.compile("^Files")).set_input_files(
        [{"name": name, "mimeType": "text/csv", "buffer": text.encode()} for name, text in files]
    )
    page.get_by_role("button", name="Upload and check").click()


@override_settings(TASKS=IMMEDIATE)
def test_upload_dry_run_fix_and_confirm(page, force_login, town, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    AreaDistrict.objects.create(district="Bloemenbuurt", area=town.area)
    force_login(UserFactory(username="fb", role="admin"))
    page.goto("/beheer/import/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The dry run names the bad row and writes nothing.
    choose(page, ("units.csv", UNITS), ("tenancies.csv", TENANCIES_BAD))
    expect(page.get_by_role("heading", name="What will change")).to_be_visible()
    problems = page.locator("section", has=page.get_by_role("heading", name="Problems and warnings"))
    expect(problems).to_contain_text("tenancies.csv")
    expect(problems).to_contain_text("monthly_rent")
    assert not Unit.objects.filter(unit_id__startswith="VHE9").exists()

    # Fixed and checked again: everything new; confirm, and the rows are there.
    page.goto("/beheer/import/")
    choose(page, ("units.csv", UNITS), ("tenancies.csv", TENANCIES_OK))
    counts = page.locator("section", has=page.get_by_role("heading", name="What will change"))
    expect(counts).to_contain_text("units.csv")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("heading", name="What was imported")).to_be_visible()
    assert Tenancy.objects.filter(tenancy_id__in=["HO1", "HO2"]).count() == 2
    assert Unit.objects.get(unit_id="VHE900002").area == town.area
    assert ImportRun.objects.filter(status=ImportRun.Status.DONE).count() == 1
    assert not page.watch.csp_violations and not page.watch.page_errors
