"""The web pages end to end through Django's test client: flows, errors, access log, query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.audit.models import AccessLogEntry
from regie.cases.models import Case, Contact
from regie.cases.services import case_next_step_set
from tests.factories import ArrearsFactory, EventFactory, PersonFactory, TenancyFactory, UnitFactory, open_case
from tests.limits import CASE_PAGE_MAX_QUERIES

pytestmark = pytest.mark.django_db


def make_cases(world, n):
    return [
        open_case(household=TenancyFactory(unit=UnitFactory(area=world.north)), director=world.pro_n) for _ in range(n)
    ]


def test_caseload_lists_my_open_cases_with_urgency(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    ArrearsFactory(tenancy=world.hh_n, date=date(2026, 10, 1), balance=Decimal("2000"))  # > 3 × 650
    EventFactory(tenancy=world.hh_n, type="REGIE.ONT", date=timezone.localdate())
    case_next_step_set(
        case=case, next_step="Huisbezoek plannen", due=timezone.localdate() - timedelta(days=1), by=world.pro_n
    )
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cases:caseload")).content.decode()
    assert case.get_absolute_url() in page
    for word in ["Huisbezoek plannen", "Eviction threatens", "Arrears ≥ 3 months", "Next step overdue"]:
        assert word in page, word


def test_caseload_filters_sorts_and_pages(client, world, settings):
    settings.REGIE_PAGE_SIZE = 3
    cases = make_cases(world, 5)
    from regie.cases.services import case_transition

    case_transition(case=cases[0], to_status="intake", by=world.pro_n)
    client.force_login(world.pro_n)
    page1 = client.get(reverse("cases:caseload"), {"sort": "household"})
    assert page1.context["page_obj"].paginator.count == 5
    names = [c.household.name for c, *_ in page1.context["rows"]]
    assert names == sorted(names) and len(names) == 3
    page2 = client.get(reverse("cases:caseload"), {"sort": "household", "page": 2})
    assert len(page2.context["rows"]) == 2
    desc = client.get(reverse("cases:caseload"), {"sort": "-household"})
    assert [c.household.name for c, *_ in desc.context["rows"]] == sorted(
        [c.household.name for c in cases], reverse=True
    )[:3]
    only_intake = client.get(reverse("cases:caseload"), {"status": "intake", "scope": "mine"})
    assert [c.pk for c, *_ in only_intake.context["rows"]] == [cases[0].pk]


def test_caseload_logs_each_row_as_a_read(client, world):
    cases = make_cases(world, 3)
    client.force_login(world.pro_n)
    before = AccessLogEntry.objects.filter(action="read").count()
    client.get(reverse("cases:caseload"))
    logged = set(AccessLogEntry.objects.filter(action="read").values_list("record_id", flat=True))
    assert AccessLogEntry.objects.filter(action="read").count() == before + 3
    assert {str(c.pk) for c in cases} <= logged


def test_empty_caseload_says_what_to_do(client, world):
    client.force_login(world.pro_n)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert reverse("housing:search") in page and "<table" not in page


@pytest.mark.parametrize("rows", [2, 12])
def test_caseload_query_count_does_not_grow_with_rows(client, world, rows, django_assert_max_num_queries):
    make_cases(world, rows)
    client.force_login(world.pro_n)
    client.get(reverse("cases:caseload"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:caseload"))
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("n", [1, 15])
def test_case_page_query_count_does_not_grow(client, world, n, django_assert_max_num_queries):
    from regie.cases.services import contact_add

    case = open_case(household=world.hh_n, director=world.pro_n)
    people = [PersonFactory(tenancy=world.hh_n) for _ in range(2)]
    for i in range(n):
        contact_add(
            case=case,
            at=timezone.now() - timedelta(days=i + 1),
            channel="TEL",
            summary=f"Gesprek {i}",
            by=world.pro_n,
            persons=people,
        )
        EventFactory(tenancy=world.hh_n, date=timezone.localdate() - timedelta(days=i))
    client.force_login(world.pro_n)
    client.get(case.get_absolute_url())
    with django_assert_max_num_queries(CASE_PAGE_MAX_QUERIES):
        response = client.get(case.get_absolute_url())
    assert len(response.context["timeline"]) >= 2 * n


@pytest.mark.parametrize("n", [1, 15])
def test_household_page_query_count_does_not_grow(client, world, n, django_assert_max_num_queries):
    for i in range(n):
        PersonFactory(tenancy=world.hh_n)
        EventFactory(tenancy=world.hh_n)
        ArrearsFactory(tenancy=world.hh_n, date=date(2025, 1, 1) + timedelta(days=31 * i), balance=Decimal(i * 100))
    client.force_login(world.pro_n)
    client.get(world.hh_n.get_absolute_url())
    with django_assert_max_num_queries(20):
        response = client.get(world.hh_n.get_absolute_url())
    assert len(response.context["persons"]) == n


def test_household_page_shows_members_arrears_events_and_cases(client, world):
    PersonFactory(tenancy=world.hh_n, first_name="Anna", last_name="Jansen", role="HUU")
    PersonFactory(tenancy=world.hh_n, first_name="Bram", last_name="Jansen", role="KIN")
    ArrearsFactory(tenancy=world.hh_n, date=date(2026, 10, 1), balance=Decimal("1234.56"))
    EventFactory(tenancy=world.hh_n, type="ZAAKTYPEDETAILSOORT.GEL", description="Harde muziek")
    case = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "nl"
    page = client.get(world.hh_n.get_absolute_url()).content.decode()
    for text in ["Anna Jansen", "Bram Jansen", "€ 1.234,56", "Harde muziek", case.get_absolute_url(), "<svg"]:
        assert text in page, text


def test_open_a_case_from_the_household_page(client, world):
    client.force_login(world.pro_n)
    url = reverse("cases:open", args=[world.hh_n.pk])
    response = client.post(url, {"question": "Ik wil rust.", "status": "intake", "director": world.pro_n.pk})
    case = Case.objects.get(household=world.hh_n)
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert (case.status, case.question, case.director) == ("intake", "Ik wil rust.", world.pro_n)


def test_second_case_is_refused_with_a_clear_message(client, world):
    open_case(household=world.hh_n, director=world.pro_n2)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("cases:open", args=[world.hh_n.pk]), {"question": "", "status": "signalled", "director": world.pro_n.pk}
    )
    assert response.status_code == 400
    assert "already has an open case" in response.content.decode()
    assert Case.objects.filter(household=world.hh_n).count() == 1


def test_cannot_open_a_case_for_a_household_out_of_sight(client, world):
    client.force_login(world.pro_n)
    response = client.post(
        reverse("cases:open", args=[world.hh_s.pk]), {"status": "signalled", "director": world.pro_n.pk}
    )
    assert response.status_code == 404
    assert not Case.objects.filter(household=world.hh_s).exists()


def test_illegal_transition_names_the_allowed_moves(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("cases:transition", args=[case.pk]), {"status": "aftercare"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select a valid choice" in body
    case.refresh_from_db()
    assert case.status == "signalled"


def test_closing_without_outcome_shows_the_field_error(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("cases:transition", args=[case.pk]), {"status": "closed"})
    assert response.status_code == 400
    assert "Choose the outcome to close the case." in response.content.decode()
    assert 'href="#id_outcome"' in response.content.decode()
    response = client.post(reverse("cases:transition", args=[case.pk]), {"status": "closed", "outcome": "declined"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "declined")


def test_add_a_contact_through_the_form(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    tenant = PersonFactory(tenancy=world.hh_n)
    client.force_login(world.pro_n)
    at = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("cases:contact", args=[case.pk]),
        {"at": at, "channel": "BEZ", "summary": "Keukentafelgesprek", "persons": [tenant.pk], "others": "Wijkteam"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(case=case)
    assert (contact.channel, contact.summary, list(contact.persons.all())) == ("BEZ", "Keukentafelgesprek", [tenant])
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Keukentafelgesprek" in page


def test_contact_form_errors_are_per_field_and_nothing_is_saved(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("cases:contact", args=[case.pk]), {"at": "gisteren", "channel": "XX", "summary": ""})
    assert response.status_code == 400
    errors = response.context["contact_form"].errors
    assert set(errors) == {"at", "channel", "summary"}
    assert not Contact.objects.exists()


def test_question_next_step_team_and_transfer(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    assert client.post(reverse("cases:question", args=[case.pk]), {"question": "Ik wil werk."}).status_code == 302
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    assert (
        client.post(reverse("cases:next_step", args=[case.pk]), {"next_step": "Bellen", "due": due}).status_code == 302
    )
    assert (
        client.post(reverse("cases:member_add", args=[case.pk]), {"user": world.pro_n2.pk, "role": "ADV"}).status_code
        == 302
    )
    member = case.members.get(user=world.pro_n2)
    assert client.post(reverse("cases:member_remove", args=[case.pk, member.pk])).status_code == 302
    response = client.post(
        reverse("cases:transfer", args=[case.pk]),
        {"to_user": world.pro_n2.pk, "note": "Verlof", "keep_previous_as_adviser": "on"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.question, case.next_step, case.director) == ("Ik wil werk.", "Bellen", world.pro_n2)
    member.refresh_from_db()
    assert member.removed_at is not None
    # pro_n stays on as adviser, so he still sees the case but no longer steers it.
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.post(reverse("cases:transition", args=[case.pk]), {"status": "intake"}).status_code == 403


def test_search_by_postcode_tenancy_number_and_street(client, world):
    unit = UnitFactory(area=world.north, street="Lindelaan", house_number=12, postcode="4321 ZX")
    hh = TenancyFactory(unit=unit, tenancy_id="HO7654321", name="Bakker")
    client.force_login(world.pro_n)
    for q in ["4321zx", "4321 ZX", "HO7654321", "Lindelaan 12", "lindelaan", "bakker"]:
        response = client.post(reverse("housing:search"), {"q": q})
        assert hh in list(response.context["page_obj"]), q
    assert AccessLogEntry.objects.filter(record_type="household", record_id=str(hh.pk), action="read").count() == 6


def test_search_is_never_in_the_url(client, world):
    client.force_login(world.pro_n)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert 'method="post" action="/huishoudens/"' in page
    assert client.get(reverse("housing:search"), {"q": "Jansen"}).context["page_obj"] is None


def test_access_log_search_and_export(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    client.get(case.get_absolute_url())
    client.force_login(world.privacy)
    response = client.get(reverse("audit:log"), {"username": "pro-n", "record_type": "case", "action": "read"})
    entries = list(response.context["page_obj"])
    assert entries and all(e.username == "pro-n" and e.action == "read" for e in entries)
    assert entries[0].ip_address == "127.0.0.1" and entries[0].channel == "web"
    csv_body = b"".join(
        client.get(reverse("audit:log"), {"username": "pro-n", "format": "csv"}).streaming_content
    ).decode()
    assert csv_body.splitlines()[0].startswith("at,action,record_type")
    assert f",case,{case.pk}," in csv_body


def test_transfer_and_team_pages_offer_colleagues_of_the_area(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    for name in ("cases:transfer", "cases:member_add"):
        response = client.get(reverse(name, args=[case.pk]))
        assert response.status_code == 200
        field = "to_user" if name == "cases:transfer" else "user"
        offered = set(response.context["form"].fields[field].queryset)
        assert world.pro_n2 in offered and world.mgr_n in offered
        assert world.pro_s not in offered and world.colleague not in offered
    response = client.post(reverse("cases:transfer", args=[case.pk]), {"to_user": world.pro_s.pk})
    assert response.status_code == 400 and "to_user" in response.context["form"].errors
    case.refresh_from_db()
    assert case.director == world.pro_n


def test_team_member_cannot_open_the_transfer_page(client, world):
    from regie.cases.services import case_member_add

    case = open_case(household=world.hh_n, director=world.pro_n)
    case_member_add(case=case, user=world.pro_n2, role="ADV", by=world.pro_n)
    client.force_login(world.pro_n2)
    assert client.get(reverse("cases:transfer", args=[case.pk])).status_code == 403
    assert client.get(reverse("cases:contact", args=[case.pk])).status_code == 405


def test_the_whole_timeline_is_one_click_away(client, world):
    from regie.cases.services import contact_add

    case = open_case(household=world.hh_n, director=world.pro_n)
    for i in range(45):
        contact_add(
            case=case, at=timezone.now() - timedelta(days=i + 1), channel="TEL", summary=f"G{i}", by=world.pro_n
        )
    client.force_login(world.pro_n)
    short = client.get(case.get_absolute_url())
    assert len(short.context["timeline"]) == 30 and "?timeline=all" in short.content.decode()
    full = client.get(case.get_absolute_url(), {"timeline": "all"})
    assert len(full.context["timeline"]) == 46  # 45 contacts and the opening


def test_only_urgent_keeps_the_cases_with_a_mark(client, world):
    from regie.cases.services import contact_add

    calm, arrears, legal, overdue = make_cases(world, 4)
    for case in (calm, arrears, legal, overdue):
        contact_add(case=case, at=timezone.now() - timedelta(days=1), channel="TEL", summary="Gesprek", by=world.pro_n)
    ArrearsFactory(tenancy=calm.household, date=date(2026, 10, 1), balance=Decimal("1949.99"))  # a cent under 3 × rent
    ArrearsFactory(tenancy=arrears.household, date=date(2026, 10, 1), balance=Decimal("1950.00"))
    EventFactory(tenancy=legal.household, type="REGIE.DAG", date=timezone.localdate())
    case_next_step_set(case=overdue, next_step="Bellen", due=timezone.localdate() - timedelta(days=1), by=world.pro_n)
    silent = open_case(household=TenancyFactory(unit=UnitFactory(area=world.north)), director=world.pro_n)
    Case.objects.filter(pk=silent.pk).update(opened_at=timezone.now() - timedelta(days=31))
    client.force_login(world.pro_n)
    response = client.get(reverse("cases:caseload"), {"urgent": "on", "scope": "mine"})
    shown = {c.pk: marks for c, marks, _ in response.context["rows"]}
    assert shown == {arrears.pk: ["arrears"], legal.pk: ["legal"], overdue.pk: ["overdue"], silent.pk: ["no_contact"]}


def test_caseload_rows_escape_what_they_show(client, world):
    hh = TenancyFactory(unit=UnitFactory(area=world.north, street="<b>Straat</b>"), name="<script>x</script>")
    case = open_case(household=hh, director=world.pro_n)
    case_next_step_set(case=case, next_step="Bel & <i>schrijf</i>", due=None, by=world.pro_n)
    client.force_login(world.pro_n)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "&lt;b&gt;Straat&lt;/b&gt;" in page and "Bel &amp; &lt;i&gt;schrijf&lt;/i&gt;" in page
    assert f'href="/casussen/{case.pk}/"' in page


def test_timeline_escapes_and_keeps_line_breaks(client, world):
    from regie.cases.services import contact_add

    case = open_case(household=world.hh_n, director=world.pro_n)
    tenant = PersonFactory(tenancy=world.hh_n, first_name="<i>Ann</i>", last_name="Jansen")
    contact_add(
        case=case, at=timezone.now() - timedelta(hours=1), channel="BEZ", summary="Regel 1\n<script>x</script>",
        by=world.pro_n, persons=[tenant], others="Wijkteam & GGZ",
    )  # fmt: skip
    EventFactory(tenancy=world.hh_n, type="REGIE.ONT", severity=3, description="<b>ontruiming</b>")
    client.force_login(world.pro_n)
    client.cookies["django_language"] = "en"
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Regel 1<br>&lt;script&gt;x&lt;/script&gt;" in page
    assert "Present: &lt;i&gt;Ann&lt;/i&gt; Jansen, Wijkteam &amp; GGZ" in page
    assert "&lt;b&gt;ontruiming&lt;/b&gt;" in page and "severity 3" in page and "Eviction scheduled" in page
    assert "Contact: Home visit" in page


def test_caseload_sorts_by_status_days_and_next_step_with_empty_last(client, world):
    from regie.cases.services import case_transition

    a, b, c = make_cases(world, 3)
    Case.objects.filter(pk=a.pk).update(opened_at=timezone.now() - timedelta(days=30))
    Case.objects.filter(pk=b.pk).update(opened_at=timezone.now() - timedelta(days=10))
    case_transition(case=c, to_status="intake", by=world.pro_n)
    case_next_step_set(case=a, next_step="x", due=date(2026, 12, 1), by=world.pro_n)
    case_next_step_set(case=b, next_step="y", due=date(2026, 12, 5), by=world.pro_n)
    client.force_login(world.pro_n)

    def order(sort):
        return [row[0].pk for row in client.get(reverse("cases:caseload"), {"sort": sort}).context["rows"]]

    assert order("-days_open") == [a.pk, b.pk, c.pk]
    assert order("days_open") == [c.pk, b.pk, a.pk]
    assert order("next_due") == [a.pk, b.pk, c.pk]  # no next step: last
    assert order("-next_due") == [b.pk, a.pk, c.pk]  # …in both directions
    assert order("status")[-1] == c.pk and order("-status")[0] == c.pk  # intake after signalled
    assert order("nonsense") == order("days_open")
