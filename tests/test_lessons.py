"""Lessons (leerpunten): recording, Dutch full-text search on both databases, case links hidden
from outsiders, suggestions on a case, and the pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from regie.audit.models import AccessLogEntry
from regie.learning import services
from regie.learning.search import fold, stem
from regie.learning.selectors import LessonFilter, case_tags, lessons, linked_cases, suggestions
from regie.network.models import Organisation, Referral
from regie.plans.models import Assessment, AssessmentScore, Goal
from tests.factories import open_case
from tests.test_mandate_support import catalogue, record

TEXTS = {
    "what_happened": "Huurder reageerde niet op brieven.",
    "what_worked": "Samen met de wijkagent aanbellen werkte.",
    "next_time": "Eerder huisbezoek plannen.",
}


def lesson(by, title="Huisbezoek werkt", **kw):
    return services.lesson_record(by=by, title=title, **{**TEXTS, **kw})


def partner(name="Schuldhulp Zandhoven"):
    return Organisation.objects.create(kind="partner", partner_type="debt", name=name)


def titles(qs):
    return [x.title for x in qs]


# -- recording --------------------------------------------------------------------------------


def test_record_with_tags_and_own_cases(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    org = partner()
    x = lesson(world.pro_n, domains=["housing", "finances", "housing"], partners=[org], cases=[case])
    assert x.team == world.team_n
    assert x.domains == ["finances", "housing"]  # unique, in the matrix's order
    assert list(x.partners.all()) == [org] and list(x.cases.all()) == [case]
    assert AccessLogEntry.objects.filter(action="update", record_type="case", record_id=str(case.pk)).exists()


def test_cannot_link_a_case_you_may_not_see(world):
    theirs = open_case(household=world.hh_s, director=world.pro_s)
    with pytest.raises(ValidationError) as err:
        lesson(world.pro_n, cases=[theirs])
    assert "cases" in err.value.message_dict


def test_texts_required_and_roles(world):
    with pytest.raises(ValidationError) as err:
        services.lesson_record(by=world.pro_n, title="x", what_happened=" ", what_worked="a", next_time="b")
    assert "what_happened" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        lesson(world.colleague)
    with pytest.raises(ValidationError):
        lesson(world.pro_n, domains=["nonsense"])


def test_edit_keeps_links_the_editor_cannot_see(world):
    mine = open_case(household=world.hh_n, director=world.pro_n)
    theirs = open_case(household=world.hh_s, director=world.pro_s)
    x = lesson(world.pro_s, cases=[theirs])
    x.cases.add(mine)  # linked by someone who sees both
    services.lesson_update(lesson=x, by=world.pro_s, title="Nieuw", cases=[], **TEXTS)
    assert set(x.cases.values_list("pk", flat=True)) == {mine.pk}
    with pytest.raises(PermissionDenied):
        services.lesson_update(lesson=x, by=world.pro_n, title="Niet van mij", **TEXTS)


# -- search -----------------------------------------------------------------------------------


@pytest.fixture
def library(world):
    a = lesson(
        world.pro_n, title="Ontruiming voorkomen met een tweede kans", what_happened="Er dreigde een ontruiming."
    )
    b = lesson(
        world.pro_n,
        title="Schuldhulp sneller starten",
        what_happened="De financiële problemen liepen op; uiteindelijk volgde bijna een ontruiming.",
    )
    c = lesson(world.pro_s, title="Overlast door geluid", what_happened="Buren klaagden over muziek.")
    return a, b, c


def search(world, q, user=None):
    return titles(lessons(user or world.pro_n, LessonFilter(q=q)))


def test_search_stems_dutch_plurals(world, library):
    a, b, _c = library
    found = search(world, "ontruimingen")
    assert found == [a.title, b.title]  # the title counts most
    assert search(world, "Ontruiming") == [a.title, b.title]


def test_search_needs_every_word(world, library):
    a, b, _c = library
    assert search(world, "ontruiming schuldhulp") == [b.title]
    assert search(world, "ontruiming kans") == [a.title]
    assert search(world, "muziek buren") == ["Overlast door geluid"]
    assert search(world, "verhuizing") == []


def test_search_folds_accents(world, library):
    _a, b, _c = library
    assert search(world, "financiele") == [b.title]
    assert search(world, "FINANCIËLE problemen") == [b.title]


def test_search_uses_postgres_full_text_search(world, library):
    """On PostgreSQL the query is a tsquery with the Dutch configuration (stems, not substrings)."""
    qs = lessons(world.pro_n, LessonFilter(q="ontruimingen"))
    sql = str(qs.query)
    if connection.vendor == "postgresql":
        assert "plainto_tsquery" in sql or "websearch_to_tsquery" in sql
        assert "dutch" in sql
        # A substring is not a word: "ontruim" finds by stem, "ruim" does not.
        assert search(world, "ruim") == []
    else:
        assert "tsquery" not in sql


def test_fallback_helpers():
    assert fold("Financiële Überweg") == "financiele uberweg"
    assert stem("ontruimingen") == "ontruiming" and stem("schulden") == "schuld" and stem("huis") == "huis"


def test_lessons_need_case_access(world, library):
    assert search(world, "ontruiming", user=world.colleague) == []
    assert len(lessons(world.pro_s, LessonFilter())) == 3  # the whole corporation's lessons


def test_filter_by_domain_partner_measure(world):
    m = catalogue(world)
    org = partner()
    a = lesson(world.pro_n, title="A", domains=["finances"], partners=[org])
    b = lesson(world.pro_n, title="B", domains=["housing"], measures=[m["waive"]])
    assert titles(lessons(world.pro_n, LessonFilter(domain="finances"))) == [a.title]
    assert titles(lessons(world.pro_n, LessonFilter(partner=org.pk))) == [a.title]
    assert titles(lessons(world.pro_n, LessonFilter(measure=m["waive"].pk))) == [b.title]


# -- case links -------------------------------------------------------------------------------


def test_case_links_hidden_from_outsiders(world):
    mine = open_case(household=world.hh_n, director=world.pro_n)
    x = lesson(world.pro_n, cases=[mine])
    own = linked_cases(world.pro_n, x)
    assert own.visible == [mine] and own.hidden == 0
    other = linked_cases(world.pro_s, x)
    assert other.visible == [] and other.hidden == 1 and other.total == 1
    manager = linked_cases(world.mgr_n, x)
    assert manager.visible == [mine]


def test_lesson_page_shows_cases_only_to_who_may_see_them(world, client):
    mine = open_case(household=world.hh_n, director=world.pro_n)
    x = lesson(world.pro_n, cases=[mine])
    client.force_login(world.pro_s)
    body = client.get(f"/leren/{x.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert x.title in body and "Jansen" not in body and f"/casussen/{mine.pk}/" not in body
    assert "linked to 1 case" in body and "1 linked case is not yours to see" in body
    before = AccessLogEntry.objects.filter(action="read", record_type="case", record_id=str(mine.pk)).count()
    client.force_login(world.pro_n)
    body = client.get(f"/leren/{x.pk}/").content.decode()
    assert "Jansen" in body and f"/casussen/{mine.pk}/" in body
    after = AccessLogEntry.objects.filter(action="read", record_type="case", record_id=str(mine.pk)).count()
    assert after == before + 1


def test_pages_and_roles(world, client, library):
    client.force_login(world.colleague)
    assert client.get("/leren/").status_code == 404
    client.force_login(world.pro_n)
    r = client.get("/leren/?q=ontruimingen")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Ontruiming voorkomen" in body and "Overlast door geluid" not in body
    r = client.get("/leren/nieuw/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and "personal data" in r.content.decode()


def test_record_through_the_form(world, client):
    case = open_case(household=world.hh_n, director=world.pro_n)
    client.force_login(world.pro_n)
    r = client.get(f"/leren/nieuw/?case={case.pk}")
    assert r.status_code == 200 and f'value="{case.pk}" selected' in r.content.decode()
    r = client.post(
        "/leren/nieuw/",
        {"title": "Vroeg bellen", **TEXTS, "domains": ["finances"], "cases": [case.pk]},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    x = case.lessons.get()
    assert x.title == "Vroeg bellen" and x.domains == ["finances"]
    r = client.post("/leren/nieuw/", {"title": "", **TEXTS})
    assert r.status_code == 400
    # Editing: the author, not a colleague from another team.
    assert client.get(f"/leren/{x.pk}/bewerken/").status_code == 200
    client.force_login(world.pro_s)
    assert client.get(f"/leren/{x.pk}/bewerken/").status_code == 403


# -- suggestions on a case --------------------------------------------------------------------


def test_suggestions_ranked_by_overlap(world):
    m = catalogue(world)
    org = partner()
    case = open_case(household=world.hh_n, director=world.pro_n)
    Goal.objects.create(case=case, domain="finances", text="Schulden op orde", created_by=world.pro_n)
    Goal.objects.create(case=case, domain="mental", text="Hulp bij somberheid", created_by=world.pro_n)
    Referral.objects.create(
        case=case,
        organisation=org,
        reason="Schulden",
        shared="Naam en adres",
        legal_ground="vital",
        legal_justification="Dreigende ontruiming",
        created_by=world.pro_n,
    )
    record(case, m["waive"], world.pro_n, value=100)
    withdrawn = record(case, m["waive"], world.pro_n, value=900)
    withdrawn.status = "withdrawn"
    withdrawn.save(update_fields=["status"])
    assessment = Assessment.objects.create(case=case, moment="intake", assessed_on=timezone.localdate(), by=world.pro_n)
    AssessmentScore.objects.create(assessment=assessment, domain="housing", score=2)
    AssessmentScore.objects.create(assessment=assessment, domain="work", score=4)
    tags = case_tags(case)
    assert tags.domains == {"finances", "mental", "housing"}
    assert tags.partners == {org.pk} and tags.measures == {m["waive"].pk}

    one = lesson(world.pro_s, title="Eén domein", domains=["finances"])
    three = lesson(world.pro_s, title="Drie", domains=["finances", "mental"], partners=[org])
    four = lesson(world.pro_n, title="Vier", domains=["finances", "mental"], partners=[org], measures=[m["waive"]])
    lesson(world.pro_n, title="Niets gemeen", domains=["justice"])
    lesson(world.pro_n, title="Van deze casus", domains=["finances"], cases=[case])
    got = suggestions(case)
    assert [s.lesson.title for s in got] == [four.title, three.title, one.title]
    assert got[0].score == 4 and got[0].partners == [org] and got[0].measures == [m["waive"]]


def test_no_suggestions_without_tags(world):
    case = open_case(household=world.hh_n, director=world.pro_n)
    lesson(world.pro_n, domains=["finances"])
    assert suggestions(case) == []


def test_case_panel(world):
    from django.test import RequestFactory

    from regie.learning.panels import case_context

    case = open_case(household=world.hh_n, director=world.pro_n)
    Goal.objects.create(case=case, domain="housing", text="Woning schoon", created_by=world.pro_n)
    x = lesson(world.pro_s, domains=["housing"])
    request = RequestFactory().get("/")
    request.user = world.pro_n
    ctx = case_context(request, case, may_manage=True, may_contribute=True)
    assert [s.lesson for s in ctx["lesson_suggestions"]] == [x]
    assert ctx["obstacle_new_url"] == f"/leren/knelpunten/nieuw/?case={case.pk}"
    from django.template.loader import render_to_string

    html = render_to_string("learning/_case_lessons_body.html", ctx)
    assert x.title in html and ctx["lesson_new_url"].replace("?", "") in html.replace("?", "")
    ctx = case_context(request, case, may_manage=False, may_contribute=False)
    assert ctx["obstacle_new_url"] == "" and ctx["lesson_new_url"] == ""


def test_case_lessons_load_after_the_case_page(world, client):
    case = open_case(household=world.hh_n, director=world.pro_n)
    Goal.objects.create(case=case, domain="housing", text="Woning schoon", created_by=world.pro_n)
    x = lesson(world.pro_s, title="Schoonmaak samen plannen", domains=["housing"])
    url = reverse("learning:case_lessons", args=[case.pk])
    client.force_login(world.pro_n)
    page = client.get(case.get_absolute_url()).content.decode()
    # The case page draws the section's heading and asks htmx for the rest.
    assert f'hx-get="{url}"' in page and x.title not in page
    before = AccessLogEntry.objects.filter(record_type="case", record_id=str(case.pk)).count()
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert fragment.status_code == 200 and x.title in body and "<html" not in body
    assert AccessLogEntry.objects.filter(record_type="case", record_id=str(case.pk)).count() == before + 1
    # Without htmx: a page of its own, with the way back to the case.
    full = client.get(url).content.decode()
    assert "<html" in full and x.title in full and case.get_absolute_url() in full
    # Outside the case: 404, as for the case page.
    client.force_login(world.pro_s)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
