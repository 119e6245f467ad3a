"""Sensitive life domains (mental health, substance use, justice): their goals, assessment scores
and notes, and contact notes marked sensitive are read by the case team only (plans.sensitivity).

Each kind of item is walked past each viewer: the director, a member of the case team, a colleague
of the same team who is not on it (404; under an emergency override he reads everything), the
team's manager who is not on it, a department colleague, and the API with a non-member's token.
Outside the case team the item is replaced by a placeholder, never silently dropped."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from regie.cases.services import case_member_add, contact_add
from regie.plans import services as plan_services
from regie.plans.pdf import plan_html
from regie.plans.sensitivity import SENSITIVE_DOMAINS, Shield, sees_sensitive
from tests.factories import UserFactory
from tests.test_network_setup import consent, english, net, refer  # noqa: F401
from tests.test_plan_support import plan_case

pytestmark = pytest.mark.django_db

# The words each item is written with: none may reach a reader outside the case team.
GOAL_SECRET = "Hulp bij somberheid en nachtmerries"
SCORE_SECRET = "Slaapt slecht, ziet het niet meer zitten"
CONTACT_SECRET = "Drinkt weer elke avond een fles"
OPEN_GOAL = "Schulden op orde"
OPEN_NOTE = "Drie schuldeisers"
OPEN_CONTACT = "Huisbezoek, keuken besproken"
DEPT_ACTION = "Deur van de slaapkamer repareren"
SECRETS = (GOAL_SECRET, CONTACT_SECRET)


@pytest.fixture
def sens(world):
    """Case of hh_n directed by pro_n, with pro_m on its team; one sensitive and one plain item of
    each kind."""
    w = world
    w.case, w.tenant = plan_case(w)
    w.pro_m = UserFactory(username="pro-m", role="professional", teams=[w.team_n])
    case_member_add(case=w.case, user=w.pro_m, role="BEH", by=w.pro_n)
    w.goal = plan_services.goal_add(case=w.case, domain="mental", text=GOAL_SECRET, by=w.pro_n)
    w.open_goal = plan_services.goal_add(case=w.case, domain="finances", text=OPEN_GOAL, by=w.pro_n)
    w.action = plan_services.action_add(
        goal=w.goal,
        what=DEPT_ACTION,
        who="department",
        department="maintenance",
        due=timezone.localdate() + timedelta(days=3),
        by=w.pro_n,
    )
    plan_services.assessment_record(
        case=w.case,
        moment="intake",
        scores={"mental": (2, SCORE_SECRET), "finances": (3, OPEN_NOTE)},
        by=w.pro_n,
    )
    now = timezone.now()
    w.contact = contact_add(
        case=w.case,
        at=now - timedelta(hours=2),
        channel="TEL",
        summary=CONTACT_SECRET,
        domains=["substance"],
        by=w.pro_m,
    )
    contact_add(case=w.case, at=now - timedelta(hours=1), channel="TEL", summary=OPEN_CONTACT, by=w.pro_n)
    return w


def case_page(client, user, case):
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    return response


def bars(svg) -> int:
    """Score bars drawn in the chart (each has its own title)."""
    return str(svg).count('<rect x="170"')


# -- the rule itself ----------------------------------------------------------------------------


def test_the_three_sensitive_domains():
    assert {"mental", "substance", "justice"} == SENSITIVE_DOMAINS


def test_who_reads_sensitive_domains(sens):
    w = sens
    assert sees_sensitive(w.pro_n, w.case) and sees_sensitive(w.pro_m, w.case)
    for outsider in (w.pro_n2, w.mgr_n, w.colleague, w.privacy, w.admin):
        assert not sees_sensitive(outsider, w.case), outsider.username


def test_leaving_the_case_team_ends_it(sens):
    from regie.cases.models import Case
    from regie.cases.services import case_member_remove

    w = sens
    member = w.case.members.get(user=w.pro_m, removed_at__isnull=True)
    case_member_remove(member=member, by=w.pro_n)
    assert not sees_sensitive(w.pro_m, Case.objects.get(pk=w.case.pk))


def test_asked_once_per_case_object(sens, django_assert_num_queries):
    w = sens
    with django_assert_num_queries(1):
        assert not sees_sensitive(w.mgr_n, w.case)
        assert not sees_sensitive(w.mgr_n, w.case)
    with django_assert_num_queries(0):  # the director: no query at all
        assert sees_sensitive(w.pro_n, w.case)


# -- the case page ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["pro_n", "pro_m"])
def test_case_team_reads_everything(client, sens, who):
    w = sens
    response = case_page(client, getattr(w, who), w.case)
    page = response.content.decode()
    assert response.status_code == 200
    for text in (GOAL_SECRET, CONTACT_SECRET, OPEN_GOAL, OPEN_CONTACT, DEPT_ACTION):
        assert text in page, text
    assert 'class="muted shielded"' not in page
    rows = {r.domain: r for r in response.context["zrm"].rows}
    assert rows["mental"].scores == [2] and not rows["mental"].shielded
    assert bars(response.context["zrm_svg"]) == 2


def test_manager_not_on_the_team_sees_placeholders(client, sens):
    w = sens
    response = case_page(client, w.mgr_n, w.case)
    page = response.content.decode()
    assert response.status_code == 200
    for secret in SECRETS:
        assert secret not in page, secret
    # The plain items and the action (who does what) stay; the goal is there, shielded.
    for text in (OPEN_GOAL, OPEN_CONTACT, DEPT_ACTION):
        assert text in page, text
    # Goal heading, score row, timeline goal entry, contact note: four placeholders at least.
    assert page.count('class="muted shielded"') >= 4
    rows = {r.domain: r for r in response.context["zrm"].rows}
    assert rows["mental"].shielded and rows["mental"].scores == [None] and rows["mental"].notes == [""]
    assert rows["finances"].scores == [3] and not rows["finances"].shielded
    assert bars(response.context["zrm_svg"]) == 1
    # His action form names the sensitive goal only as shielded.
    choices = dict(response.context["action_form"].fields["goal"].choices)
    assert all(GOAL_SECRET not in str(label) for label in choices.values())


def test_manager_on_the_case_team_reads_everything(client, sens):
    w = sens
    case_member_add(case=w.case, user=w.mgr_n, role="ADV", by=w.pro_n)
    page = case_page(client, w.mgr_n, w.case).content.decode()
    for secret in SECRETS:
        assert secret in page


def test_same_team_colleague_not_on_the_case_gets_404(client, sens):
    assert case_page(client, sens.pro_n2, sens.case).status_code == 404


def test_emergency_override_reads_everything(client, sens):
    from regie.audit.emergency import emergency_request

    w = sens
    emergency_request(user=w.pro_n2, case_id=w.case.pk, reason="De regisseur is ziek en huurder belt in crisis")
    response = case_page(client, w.pro_n2, w.case)
    assert response.status_code == 200
    for secret in SECRETS:
        assert secret in response.content.decode()


def test_whole_timeline_shields_goal_changes_too(client, sens):
    w = sens
    plan_services.goal_update(goal=w.goal, by=w.pro_n, text=GOAL_SECRET + " (bijgesteld)")
    client.force_login(w.mgr_n)
    page = client.get(reverse("cases:detail", args=[w.case.pk]) + "?timeline=all").content.decode()
    assert GOAL_SECRET not in page


def test_goal_entry_written_before_entries_carried_the_domain(sens):
    """Old `goal_changed` entries name the goal only: the goal's id still shields them."""
    from regie.cases.models import EntryKind, TimelineEntry

    w = sens
    old = TimelineEntry.objects.create(
        case=w.case, kind=EntryKind.PLAN, text=GOAL_SECRET, data={"change": "goal_changed", "goal": w.goal.pk}
    )
    assert Shield.for_case(w.mgr_n, w.case).entry(old)
    assert not Shield.for_case(w.pro_n, w.case).entry(old)


