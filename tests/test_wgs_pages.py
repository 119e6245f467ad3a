"""Vroegsignalering pages: the review list, sending, answers, the collection pause and the export."""

import csv
import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from regie.accounts.models import Department, Role
from regie.audit.models import AccessLogEntry
from regie.housing.models import ArrearsSnapshot, Event, Person, Tenancy, Unit
from regie.signalling import rules
from regie.signalling.models import MunicipalitySignal
from regie.signalling.services import rules_update
from regie.signalling.services_wgs import CSV_COLUMNS, active_pause, wgs_answer, wgs_send
from tests.factories import UserFactory, open_case

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SINCE = TODAY - timedelta(days=61)
S = MunicipalitySignal.Status

# Everything personal the world below holds: none of it may appear in a URL.
PERSONAL = ["Jansen", "Bakker", "Pietersen", "Kerkstraat", "1234 AB", "1234+AB", "0612345678", "@example.nl", "1980"]


def household(
    n: int,
    name: str,
    *,
    balance="1400.00",
    reminder_days=20,
    contact_days=10,
    objection_days=None,
    people=(("HUU", "Jan", "", "Jansen"),),
) -> Tenancy:
    unit = Unit.objects.create(
        unit_id=f"VHE-W{n}",
        street="Kerkstraat",
        house_number=n,
        house_number_suffix="A",
        postcode="1234 AB",
        city="Teststad",
    )
    tenancy = Tenancy.objects.create(
        tenancy_id=f"HO-W{n:03d}", unit=unit, start_date=date(2020, 1, 1), monthly_rent=Decimal("650.00"), name=name
    )
    for i, (role, first, prefix, last) in enumerate(people):
        Person.objects.create(
            person_id=f"R-W{n}-{i}",
            tenancy=tenancy,
            role=role,
            first_name=first,
            name_prefix=prefix,
            last_name=last,
            birth_date=date(1980, 5, 1 + i),
            phone=f"061234567{i}",
            email=f"{first.lower()}@example.nl",
        )
    # An unbroken run of arrears since SINCE (a paid-off run before it doesn't count).
    ArrearsSnapshot.objects.create(tenancy=tenancy, date=SINCE - timedelta(days=30), balance=Decimal("0"))
    ArrearsSnapshot.objects.create(tenancy=tenancy, date=SINCE, balance=Decimal("700.00"))
    ArrearsSnapshot.objects.create(tenancy=tenancy, date=TODAY - timedelta(days=30), balance=Decimal(balance))
    for code, days in (("REGIE.AAN", reminder_days), ("REGIE.CTP", contact_days), ("REGIE.BZW", objection_days)):
        if days is not None:
            Event.objects.create(
                source="INC",
                event_id=f"{code}-{n}",
                date=TODAY - timedelta(days=days),
                tenancy=tenancy,
                unit=unit,
                type=code,
            )
    return tenancy


@pytest.fixture
def wgs_world(world):
    w = world
    w.collections = UserFactory(username="incasso", role=Role.DEPARTMENT, department=Department.COLLECTIONS)
    w.ready = household(
        1,
        "Jansen",
        people=(
            ("HUU", "Jan", "", "Jansen"),
            ("MDH", "Marie", "de", "Bakker"),
            ("KIN", "Kees", "", "Jansen"),
            ("MBW", "Oma", "", "Pietersen"),
        ),
    )
    w.no_contact = household(2, "Zonder Contact", contact_days=None)
    w.objected = household(3, "Bezwaar", objection_days=5)
    w.recent_reminder = household(4, "Recente Aanmaning", reminder_days=5)
    w.small = household(5, "Kleine Achterstand", balance="100.00")
    # All in Noord: Noord's manager works with them, Zuid's doesn't (need to know).
    Unit.objects.filter(unit_id__startswith="VHE-W").update(area=w.north)
    return w


def login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def rows_by_tenancy(response) -> dict:
    return {t.tenancy_id: (r, conditions) for r, t, conditions in response.context["rows"]}


def met(conditions) -> dict:
    return {key: ok for key, _label, ok, _day in conditions}


