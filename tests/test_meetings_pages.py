"""The team meeting's pages and API: planning, the chair's agenda work through the page, the record
and a follow-up action, the minutes as a Dutch PDF (text extracted with pypdf) for the attendees and
the team's manager only (404 for everyone else), the access log, and putting a case forward."""

import io
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from regie.audit.models import AccessLogEntry
from regie.cases.models import EntryKind, TimelineEntry
from regie.meetings import services
from regie.meetings.models import AgendaItem, CaseQuestion, Kind, Meeting, Rhythm
from regie.plans.models import Action
from tests.factories import TenancyFactory, UnitFactory, UserFactory, open_case
from tests.test_meetings import N, back, local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"  # the assertions read the English msgids


@pytest.fixture
def held(world):
    """A case review of Team Noord with two cases on the agenda: one put forward, one stale."""
    w = world
    services.rhythm_save(team=w.team_n, kind=Kind.CASE_REVIEW, weekday=1, at=time(10), no_progress_days=N, by=w.mgr_n)
    w.asked = open_case(household=w.hh_n, director=w.pro_n)
    w.question = services.question_put_forward(case=w.asked, question="Tweedekanscontract of niet?", by=w.pro_n)
    w.stale = open_case(household=TenancyFactory(unit=UnitFactory(area=w.north), name="Bakker"), director=w.pro_n2)
    at = timezone.now() + timedelta(hours=1)
    back(w.stale, local(timezone.localdate(at) - timedelta(days=N + 3)))
    w.meeting = services.meeting_plan(
        team=w.team_n, kind=Kind.CASE_REVIEW, starts_at=at, chair=w.pro_n, attendees=[w.pro_n2], by=w.pro_n
    )
    w.outsider = UserFactory(username="pro-n3", role="professional", teams=[w.team_n])
    return w


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_plan_through_the_page(client, world):
    client.force_login(world.pro_n2)
    page = client.get(reverse("meetings:plan"))
    assert page.status_code == 200
    assert "Plan the meeting" in page.content.decode()
    start = (timezone.localtime() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    response = client.post(
        reverse("meetings:plan"),
        {
            "team": world.team_n.pk,
            "kind": "daily",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "chair": world.pro_n2.pk,
            "attendees": [world.pro_n.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert (meeting.kind, meeting.chair, meeting.starts_at) == ("daily", world.pro_n2, start)
    assert set(meeting.attendees.all()) == {world.pro_n, world.pro_n2}
    # A chair outside the team is refused with the field's error.
    bad = client.post(
        reverse("meetings:plan"),
        {
            "team": world.team_n.pk,
            "kind": "daily",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "chair": world.pro_s.pk,
        },
    )
    assert bad.status_code == 400
    # Departments and the privacy officer plan nothing.
    client.force_login(world.colleague)
    assert client.get(reverse("meetings:plan")).status_code == 404


def test_rhythm_is_the_managers(client, world):
    client.force_login(world.pro_n)
    assert client.get(reverse("meetings:rhythm")).status_code == 404
    client.force_login(world.mgr_n)
    assert client.get(reverse("meetings:rhythm")).status_code == 200
    prefix = f"{world.team_n.pk}-review"
    response = client.post(
        reverse("meetings:rhythm"),
        {
            "team": world.team_n.pk,
            "kind": "review",
            f"{prefix}-weekday": "3",
            f"{prefix}-at": "09:30",
            f"{prefix}-minutes": "60",
            f"{prefix}-no_progress_days": "14",
            f"{prefix}-is_active": "on",
        },
    )
    assert response.status_code == 302
    r = Rhythm.objects.get(team=world.team_n, kind="review")
    assert (r.weekday, r.at, r.minutes, r.no_progress_days, r.is_active) == (3, time(9, 30), 60, 14, True)
    # Not for another team's rhythm.
    response = client.post(reverse("meetings:rhythm"), {"team": world.team_s.pk, "kind": "review"})
    assert response.status_code == 404


def test_the_agenda_page_and_the_chairs_work(client, held):
    w = held
    items = list(AgendaItem.objects.filter(meeting=w.meeting).order_by("order"))
    assert [(i.source, i.case) for i in items] == [("put_forward", w.asked), ("no_progress", w.stale)]
    client.force_login(w.pro_n)
    page = client.get(reverse("meetings:detail", args=[w.meeting.pk])).content.decode()
    assert f"#{w.asked.pk} Jansen" in page and f"#{w.stale.pk} Bakker" in page
    assert "Tweedekanscontract of niet?" in page
    # Down, remove, add.
    assert client.post(reverse("meetings:item_down", args=[items[0].pk])).status_code == 302
    assert list(AgendaItem.objects.filter(meeting=w.meeting).order_by("order").values_list("pk", flat=True)) == [
        items[1].pk,
        items[0].pk,
    ]
    client.post(reverse("meetings:item_remove", args=[items[1].pk]))
    assert AgendaItem.objects.get(pk=items[1].pk).removed
    client.post(reverse("meetings:item_remove", args=[items[1].pk]), {"restore": "1"})
    assert not AgendaItem.objects.get(pk=items[1].pk).removed
    client.post(reverse("meetings:item_add", args=[w.meeting.pk]), {"title": "Werkdruk in het team"})
    assert AgendaItem.objects.filter(meeting=w.meeting, source="added", title="Werkdruk in het team").exists()
    bad = client.post(reverse("meetings:item_add", args=[w.meeting.pk]), {"title": "", "case": ""})
    assert bad.status_code == 400
    # An attendee who does not chair sees the agenda but cannot change it.
    client.force_login(w.pro_n2)
    assert client.get(reverse("meetings:detail", args=[w.meeting.pk])).status_code == 200
    assert client.post(reverse("meetings:item_up", args=[items[0].pk])).status_code == 403
    assert client.post(reverse("meetings:start", args=[w.meeting.pk])).status_code == 403


def test_meeting_from_record_to_minutes(client, held):
    w = held
    client.force_login(w.pro_n)
    client.post(reverse("meetings:start", args=[w.meeting.pk]))
    w.meeting.refresh_from_db()
    assert w.meeting.status == "open"
    asked = AgendaItem.objects.get(meeting=w.meeting, case=w.asked)
    stale = AgendaItem.objects.get(meeting=w.meeting, case=w.stale)
    response = client.post(
        reverse("meetings:item_record", args=[asked.pk]),
        {"advice": "Eerst budgetcoaching, dan opnieuw bekijken.", "decision": "Geen tweedekanscontract nu."},
    )
    assert response.status_code == 302
    entry = TimelineEntry.objects.get(case=w.asked, kind=EntryKind.MEETING, data__change="record")
    assert entry.data == {"meeting": w.meeting.pk, "item": asked.pk, "change": "record"}
    assert "Eerst budgetcoaching" in entry.text
    # The case page's timeline shows it.
    assert "Eerst budgetcoaching" in client.get(w.asked.get_absolute_url()).content.decode()
    due = timezone.localdate() + timedelta(days=5)
    response = client.post(
        reverse("meetings:item_action", args=[stale.pk]),
        {
            "what": "Huisbezoek plannen met Bakker",
            "who": "director",
            "due": due.isoformat(),
            "goal": "",
            "domain": "housing",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(case=w.stale)
    assert (action.what, action.due, action.goal.text) == (
        "Huisbezoek plannen met Bakker",
        due,
        "Afspraak uit werkoverleg",
    )
    invalid = client.post(reverse("meetings:item_action", args=[stale.pk]), {"what": "", "who": "director"})
    assert invalid.status_code == 400
    client.post(reverse("meetings:close", args=[w.meeting.pk]), {"notes": "Volgende week verder met de wachtlijst."})
    w.meeting.refresh_from_db()
    assert w.meeting.status == "closed"
    assert CaseQuestion.objects.get(pk=w.question.pk).handled_in == w.meeting

    before = AccessLogEntry.objects.filter(user_id=w.pro_n2.pk, record_type="case", action="read").count()
    client.force_login(w.pro_n2)
    text = pdf_text(client.get(reverse("meetings:minutes", args=[w.meeting.pk])))
    for expected in (
        "Verslag Casuïstiekoverleg",
        "Team Noord",
        f"#{w.asked.pk} Jansen",
        f"#{w.stale.pk} Bakker",
        "Ingebracht met een vraag",
        "Tweedekanscontract of niet?",
        "Eerst budgetcoaching, dan opnieuw bekijken.",
        "Geen tweedekanscontract nu.",
        "Huisbezoek plannen met Bakker",
        due.strftime("%d-%m-%Y"),
        "Volgende week verder met de wachtlijst.",
        "Geen voortgang",
    ):
        assert expected in text, expected
    logged = AccessLogEntry.objects.filter(user_id=w.pro_n2.pk, record_type="case", action="read")
    assert logged.count() == before + 2
    assert set(logged.values_list("record_id", flat=True)) >= {str(w.asked.pk), str(w.stale.pk)}


def test_minutes_and_agenda_are_for_the_attendees_only(client, held):
    w = held
    services.meeting_start(meeting=w.meeting, by=w.pro_n)
    services.meeting_close(meeting=w.meeting, by=w.pro_n)
    urls = [
        reverse("meetings:minutes", args=[w.meeting.pk]),
        reverse("meetings:detail", args=[w.meeting.pk]),
        reverse("api-meeting", args=[w.meeting.pk]),
        reverse("api-meeting-agenda", args=[w.meeting.pk]),
    ]
    for user, status in (
        (w.pro_n, 200),
        (w.pro_n2, 200),
        (w.mgr_n, 200),
        (w.outsider, 404),  # of the team, but not at this meeting
        (w.pro_s, 404),
        (w.mgr_s, 404),
        (w.colleague, 404),
        (w.privacy, 404),
    ):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)
    # The minutes of a meeting not yet closed: none.
    nxt = services.meeting_plan(
        team=w.team_n, kind=Kind.DAILY, starts_at=timezone.now(), chair=w.pro_n, attendees=[], by=w.pro_n
    )
    client.force_login(w.pro_n)
    assert client.get(reverse("meetings:minutes", args=[nxt.pk])).status_code == 404


def test_the_list_shows_only_ones_own(client, held):
    client.force_login(held.outsider)
    page = client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:detail", args=[held.meeting.pk]) not in page
    client.force_login(held.pro_n2)
    page = client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:detail", args=[held.meeting.pk]) in page
    client.force_login(held.colleague)
    assert client.get(reverse("meetings:list")).status_code == 404


def test_api_list_and_agenda(client, held):
    client.force_login(held.pro_n2)
    rows = client.get(reverse("api-meetings")).json()
    assert [r["id"] for r in rows] == [held.meeting.pk]
    agenda = client.get(reverse("api-meeting-agenda", args=[held.meeting.pk])).json()
    assert [(i["source"], i["case"]) for i in agenda] == [
        ("put_forward", held.asked.pk),
        ("no_progress", held.stale.pk),
    ]
    assert agenda[0]["question"] == "Tweedekanscontract of niet?"
    detail = client.get(reverse("api-meeting", args=[held.meeting.pk])).json()
    assert detail["status"] == "planned" and len(detail["items"]) == 2
    client.force_login(held.outsider)
    assert client.get(reverse("api-meetings")).json() == []


def test_put_forward_from_the_case_page_and_the_api(client, world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    response = client.post(reverse("meetings:put_forward", args=[case.pk]), {"question": "Hoe krijg ik contact?"})
    assert response.status_code == 302
    assert CaseQuestion.objects.get(case=case).question == "Hoe krijg ik contact?"
    api = client.post(
        reverse("api-meetings-put-forward", args=[case.pk]),
        {"question": "Nog een vraag"},
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["question"] == "Nog een vraag"
    assert (
        client.post(
            reverse("api-meetings-put-forward", args=[case.pk]), {}, content_type="application/json"
        ).status_code
        == 400
    )
    # Outside the case: 404, page and API alike.
    for user in (world.pro_s, world.pro_n2, world.colleague):
        client.force_login(user)
        assert client.post(reverse("meetings:put_forward", args=[case.pk]), {"question": "x"}).status_code == 404
        assert (
            client.post(
                reverse("api-meetings-put-forward", args=[case.pk]), {"question": "x"}, content_type="application/json"
            ).status_code
            == 404
        )
    assert CaseQuestion.objects.filter(case=case).count() == 2