def test_case_page_stays_within_its_query_budget_for_an_outsider(client, sens, django_assert_max_num_queries):
    from tests.limits import CASE_PAGE_MAX_QUERIES

    client.force_login(sens.mgr_n)
    with django_assert_max_num_queries(CASE_PAGE_MAX_QUERIES):
        assert client.get(reverse("cases:detail", args=[sens.case.pk])).status_code == 200


# -- the plan's own pages and the PDF --------------------------------------------------------------


def test_action_page_shields_the_goal(client, sens):
    w = sens
    url = reverse("plans:action", args=[w.action.pk])
    client.force_login(w.mgr_n)
    page = client.get(url).content.decode()
    assert DEPT_ACTION in page and GOAL_SECRET not in page and 'class="muted shielded"' in page
    client.force_login(w.pro_m)
    assert GOAL_SECRET in client.get(url).content.decode()


def test_outsider_may_not_open_a_sensitive_goal_to_change_it(client, sens):
    w = sens
    client.force_login(w.mgr_n)
    assert client.get(reverse("plans:goal", args=[w.goal.pk])).status_code == 403
    assert client.get(reverse("plans:goal", args=[w.open_goal.pk])).status_code == 200
    client.force_login(w.pro_m)
    assert client.get(reverse("plans:goal", args=[w.goal.pk])).status_code == 200