def test_review_lists_each_condition_per_tenancy_with_the_ready_first(client, wgs_world):
    w = wgs_world
    response = login(client, w.collections).get(reverse("wgs:review"))
    assert response.status_code == 200
    rows = rows_by_tenancy(response)
    assert set(rows) == {"HO-W001", "HO-W002", "HO-W003", "HO-W004"}  # 100 < one month's rent: not listed
    assert [t.tenancy_id for _r, t, _c in response.context["rows"]][0] == "HO-W001"
    assert met(rows["HO-W001"][1]) == {"reminder": True, "contact": True, "no_objection": True, "not_sent": True}
    assert met(rows["HO-W002"][1])["contact"] is False
    assert met(rows["HO-W003"][1])["no_objection"] is False
    assert met(rows["HO-W004"][1])["reminder"] is False
    ready, *_ = rows["HO-W001"]
    assert (ready.arrears_amount, ready.arrears_since) == (Decimal("1400.00"), SINCE)
    page = response.content.decode()
    assert page.count('name="tenancy"') == 1 and f'value="{w.ready.pk}"' in page
    assert "Kerkstraat 1A" in page and "Zonder Contact" in page
    assert "<caption" in page and 'scope="col"' in page
    logged = set(
        AccessLogEntry.objects.filter(action="read", record_type="household", user_id=w.collections.pk).values_list(
            "record_id", flat=True
        )
    )
    assert logged == {str(t.pk) for t in (w.ready, w.no_contact, w.objected, w.recent_reminder)}


def test_review_on_an_earlier_reference_date(client, wgs_world):
    # 10 days ago the reminder (20 days ago) was only 10 days old: not yet long enough.
    response = login(client, wgs_world.collections).get(
        reverse("wgs:review"), {"as_of": (TODAY - timedelta(days=10)).isoformat()}
    )
    assert met(rows_by_tenancy(response)["HO-W001"][1])["reminder"] is False
    assert response.context["ready_count"] == 0


