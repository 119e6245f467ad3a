"""Result agreements (progress, need-to-know), the dashboard (CSV, filters), the API and the
annual report (PDF and XLSX with aggregates and no personal data)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook
from pypdf import PdfReader

from regie.audit.models import AccessLogEntry
from regie.results import selectors, services
from regie.results.models import Agreement
from tests.results_world import case, household, legal

PASSWORD = "correct-horse-battery"


def login(client, user):
    # English, the source language: the assertions read the untranslated labels.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def agreed(world):
    w = world
    a = case(w.hh_n, w.pro_n, w.team_n, date(2025, 1, 10), date(2025, 3, 1))
    legal(w.hh_n, date(2024, 12, 1))
    b = case(household(w.north), w.pro_n, w.team_n, date(2025, 2, 1))
    case(household(w.north), w.pro_n2, w.team_n, date(2025, 2, 1))
    agreement = services.create_agreement(
        manager=w.mgr_n,
        professional=w.pro_n,
        start=date(2025, 1, 1),
        end=date(2025, 6, 30),
        targets={"evictions_prevented": ("at_least", 2), "caseload": ("at_most", 1)},
    )
    w.agreement, w.case_a, w.case_b = agreement, a, b
    return w


def test_progress_is_computed_against_the_targets(agreed):
    rows = {r.indicator: r for r in selectors.progress(agreed.agreement, today=date(2025, 12, 1))}
    assert rows["evictions_prevented"].value == 1
    assert rows["evictions_prevented"].met is False
    assert rows["evictions_prevented"].percent == 50
    assert rows["caseload"].value == 1
    assert rows["caseload"].met is True
    assert rows["caseload"].case_ids == [agreed.case_b.pk]
    assert rows["arrears_paid_down"].target is None and rows["arrears_paid_down"].met is None
    # The agreed indicators come first.
    assert [r.indicator for r in selectors.progress(agreed.agreement)][:2] == ["evictions_prevented", "caseload"]


def test_only_the_manager_of_his_team_agrees(world):
    with pytest.raises(PermissionDenied):
        services.create_agreement(
            manager=world.mgr_s, professional=world.pro_n, start=date(2025, 1, 1), end=date(2025, 2, 1), targets={}
        )
    with pytest.raises(PermissionDenied):
        services.create_agreement(
            manager=world.pro_n2, professional=world.pro_n, start=date(2025, 1, 1), end=date(2025, 2, 1), targets={}
        )


def test_need_to_know(client, agreed):
    url = f"/resultaten/afspraken/{agreed.agreement.pk}/"
    for user in (agreed.pro_n2, agreed.mgr_s, agreed.pro_s, agreed.admin, agreed.privacy, agreed.colleague):
        client.logout()
        assert login(client, user).get(url).status_code == 404, user.username
        assert client.get(f"/api/results/agreements/{agreed.agreement.pk}/").status_code == 404
    assert AccessLogEntry.objects.filter(record_type="agreement", outcome="denied").exists()
    for user in (agreed.pro_n, agreed.mgr_n):
        client.logout()
        response = login(client, user).get(url)
        assert response.status_code == 200
        assert f"#{agreed.case_b.pk}" in response.content.decode()
    # The cases counted were logged as read.
    assert AccessLogEntry.objects.filter(record_type="case", record_id=str(agreed.case_b.pk), action="read").exists()
    # Lists: his own; the other professional none.
    client.logout()
    assert "Test" in login(client, agreed.pro_n).get("/resultaten/afspraken/").content.decode()
    client.logout()
    assert selectors.agreements_visible_to(agreed.pro_n2).count() == 0
    assert list(selectors.agreements_visible_to(agreed.mgr_n)) == [agreed.agreement]
    # A professional can't change it.
    client.logout()
    login(client, agreed.pro_n)
    assert client.get(f"/resultaten/afspraken/{agreed.agreement.pk}/wijzigen/").status_code == 403
    assert client.post(f"/resultaten/afspraken/{agreed.agreement.pk}/verwijderen/").status_code == 403
    assert Agreement.objects.filter(pk=agreed.agreement.pk).exists()


def test_manager_creates_and_edits_an_agreement(client, world):
    login(client, world.mgr_n)
    response = client.post(
        "/resultaten/afspraken/nieuw/",
        {
            "professional": world.pro_n2.pk,
            "start": "2025-01-01",
            "end": "2025-12-31",
            "note": "",
            "direction_caseload": "at_most",
            "value_caseload": "20",
            "direction_arrears_paid_down": "at_least",
            "value_arrears_paid_down": "5000",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(professional=world.pro_n2)
    assert {t.indicator: t.value for t in agreement.targets.all()} == {
        "caseload": Decimal(20),
        "arrears_paid_down": Decimal(5000),
    }
    response = client.post(
        f"/resultaten/afspraken/{agreement.pk}/wijzigen/",
        {"start": "2025-01-01", "end": "2025-06-30", "direction_caseload": "at_most", "value_caseload": "15"},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.end == date(2025, 6, 30)
    assert list(agreement.targets.values_list("indicator", "value")) == [("caseload", Decimal(15))]
    # A professional outside his teams is not on offer.
    response = client.post(
        "/resultaten/afspraken/nieuw/",
        {"professional": world.pro_s.pk, "start": "2025-01-01", "end": "2025-12-31", "value_caseload": "3"},
    )
    assert response.status_code == 200
    assert not Agreement.objects.filter(professional=world.pro_s).exists()


def test_dashboard_access_and_csv(client, agreed):
    for user in (agreed.pro_n, agreed.colleague, agreed.privacy):
        client.logout()
        assert login(client, user).get("/resultaten/").status_code == 404
    client.logout()
    login(client, agreed.mgr_n)
    response = client.get("/resultaten/", {"start": "2025-01-01", "end": "2025-06-30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<table" in html and "csv=caseload" in html
    assert "style=" not in html and "<script>" not in html  # the CSP: no inline styles or scripts
    assert 'role="img"' in html and "<caption>" in html
    response = client.get("/resultaten/", {"start": "2025-01-01", "end": "2025-06-30", "csv": "caseload"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert len(lines) == 3  # the header and two professionals with an open case
    assert sorted(line.split(";")[1] for line in lines[1:]) == ["1", "1"]
    flow = client.get("/resultaten/", {"start": "2025-01-01", "end": "2025-03-31", "csv": "flow"}).content.decode()
    rows = [line.split(";") for line in flow.strip().splitlines()[1:]]
    assert [r[2:] for r in rows] == [["1", "0"], ["2", "0"], ["0", "1"]]  # opened, closed per month
    ev = client.get("/resultaten/", {"start": "2025-01-01", "end": "2025-06-30", "csv": "evictions"}).content.decode()
    assert [line.split(";")[1] for line in ev.strip().splitlines()[1:]] == ["1", "0"]
    assert client.get("/resultaten/", {"csv": "nope"}).status_code == 404
    # The manager of the other team sees none of team north's figures.
    client.logout()
    login(client, agreed.mgr_s)
    csv = client.get("/resultaten/", {"start": "2025-01-01", "end": "2025-06-30", "csv": "caseload"})
    assert len(csv.content.decode().strip().splitlines()) == 1
    # Filtering on a team he doesn't manage is not possible either.
    data = client.get(
        "/api/results/dashboard/", {"team": agreed.team_n.pk, "start": "2025-01-01", "end": "2025-06-30"}
    ).json()
    assert data["indicators"]["caseload"] == 0


def test_dashboard_api_for_the_board(client, agreed):
    login(client, agreed.admin)
    data = client.get("/api/results/dashboard/", {"start": "2025-01-01", "end": "2025-06-30"}).json()
    assert data["indicators"]["caseload"] == 2
    assert data["indicators"]["evictions_prevented"] == 1
    assert {c["key"] for c in data["charts"]} >= {"caseload", "flow", "zrm", "arrears", "evictions", "responses"}
    only_south = client.get("/api/results/dashboard/", {"area": agreed.south.pk, "start": "2025-01-01"}).json()
    assert only_south["teams"] == [agreed.team_s.pk]


@pytest.fixture
def year_world(world):
    w = world
    for i in range(6):
        hh = household(w.north, name=f"Bakker{i}")
        case(hh, w.pro_n, w.team_n, date(2024, 2, 1), date(2024, 5, 1 + i))
    hh = household(w.south, name="Visser")
    legal(hh, date(2024, 1, 1))
    case(hh, w.pro_s, w.team_s, date(2024, 2, 1), date(2024, 6, 1), outcome="evicted")
    return w


def test_report_xlsx_has_the_aggregates_and_suppresses_small_counts(client, year_world):
    login(client, year_world.board if hasattr(year_world, "board") else year_world.admin)
    response = client.get("/resultaten/rapport/2024.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = {row[0]: row[1:] for row in ws.iter_rows(values_only=True) if row and row[0]}
    assert cells["Cases opened"][0] == 7
    assert cells["Cases closed"][0] == 7
    assert cells["Evictions among case households"][0] == "<5"
    assert cells["Noord"][:3] == (6, 6, 0)
    assert cells["Zuid"][:3] == ("<5", "<5", 0)
    text = " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    for personal in ("Bakker", "Visser", "Teststraat", "HO", "pro-n", "Medewerker", "1234 AB"):
        assert personal not in text
    assert AccessLogEntry.objects.filter(record_type="results_report", action="export").exists()


def test_report_pdf_has_the_aggregates_and_no_names(client, year_world):
    login(client, year_world.mgr_n)
    response = client.get("/resultaten/rapport/2024.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "2024" in text
    assert "Cases opened 7" in text or "Cases opened\n7" in text
    assert "<5" in text
    for personal in ("Bakker", "Visser", "Teststraat", "Medewerker", str(year_world.pro_n.last_name)):
        assert personal not in text


def test_report_is_for_managers_board_and_administrator(client, world):
    for user in (world.pro_n, world.privacy, world.colleague):
        client.logout()
        assert login(client, user).get("/resultaten/rapport/2024.pdf").status_code == 404
    client.logout()
    assert login(client, world.mgr_n).get("/resultaten/rapport/1999.xlsx").status_code == 404