def test_assessment_form_leaves_out_sensitive_domains_for_an_outsider(client, sens):
    w = sens
    client.force_login(w.mgr_n)
    form = client.get(reverse("plans:assess", args=[w.case.pk])).context["form"]
    assert "score_mental" not in form.fields and "score_finances" in form.fields
    client.force_login(w.pro_m)
    form = client.get(reverse("plans:assess", args=[w.case.pk])).context["form"]
    assert form.fields["score_mental"].initial == 2


def test_plan_pdf_shields_for_an_outsider(sens):
    w = sens
    shielded = plan_html(w.case)  # unsaid: shielded (fail closed)
    assert GOAL_SECRET not in shielded and "Afgeschermd" in shielded and DEPT_ACTION in shielded
    assert OPEN_GOAL in shielded and "Hoe u zich voelt" not in shielded
    assert GOAL_SECRET in plan_html(w.case, sees_sensitive=True)


def test_plan_pdf_view_shields_by_reader(client, sens, monkeypatch):
    from regie.plans import pdf

    seen = {}
    # WeasyPrint is slow; the test needs what went into the document, not the PDF itself.
    monkeypatch.setattr(pdf, "plan_pdf_bytes", lambda case, *, sees_sensitive: seen.update(s=sees_sensitive) or b"%")
    for user, expected in ((sens.mgr_n, False), (sens.pro_m, True)):
        client.force_login(user)
        assert client.get(reverse("plans:pdf", args=[sens.case.pk])).status_code == 200
        assert seen["s"] is expected


# -- department colleagues ----------------------------------------------------------------------


def test_department_colleague_sees_the_action_never_the_goal(client, sens):
    w = sens
    client.force_login(w.colleague)
    for url in (reverse("plans:worklist"), reverse("plans:work_item", args=[w.action.pk])):
        page = client.get(url).content.decode()
        assert DEPT_ACTION in page
        for secret in (GOAL_SECRET, "Mental health", "Geestelijke gezondheid"):
            assert secret not in page, secret
    assert case_page(client, w.colleague, w.case).status_code == 404
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(w.colleague)
    body = api.get("/api/worklist/").content.decode()
    assert DEPT_ACTION in body and GOAL_SECRET not in body and "mental" not in body


# -- the API ------------------------------------------------------------------------------------


def api_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_api_shields_goals_scores_contacts_and_timeline_for_a_non_member(sens):
    w = sens
    api = api_for(w.mgr_n)
    goals = {g["id"]: g for g in api.get(f"/api/cases/{w.case.pk}/goals/").json()}
    assert goals[w.goal.pk]["shielded"] and goals[w.goal.pk]["domain"] is None
    assert goals[w.goal.pk]["text"] != GOAL_SECRET and goals[w.goal.pk]["actions"][0]["what"] == DEPT_ACTION
    assert goals[w.open_goal.pk]["text"] == OPEN_GOAL and not goals[w.open_goal.pk]["shielded"]
    single = api.get(f"/api/goals/{w.goal.pk}/").json()
    assert single["shielded"] and single["text"] != GOAL_SECRET

    scores = {s["domain"]: s for s in api.get(f"/api/cases/{w.case.pk}/assessments/").json()[0]["scores"]}
    assert scores["mental"] == {"domain": "mental", "score": None, "note": scores["mental"]["note"], "shielded": True}
    assert scores["mental"]["note"] != SCORE_SECRET
    assert scores["finances"]["score"] == 3 and scores["finances"]["note"] == OPEN_NOTE

    contacts = api.get(f"/api/cases/{w.case.pk}/contacts/").json()["results"]
    marked = next(c for c in contacts if c["id"] == w.contact.pk)
    assert marked["shielded"] and marked["domains"] == [] and marked["summary"] != CONTACT_SECRET
    assert any(c["summary"] == OPEN_CONTACT and not c["shielded"] for c in contacts)

    detail = api.get(f"/api/cases/{w.case.pk}/").content.decode()
    for secret in (GOAL_SECRET, CONTACT_SECRET, '"domain": "mental"', '"domain":"mental"'):
        assert secret not in detail, secret
    assert OPEN_GOAL in detail and OPEN_CONTACT in detail