def test_review_refuses_a_future_reference_date(client, wgs_world):
    response = login(client, wgs_world.collections).get(
        reverse("wgs:review"), {"as_of": (TODAY + timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 400
    assert "as_of" in response.context["form"].errors


def test_review_filters_ready_and_waiting(client, wgs_world):
    c = login(client, wgs_world.collections)
    assert list(rows_by_tenancy(c.get(reverse("wgs:review"), {"show": "ready"}))) == ["HO-W001"]
    assert "HO-W001" not in rows_by_tenancy(c.get(reverse("wgs:review"), {"show": "waiting"}))


@pytest.mark.parametrize("extra", [0, 10])
def test_review_query_count_does_not_grow(client, wgs_world, extra, django_assert_max_num_queries):
    for i in range(extra):
        household(100 + i, f"Extra {i}")
    c = login(client, wgs_world.collections)
    c.get(reverse("wgs:review"))
    with django_assert_max_num_queries(16):
        response = c.get(reverse("wgs:review"))
    assert len(response.context["rows"]) == 4 + extra


def test_mark_as_sent_creates_one_signal_and_the_tenancy_is_no_longer_ready(client, wgs_world):
    w = wgs_world
    c = login(client, w.collections)
    response = c.post(reverse("wgs:send"), {"as_of": TODAY.isoformat(), "tenancy": [w.ready.pk]})
    assert response.status_code == 302
    signal = MunicipalitySignal.objects.get()
    assert (signal.tenancy, signal.arrears_amount, signal.arrears_since, signal.as_of) == (
        w.ready,
        Decimal("1400.00"),
        SINCE,
        TODAY,
    )
    assert signal.status == S.SENT and signal.sent_by == w.collections
    assert AccessLogEntry.objects.filter(action="create", record_type="household", record_id=str(w.ready.pk)).exists()
    after = rows_by_tenancy(c.get(reverse("wgs:review")))
    assert met(after["HO-W001"][1])["not_sent"] is False
    assert not after["HO-W001"][0].ready


def test_a_second_send_for_the_same_run_is_refused(client, wgs_world):
    w = wgs_world
    c = login(client, w.collections)
    c.post(reverse("wgs:send"), {"as_of": TODAY.isoformat(), "tenancy": [w.ready.pk]})
    again = c.post(reverse("wgs:send"), {"as_of": TODAY.isoformat(), "tenancy": [w.ready.pk]})
    assert again.status_code == 400
    assert "HO-W001" in " ".join(again.context["send_form"].errors["tenancy"])
    assert "Nothing was marked as sent" in again.content.decode()
    assert MunicipalitySignal.objects.count() == 1
    with pytest.raises(ValidationError, match="Not ready to signal"):
        wgs_send(tenancy_pks=[w.ready.pk], as_of=TODAY, by=w.collections)


def test_sending_one_that_is_not_ready_sends_none(client, wgs_world):
    w = wgs_world
    response = login(client, w.collections).post(
        reverse("wgs:send"), {"as_of": TODAY.isoformat(), "tenancy": [w.ready.pk, w.no_contact.pk]}
    )
    assert response.status_code == 400
    message = " ".join(response.context["send_form"].errors["tenancy"])
    assert "HO-W002" in message and "HO-W001" not in message
    assert not MunicipalitySignal.objects.exists()


def test_sending_nothing_or_for_a_future_date_is_refused(client, wgs_world):
    c = login(client, wgs_world.collections)
    empty = c.post(reverse("wgs:send"), {"as_of": TODAY.isoformat()})
    assert empty.status_code == 400 and "tenancy" in empty.context["send_form"].errors
    future = c.post(
        reverse("wgs:send"), {"as_of": (TODAY + timedelta(days=2)).isoformat(), "tenancy": [wgs_world.ready.pk]}
    )
    assert future.status_code == 400 and "as_of" in future.context["send_form"].errors
    assert not MunicipalitySignal.objects.exists()


def test_a_new_run_of_arrears_can_be_signalled_again(wgs_world):
    w = wgs_world
    wgs_send(tenancy_pks=[w.ready.pk], as_of=TODAY, by=w.collections)
    # Paid off, then in arrears again: a new run with its own reminder and contact attempt.
    new_since = TODAY - timedelta(days=25)
    ArrearsSnapshot.objects.create(tenancy=w.ready, date=TODAY - timedelta(days=28), balance=Decimal("0"))
    ArrearsSnapshot.objects.create(tenancy=w.ready, date=new_since, balance=Decimal("1300.00"))
    for code, days, n in (("REGIE.AAN", 16, "x1"), ("REGIE.CTP", 15, "x2")):
        Event.objects.create(
            source="INC", event_id=n, date=TODAY - timedelta(days=days), tenancy=w.ready, unit=w.ready.unit, type=code
        )
    (second,) = wgs_send(tenancy_pks=[w.ready.pk], as_of=TODAY, by=w.collections)
    assert second.arrears_since == new_since and MunicipalitySignal.objects.count() == 2


def sent_signal(w) -> MunicipalitySignal:
    (signal,) = wgs_send(tenancy_pks=[w.ready.pk], as_of=TODAY, by=w.collections)
    return signal


def test_help_accepted_pauses_collection_for_30_days(client, wgs_world):
    w = wgs_world
    signal = sent_signal(w)
    c = login(client, w.collections)
    response = c.post(reverse("wgs:answer", args=[signal.pk]), {f"s{signal.pk}-status": "accepted"})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == S.ACCEPTED and signal.answered_by == w.collections
    assert signal.pause_until == TODAY + timedelta(days=30)
    assert active_pause(w.ready) == signal
    assert active_pause(w.ready, on=TODAY + timedelta(days=30)) == signal
    assert active_pause(w.ready, on=TODAY + timedelta(days=31)) is None
    assert active_pause(w.no_contact) is None
    with translation.override("en"):
        html = render_to_string("signalling/_collection_pause.html", {"pause": signal})
    assert "Collection paused" in html and (TODAY + timedelta(days=30)).strftime("%m/%d/%Y") in html
    assert render_to_string("signalling/_collection_pause.html", {"pause": None}).strip() == ""
    # The household's case page shows it (it asks only when the shared probe finds an accepted signal).
    case = open_case(household=w.ready, director=w.pro_n)
    client.force_login(w.pro_n)
    client.cookies["django_language"] = "en"
    assert "Collection paused" in client.get(case.get_absolute_url()).content.decode()


def test_answer_with_a_date_and_the_rules_pause_days(wgs_world):
    w = wgs_world
    rules_update(config={**rules.defaults(), "wgs": {**rules.defaults()["wgs"], "pause_days": 45}}, by=w.admin)
    signal = sent_signal(w)
    answered = wgs_answer(signal=signal, status=S.ACCEPTED, by=w.collections, answered_on=TODAY)
    assert answered.pause_until == TODAY + timedelta(days=45)
    assert signal.pause_until == TODAY + timedelta(days=45)  # the caller's object follows


@pytest.mark.parametrize("status", [S.REFUSED, S.NO_CONTACT])
def test_other_answers_set_no_pause(wgs_world, status):
    signal = wgs_answer(signal=sent_signal(wgs_world), status=status, by=wgs_world.collections)
    assert signal.status == status and signal.pause_until is None and active_pause(wgs_world.ready) is None


def test_illegal_answer_transitions_are_refused(client, wgs_world):
    w = wgs_world
    signal = sent_signal(w)
    with translation.override("en"):  # messages are in the user's language; these in English
        with pytest.raises(ValidationError, match="Allowed: Help accepted, Help refused, No contact"):
            wgs_answer(signal=signal, status=S.SENT, by=w.collections)
        wgs_answer(signal=signal, status=S.REFUSED, by=w.collections)
        with pytest.raises(ValidationError, match="can't go from “Help refused” to “Help accepted”"):
            wgs_answer(signal=signal, status=S.ACCEPTED, by=w.collections)
    response = login(client, w.collections).post(
        reverse("wgs:answer", args=[signal.pk]), {f"s{signal.pk}-status": "accepted"}
    )
    assert response.status_code == 400
    assert "can't go from" in " ".join(response.context["form"].errors["status"])
    signal.refresh_from_db()
    assert signal.status == S.REFUSED and signal.pause_until is None


def test_answer_dates_are_checked(client, wgs_world):
    w = wgs_world
    signal = sent_signal(w)
    c = login(client, w.collections)
    url = reverse("wgs:answer", args=[signal.pk])
    future = c.post(url, {f"s{signal.pk}-status": "accepted", f"s{signal.pk}-answered_on": "2999-01-01"})
    assert future.status_code == 400 and "answered_on" in future.context["form"].errors
    before = c.post(
        url,
        {f"s{signal.pk}-status": "accepted", f"s{signal.pk}-answered_on": (TODAY - timedelta(days=3)).isoformat()},
    )
    assert before.status_code == 400 and "before the signal was sent" in " ".join(
        before.context["form"].errors["answered_on"]
    )
    missing = c.post(url, {})
    assert missing.status_code == 400 and "status" in missing.context["form"].errors
    signal.refresh_from_db()
    assert signal.status == S.SENT


def test_sent_page_lists_signals_with_an_answer_form_for_collections_only(client, wgs_world):
    w = wgs_world
    signal = sent_signal(w)
    page = login(client, w.collections).get(reverse("wgs:sent"), {"on": TODAY.isoformat()})
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("wgs:answer", args=[signal.pk]) in html and "Jansen" in html
    manager = login(client, w.mgr_n).get(reverse("wgs:sent"))
    assert manager.status_code == 200 and reverse("wgs:answer", args=[signal.pk]) not in manager.content.decode()
    assert client.post(reverse("wgs:answer", args=[signal.pk]), {f"s{signal.pk}-status": "accepted"}).status_code == 404
    assert client.post(reverse("wgs:send"), {"as_of": TODAY.isoformat(), "tenancy": [w.ready.pk]}).status_code == 404


@pytest.mark.parametrize("n", [1, 12])
def test_sent_page_query_count_does_not_grow(client, wgs_world, n, django_assert_max_num_queries):
    w = wgs_world
    wgs_send(tenancy_pks=[w.ready.pk], as_of=TODAY, by=w.collections)
    for i in range(n - 1):
        t = household(200 + i, f"Verzonden {i}")
        wgs_send(tenancy_pks=[t.pk], as_of=TODAY, by=w.collections)
    c = login(client, w.collections)
    c.get(reverse("wgs:sent"))
    with django_assert_max_num_queries(10):
        response = c.get(reverse("wgs:sent"))
    assert len(response.context["rows"]) == n


def read_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    return list(reader)


def test_csv_export_of_the_ready_has_exactly_the_agreed_columns_and_the_tenants(client, wgs_world, settings):
    settings.REGIE_CORPORATION_CONTACT = "Woonstichting Test, incasso, 010-1234567"
    w = wgs_world
    response = login(client, w.collections).get(
        reverse("wgs:export"), {"source": "ready", "day": TODAY.isoformat(), "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="vroegsignalering-ready-{TODAY.isoformat()}.csv"'
    assert CSV_COLUMNS == (
        "reference",
        "arrears_amount",
        "arrears_since",
        "first_name",
        "name_prefix",
        "last_name",
        "birth_date",
        "phone",
        "email",
        "street",
        "house_number",
        "house_number_suffix",
        "postcode",
        "city",
        "corporation_contact",
    )
    rows = read_csv(response)
    # The tenant and co-tenant of the one ready household; not the child, not the co-resident.
    assert [(r["first_name"], r["name_prefix"], r["last_name"]) for r in rows] == [
        ("Jan", "", "Jansen"),
        ("Marie", "de", "Bakker"),
    ]
    first = rows[0]
    assert first == {
        "reference": "",
        "arrears_amount": "1400.00",
        "arrears_since": SINCE.isoformat(),
        "first_name": "Jan",
        "name_prefix": "",
        "last_name": "Jansen",
        "birth_date": "1980-05-01",
        "phone": "0612345670",
        "email": "jan@example.nl",
        "street": "Kerkstraat",
        "house_number": "1",
        "house_number_suffix": "A",
        "postcode": "1234 AB",
        "city": "Teststad",
        "corporation_contact": "Woonstichting Test, incasso, 010-1234567",
    }
    exported = AccessLogEntry.objects.filter(action="export", record_type="household")
    assert list(exported.values_list("record_id", flat=True)) == [str(w.ready.pk)]


def test_json_export_of_the_signals_sent_on_a_day(client, wgs_world):
    w = wgs_world
    signal = sent_signal(w)
    response = login(client, w.mgr_n).get(
        reverse("wgs:export"), {"source": "sent", "day": TODAY.isoformat(), "format": "json"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    doc = json.loads(response.content)
    assert set(doc) == {"source", "date", "corporation_contact", "signals"}
    (record,) = doc["signals"]
    assert set(record) == {"reference", "arrears_amount", "arrears_since", "address", "tenants"}
    assert record["reference"] == str(signal.pk)
    assert (record["arrears_amount"], record["arrears_since"]) == ("1400.00", SINCE.isoformat())
    assert record["address"] == {
        "street": "Kerkstraat",
        "house_number": 1,
        "house_number_suffix": "A",
        "postcode": "1234 AB",
        "city": "Teststad",
    }
    assert [t["last_name"] for t in record["tenants"]] == ["Jansen", "Bakker"]
    assert record["tenants"][0] == {
        "first_name": "Jan",
        "name_prefix": "",
        "last_name": "Jansen",
        "birth_date": "1980-05-01",
        "phone": "0612345670",
        "email": "jan@example.nl",
    }
    # Another day's export holds nothing.
    other = client.get(
        reverse("wgs:export"), {"source": "sent", "day": (TODAY - timedelta(days=1)).isoformat(), "format": "json"}
    )
    assert json.loads(other.content)["signals"] == []


def test_export_page_and_its_errors(client, wgs_world):
    c = login(client, wgs_world.collections)
    page = c.get(reverse("wgs:export"))
    assert page.status_code == 200 and "REGIE_CORPORATION_CONTACT" in page.content.decode()
    # The review list links to the export page, prefilled with the ready households of its date.
    review = c.get(reverse("wgs:review")).content.decode()
    link = re.search(r'href="(/vroegsignalering/export/\?[^"]+)"', review).group(1).replace("&amp;", "&")
    prefilled = c.get(link)
    assert prefilled.status_code == 200
    assert prefilled.context["form"]["source"].value() == "ready"
    assert not AccessLogEntry.objects.filter(action="export").exists()
    bad = c.get(reverse("wgs:export"), {"source": "everyone", "day": "gisteren", "format": "xlsx"})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"source", "day", "format"}
    assert not AccessLogEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("who", ["pro_n", "colleague", "admin", "privacy"])
def test_other_roles_get_404(client, wgs_world, who):
    w = wgs_world
    signal = sent_signal(w)
    c = login(client, getattr(w, who))
    for url in (reverse("wgs:review"), reverse("wgs:sent"), reverse("wgs:export"), reverse("wgs:answer", args=[1])):
        assert c.get(url).status_code == 404, url
    day = TODAY.isoformat()
    assert c.get(reverse("wgs:export"), {"source": "ready", "day": day, "format": "csv"}).status_code == 404
    assert c.post(reverse("wgs:send"), {"as_of": day, "tenancy": [w.ready.pk]}).status_code == 404
    assert c.post(reverse("wgs:answer", args=[signal.pk]), {f"s{signal.pk}-status": "accepted"}).status_code == 404
    signal.refresh_from_db()
    assert signal.status == S.SENT and MunicipalitySignal.objects.count() == 1


def test_no_personal_data_in_any_url(client, wgs_world):
    w = wgs_world
    c = login(client, w.collections)
    urls = []
    sent = c.post(reverse("wgs:send"), {"as_of": TODAY.isoformat(), "tenancy": [w.ready.pk]})
    urls.append(sent["Location"])
    signal = MunicipalitySignal.objects.get()
    pages = [
        c.get(reverse("wgs:review")),
        c.get(reverse("wgs:sent"), {"on": TODAY.isoformat()}),
        c.get(reverse("wgs:export")),
        c.get(reverse("wgs:answer", args=[signal.pk])),
    ]
    answered = c.post(reverse("wgs:answer", args=[signal.pk]), {f"s{signal.pk}-status": "accepted"})
    urls.append(answered["Location"])
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert "Jansen" in html or page is pages[2]  # the data is on the pages ...
        urls += re.findall(r'(?:href|action)="([^"]*)"', html)
    urls += [p.wsgi_request.get_full_path() for p in pages]
    assert len(urls) > 10
    for url in urls:  # ... and never in a link, a form's target or a redirect
        assert not any(word.lower() in url.lower() for word in PERSONAL), url


def test_a_manager_sees_the_signals_of_his_teams_areas_only(client, wgs_world):
    """Collections serve the whole corporation; a manager only his teams' areas (the attack suite
    found Zuid's manager reading Noord's sent signals with name and address)."""
    w = wgs_world
    signal = sent_signal(w)
    north = login(client, w.mgr_n)
    assert "Jansen" in north.get(reverse("wgs:sent")).content.decode()
    south = login(client, w.mgr_s)
    sent = south.get(reverse("wgs:sent"))
    assert sent.status_code == 200 and "Jansen" not in sent.content.decode()
    assert reverse("wgs:answer", args=[signal.pk]) not in sent.content.decode()
    review = south.get(reverse("wgs:review"))
    assert review.status_code == 200 and not review.context["rows"]
    export = south.get(reverse("wgs:export"), {"source": "sent", "day": TODAY.isoformat(), "format": "json"})
    assert json.loads(export.content)["signals"] == []
    ready = south.get(reverse("wgs:export"), {"source": "ready", "day": TODAY.isoformat(), "format": "json"})
    assert json.loads(ready.content)["signals"] == []