def test_api_gives_the_case_team_everything(sens):
    w = sens
    api = api_for(w.pro_m)
    goals = {g["id"]: g for g in api.get(f"/api/cases/{w.case.pk}/goals/").json()}
    assert goals[w.goal.pk]["text"] == GOAL_SECRET and goals[w.goal.pk]["domain"] == "mental"
    scores = {s["domain"]: s for s in api.get(f"/api/cases/{w.case.pk}/assessments/").json()[0]["scores"]}
    assert scores["mental"]["score"] == 2 and scores["mental"]["note"] == SCORE_SECRET
    contacts = api.get(f"/api/cases/{w.case.pk}/contacts/").json()["results"]
    assert any(c["summary"] == CONTACT_SECRET and c["domains"] == ["substance"] for c in contacts)
    detail = api.get(f"/api/cases/{w.case.pk}/").content.decode()
    assert GOAL_SECRET in detail and CONTACT_SECRET in detail


def test_api_other_viewers_get_404(sens):
    w = sens
    for user in (w.pro_n2, w.pro_s, w.colleague):
        assert api_for(user).get(f"/api/cases/{w.case.pk}/goals/").status_code == 404, user.username


def test_api_outsider_may_not_change_or_score_sensitive_domains(sens):
    w = sens
    api = api_for(w.mgr_n)
    assert api.patch(f"/api/goals/{w.goal.pk}/", {"text": "Anders"}, format="json").status_code == 403
    assert api.patch(f"/api/goals/{w.open_goal.pk}/", {"text": "Anders"}, format="json").status_code == 200
    body = {"moment": "evaluation", "scores": [{"domain": "justice", "score": 3}]}
    refused = api.post(f"/api/cases/{w.case.pk}/assessments/", body, format="json")
    assert refused.status_code == 400 and "justice" in str(refused.json())


def test_api_records_a_sensitive_contact(sens):
    w = sens
    body = {
        "at": timezone.now().isoformat(),
        "channel": "TEL",
        "summary": "Rechtszaak volgende week",
        "domains": ["justice"],
    }
    made = api_for(w.pro_m).post(f"/api/cases/{w.case.pk}/contacts/", body, format="json")
    assert made.status_code == 201 and made.json()["domains"] == ["justice"]
    wrong = api_for(w.pro_m).post(f"/api/cases/{w.case.pk}/contacts/", {**body, "domains": ["finances"]}, format="json")
    assert wrong.status_code == 400


# -- marking a contact note sensitive ------------------------------------------------------------


def test_contact_form_marks_a_note_sensitive(client, sens):
    w = sens
    client.force_login(w.pro_n)
    at = timezone.localtime() - timedelta(minutes=5)
    response = client.post(
        reverse("cases:contact", args=[w.case.pk]),
        {
            "at": at.strftime("%Y-%m-%dT%H:%M"),
            "channel": "BEZ",
            "summary": "Gesprek over de reclassering",
            "domains": ["justice"],
        },
    )
    assert response.status_code == 302
    contact = w.case.contacts.get(summary="Gesprek over de reclassering")
    assert contact.domains == ["justice"] and contact.is_sensitive
    assert "Gesprek over de reclassering" not in case_page(client, w.mgr_n, w.case).content.decode()


def test_only_sensitive_domains_can_mark_a_contact(sens):
    with pytest.raises(ValidationError):
        contact_add(case=sens.case, at=timezone.now(), channel="TEL", summary="x", domains=["finances"], by=sens.pro_n)


# -- partners: the referral rule --------------------------------------------------------------------

JUSTIFICATION = "Acuut gevaar voor de huurder; toestemming vragen is nu niet mogelijk en niet veilig."


def refused(call) -> str:
    with pytest.raises(ValidationError) as err:
        call()
    return " ".join(err.value.messages)


def test_non_statutory_ground_alone_is_refused_for_a_sensitive_domain(net):  # noqa: F811
    msg = refused(
        lambda: refer(net, domains=["substance", "finances"], legal_ground="vital", legal_justification=JUSTIFICATION)
    )
    assert "Substance use" in msg and "Finances" not in msg and "statutory" in msg


def test_non_statutory_ground_with_a_covering_consent_passes(net):  # noqa: F811
    c = consent(net, domains=["substance"])
    r = refer(net, domains=["substance", "finances"], legal_ground="vital", legal_justification=JUSTIFICATION)
    assert r.consent == c and r.legal_ground == "vital"


def test_non_statutory_ground_still_serves_plain_domains(net):  # noqa: F811
    r = refer(net, domains=["finances"], legal_ground="vital", legal_justification=JUSTIFICATION)
    assert r.consent is None


@pytest.mark.parametrize("ground", ["meldcode", "legal"])
def test_statutory_duty_may_share_a_sensitive_domain(net, ground):  # noqa: F811
    r = refer(
        net, organisation=net.safe_home, domains=["mental"], legal_ground=ground, legal_justification=JUSTIFICATION
    )
    assert r.consent is None and r.legal_ground == ground


def test_consent_must_cover_the_sensitive_domain(net):  # noqa: F811
    consent(net, domains=["finances"])
    msg = refused(lambda: refer(net, domains=["mental"]))
    assert "Mental health" in msg
    assert refer(net, domains=["finances"]).consent is not None


def test_withdrawn_consent_does_not_carry_a_sensitive_domain(net):  # noqa: F811
    from regie.network.services import consent_withdraw

    c = consent(net, domains=["substance"])
    consent_withdraw(consent=c, by=net.pro_n)
    msg = refused(lambda: refer(net, domains=["substance"], legal_ground="vital", legal_justification=JUSTIFICATION))
    assert "Substance use" in msg


def test_lesson_suggestions_name_no_sensitive_domain_outside_the_case_team(sens, client):
    """The case's lessons (loaded after its page) say what a lesson has in common with the case;
    for a reader outside the case team that must not be one of its sensitive domains."""
    from regie.learning.models import Lesson

    w = sens
    lesson = Lesson.objects.create(
        team=w.team_s,
        title="Samen naar de huisarts",
        what_happened="Huurder zag op tegen de afspraak.",
        what_worked="Samen gaan werkte.",
        next_time="Eerder aanbieden.",
        domains=["mental"],
        created_by=w.pro_s,
    )
    url = reverse("learning:case_lessons", args=[w.case.pk])
    client.force_login(w.pro_n)
    assert lesson.title in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    client.force_login(w.mgr_n)  # the team's manager, not on the case team
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert lesson.title not in body


def test_the_meeting_follow_up_form_names_a_sensitive_goal_by_the_placeholder(sens):
    from regie.meetings.forms import GoalChoice
    from regie.plans.models import Goal
    from regie.plans.sensitivity import PLACEHOLDER

    field = GoalChoice(queryset=Goal.objects.filter(case=sens.case))
    labels = [label for _, label in field.choices]
    assert not any(GOAL_SECRET in label for label in labels)
    assert any(str(PLACEHOLDER) in label for label in labels) and any(OPEN_GOAL in label for label in labels)


def test_the_network_panel_shields_sensitive_domains_and_what_a_referral_about_them_says(net, client):  # noqa: F811
    """Consents and referrals name their domains; outside the case team a sensitive one (and the
    reason of a referral that touches one) shows as the placeholder, in the table and the picture."""
    consent(net, domains=["substance", "finances"])
    refer(net, domains=["substance", "finances"])
    url = net.case_n.get_absolute_url()
    client.force_login(net.pro_n)
    client.cookies["django_language"] = "en"
    director = client.get(url).content.decode()
    assert "Substance use" in director and "Drinkt veel sinds ontslag" in director
    client.force_login(net.mgr_n)  # the team's manager, not on the case team
    outsider = client.get(url).content.decode()
    network = outsider.split('id="network"')[1].split("</section>")[0]
    assert "Drinkt veel sinds ontslag" not in outsider  # neither in the table nor on the timeline
    assert "Substance use" not in network and "Substance use)" not in outsider  # table, picture, timeline
    assert "Shielded: for the case team only" in network and "Finances" in network


def test_the_api_timeline_shields_a_referral_about_a_sensitive_domain(net):  # noqa: F811
    consent(net, domains=["substance", "finances"])
    refer(net, domains=["substance", "finances"])
    api = APIClient()
    api.force_authenticate(net.mgr_n)  # not on the case team
    timeline = api.get(f"/api/cases/{net.case_n.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()["timeline"]
    entries = [i["entry"] for i in timeline if i["entry"] and i["entry"]["kind"] in ("consent", "referral")]
    assert len(entries) == 2 and all(e["text"] == "Shielded: for the case team only" for e in entries)
    assert all("substance" not in e["data"].get("domains", []) for e in entries)
    assert "Drinkt veel" not in str(timeline)
    api.force_authenticate(net.pro_n)  # the director reads it all
    mine = api.get(f"/api/cases/{net.case_n.pk}/").json()["timeline"]
    assert "Drinkt veel sinds ontslag; wil hulp." in str(mine)
