"""The main pages against WCAG 2.1 A/AA with axe-core, plus what axe does not check: one h1,
landmarks, a working skip link, unique ids and ARIA references that resolve, no CSP violations,
nothing loaded from another host."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.services import case_next_step_set, case_transition, contact_add
from tests.browser.conftest import BROWSER
from tests.factories import ArrearsFactory, EventFactory, TenancyFactory, UnitFactory, UserFactory, open_case

pytestmark = BROWSER
expect = pytest.importorskip("playwright.sync_api").expect

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def busy_town(town):
    """The town with work in it: cases on the caseload, a household with history, a case with a
    timeline, and entries in the access log."""
    today = timezone.localdate()
    for month in range(6):
        ArrearsFactory(tenancy=town.hh, date=date(2026, 1 + month, 1), balance=Decimal(400 * month))
    EventFactory(tenancy=town.hh, type="ZAAKTYPEDETAILSOORT.GEL", description="Harde muziek", date=today)
    EventFactory(tenancy=town.hh, type="REGIE.ONT", date=today - timedelta(days=3))
    town.case = open_case(household=town.hh, director=town.pro, question="Ik wil rust in huis.")
    case_transition(case=town.case, to_status="intake", by=town.pro, note="Intake gepland.")
    contact_add(
        case=town.case,
        at=timezone.now() - timedelta(days=1),
        channel="BEZ",
        summary="Huisbezoek: Anna wil hulp bij haar schulden.",
        persons=[town.anna],
        others="Buurtcoach",
        by=town.pro,
    )
    case_next_step_set(case=town.case, next_step="Budgetcoach bellen", due=today - timedelta(days=1), by=town.pro)
    for street in ("Beukenlaan", "Kastanjelaan"):
        other = TenancyFactory(unit=UnitFactory(area=town.area, street=street), name=f"Familie {street}")
        open_case(household=other, director=town.pro)
    access_record(user=town.pro, action=Action.READ, record_type="case", record_ids=[town.case.pk])
    town.admin = UserFactory(username="fb", role="admin")
    town.incasso = UserFactory(username="inc", role="department", department="collections")
    town.maint = UserFactory(
        username="ond", first_name="Olaf", last_name="Onderhoud", role="department", department="maintenance"
    )
    return town


def visit_login(page, t):
    page.goto("/inloggen/")


def visit_login_failed(page, t):
    page.goto("/inloggen/")
    page.get_by_label(re.compile("Username|Gebruikersnaam")).fill(t.pro.username)
    page.get_by_label(re.compile("Password|Wachtwoord")).fill("wrong-password-123")
    page.get_by_role("button", name=re.compile("^(Log in|Inloggen)$")).click()
    expect(page.locator(".error-summary")).to_be_focused()


def visit_caseload(page, t):
    page.goto("/casussen/")
    expect(page.locator("table tbody tr")).to_have_count(3)


def visit_household(page, t):
    page.goto(t.hh.get_absolute_url())
    page.locator("details.panel summary").click()  # the figures behind the chart


def visit_household_open_form(page, t):
    page.goto(t.other.get_absolute_url())  # no case yet: the form to open one
    # A director who left meanwhile: the server refuses the choice.
    page.get_by_label("Director").evaluate("s => { s.add(new Option('Gone', '999999')); s.value = '999999'; }")
    page.get_by_role("button", name=re.compile("Open case|Casus openen")).click()
    expect(page.locator(".error-summary")).to_be_focused()


def visit_case(page, t):
    page.goto(t.case.get_absolute_url())
    page.locator("#contact-panel summary").click()
    expect(page.locator("#contact-panel form")).to_be_visible()


def visit_case_with_errors(page, t):
    """Every panel open, the closing fields shown, and a status form sent without an outcome."""
    page.goto(t.case.get_absolute_url())
    page.get_by_label("New status").select_option("closed")
    page.get_by_role("button", name=re.compile("Change status|Status wijzigen")).click()
    expect(page.locator(".error-summary")).to_be_focused()
    page.locator("details.panel").evaluate_all("panels => panels.forEach(d => { d.open = true; })")
    expect(page.get_by_label("Outcome", exact=True)).to_be_visible()


def visit_search(page, t):
    page.goto("/casussen/")
    search = page.get_by_role("banner").get_by_role("search")
    search.get_by_role("searchbox").fill("laan")
    search.get_by_role("button").click()
    expect(page.locator("table tbody tr")).to_have_count(4)


def visit_access_log(page, t):
    page.goto("/toegangslog/")
    expect(page.locator("table tbody tr").first).to_be_visible()


def _detect(t):
    from regie.signalling.models import DetectionRun
    from regie.signalling.services import detection_run

    today = timezone.localdate()
    flagged = TenancyFactory(unit=UnitFactory(area=t.area, street="Wilgenlaan"), name="Familie Wilgenlaan")
    ArrearsFactory(tenancy=flagged, date=today, balance=flagged.monthly_rent * 3)
    EventFactory(tenancy=flagged, type="ZAAKTYPEDETAILSOORT.PSY", date=today - timedelta(days=5))
    EventFactory(tenancy=flagged, type="REGIE.DAG", date=today - timedelta(days=9))
    detection_run(as_of=today, trigger=DetectionRun.Trigger.MANUAL)
    return flagged


def visit_inbox(page, t):
    _detect(t)
    page.goto("/signalen/")
    expect(page.locator("table tbody tr")).to_have_count(1)


def visit_inbox_detail(page, t):
    flagged = _detect(t)
    page.goto(f"/signalen/{flagged.pk}/")
    page.get_by_role("button", name=re.compile("^(Dismiss|Afwijzen)$")).click()  # no reason: refused
    page.locator("details.panel summary").click()


def visit_rules(page, t):
    page.goto("/beheer/detectie/")
    page.get_by_role("button", name=re.compile("Save|Opslaan")).click()  # no note, nothing changed: errors
    expect(page.locator(".error-summary")).to_be_visible()


def _wgs_ready(t):
    """A tenancy ready to signal: three months behind, reminded 20 days ago, called once."""
    today = timezone.localdate()
    ready = TenancyFactory(unit=UnitFactory(area=t.area, street="Populierlaan"), name="Familie Populier")
    ArrearsFactory(tenancy=ready, date=today - timedelta(days=60), balance=ready.monthly_rent)
    ArrearsFactory(tenancy=ready, date=today, balance=ready.monthly_rent * 3)
    EventFactory(tenancy=ready, type="REGIE.AAN", source="INC", date=today - timedelta(days=20))
    EventFactory(tenancy=ready, type="REGIE.CTP", source="INC", date=today - timedelta(days=10))
    return ready


def visit_wgs_review(page, t):
    _wgs_ready(t)
    page.goto("/vroegsignalering/")
    expect(page.locator("table tbody tr").first).to_be_visible()


def visit_import_dry_run(page, t):
    page.goto("/beheer/import/")
    rows = "tenancy_id,unit_id,start_date,end_date,monthly_rent\r\nHO1,VHE404,2020-01-01,,0\r\n"
    page.get_by_label(re.compile("^(Files|Bestanden)")).set_input_files(
        [{"name": "tenancies.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
    )
    page.get_by_role("button", name=re.compile("Upload and check|Uploaden en controleren")).click()
    expect(page.locator("table").first).to_be_visible()


def _network(t):
    """The directory: two partners (one with a contact person and an agreement) and a department."""
    from regie.network.services import contact_person_create, organisation_create

    t.debt = organisation_create(
        by=t.admin,
        kind="partner",
        partner_type="debt",
        name="Schuldhulp Noord",
        working_area="Noord en Centrum",
        must="Binnen tien werkdagen een intakegesprek.",
        may="Een betalingsregeling met schuldeisers treffen.",
        cannot="Geen beschermingsbewind uitspreken.",
        services="Schuldhulpverlening, budgetbeheer, hulp bij formulieren.",
        referral_route="Aanmelden per telefoon of via het verwijsformulier.",
        referral_criteria="Huurders met problematische schulden.",
        data_sharing_agreement=True,
        agreement_until=timezone.localdate() + timedelta(days=365),
        phone="020 123 4567",
        email="aanmelden@schuldhulp.example",
        website="https://schuldhulp.example/",
        areas=[t.area],
    )
    contact_person_create(
        organisation=t.debt, by=t.admin, name="Sanne de Vries", function="Consulent", phone="020 123 4568"
    )
    t.coach = organisation_create(by=t.admin, kind="partner", partner_type="budget", name="Budgetcoach Zuid")
    organisation_create(by=t.admin, kind="department", department="maintenance", name="Onderhoud")


def _plan(t):
    """The case with its plan filled: two assessments, a goal, a department's action and a
    partner's action, Anna's consent for the debt counsellor, a referral and an evaluation."""
    from regie.network.services import consent_record, referral_create
    from regie.plans import services
    from regie.plans.aftercare import evaluation_plan

    today = timezone.localdate()
    _network(t)
    t.anna.phone, t.anna.email = "06 1234 5678", "anna@example.org"
    t.anna.save(update_fields=["phone", "email"])
    scores = {"finances": (2, "Drie schuldeisers"), "housing": (3, ""), "network": (2, ""), "mental": (4, "")}
    services.assessment_record(
        case=t.case, moment="intake", scores=scores, by=t.pro, assessed_on=today - timedelta(days=60)
    )
    scores = {"finances": (3, "Regeling loopt"), "housing": (4, ""), "network": (2, ""), "mental": (4, "")}
    services.assessment_record(case=t.case, moment="evaluation", scores=scores, by=t.pro, note="Het gaat beter.")
    goal = services.goal_add(
        case=t.case, domain="finances", text="Ik wil mijn schulden op een rij.", by=t.pro, target_date=today
    )
    services.goal_add(case=t.case, domain="housing", text="Een warm huis zonder schimmel.", by=t.pro)
    t.action = services.action_add(
        goal=goal,
        what="Cv-ketel vervangen",
        who="department",
        department="maintenance",
        due=today + timedelta(days=5),
        by=t.pro,
    )
    services.action_add(goal=goal, what="Post openen met Anna", who="director", due=today - timedelta(days=2), by=t.pro)
    consent = consent_record(
        case=t.case, person=t.anna, organisation=t.debt, domains=["finances"], given_on=today, form="written", by=t.pro
    )
    referral = referral_create(
        case=t.case,
        organisation=t.debt,
        reason="Anna wil hulp bij haar schulden.",
        shared="Huurachterstand en schuldeisers.",
        domains=["finances"],
        consent=consent,
        by=t.pro,
    )
    services.action_add(goal=goal, what="Intakegesprek schuldhulp", who="partner", referral=referral, by=t.pro)
    evaluation_plan(case=t.case, due=today + timedelta(days=30), by=t.pro)


def visit_assessment_form(page, t):
    _plan(t)  # the form starts from the latest scores
    page.goto(f"/plan/casus/{t.case.pk}/zelfredzaamheid/")
    expect(page.locator("#id_score_finances")).to_have_value("3")


def visit_assessment_errors(page, t):
    page.goto(f"/plan/casus/{t.case.pk}/zelfredzaamheid/")
    page.get_by_label(re.compile("^(Assessed on|Beoordeeld op)")).fill("2999-01-01")
    page.get_by_role("button", name=re.compile("Save assessment|Beoordeling opslaan")).click()
    expect(page.locator(".error-summary")).to_be_focused()


def visit_case_plan(page, t):
    """The case page with the plan, network and evaluation panels filled, and every panel open."""
    _plan(t)
    page.goto(t.case.get_absolute_url())
    page.locator("details").evaluate_all("panels => panels.forEach(d => { d.open = true; })")
    expect(page.locator("#plan-h")).to_be_visible()
    expect(page.locator("section#network table").first).to_be_visible()


def visit_case_plan_errors(page, t):
    """The goal form sent back with an error, shown on the case page."""
    _plan(t)
    page.goto(t.case.get_absolute_url())
    side = page.get_by_role("complementary").locator("section", has=page.locator("#plan-side-h"))
    side.locator("summary").first.click()
    side.locator("form").first.evaluate("f => f.noValidate = true")
    side.get_by_role("button", name=re.compile("Save goal|Doel opslaan")).click()
    expect(page.locator(".error-summary")).to_be_focused()


def visit_consent_form_errors(page, t):
    _network(t)
    page.goto(f"/netwerk/casus/{t.case.pk}/toestemming/")
    page.locator("main form").evaluate("f => f.noValidate = true")
    page.get_by_role("button", name=re.compile("Save consent|Toestemming opslaan")).click()
    expect(page.locator(".error-summary")).to_be_focused()


def visit_referral_refused(page, t):
    _network(t)
    page.goto(f"/netwerk/casus/{t.case.pk}/verwijzen/")
    form = page.locator("main form")
    form.locator("#id_referral_organisation").select_option(str(t.coach.pk))
    form.locator("#id_referral_reason").fill("Budgetcoaching.")
    form.locator("#id_referral_domains_0").check()
    form.locator("#id_referral_shared").fill("Het maandbudget.")
    form.locator("button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_focused()


def visit_worklist_department(page, t):
    _plan(t)
    page.goto("/plan/werk/")
    expect(page.locator("table tbody tr")).to_have_count(1)


def visit_work_item(page, t):
    from regie.plans.services import action_accept, action_progress

    _plan(t)
    action_accept(action=t.action, by=t.maint)
    action_progress(action=t.action, by=t.maint, text="Monteur ingepland voor donderdag.")
    page.goto(f"/plan/werk/{t.action.pk}/")
    expect(page.get_by_role("complementary").locator("form")).to_have_count(2)


def visit_worklist_director(page, t):
    _plan(t)
    page.goto("/plan/werk/")
    expect(page.locator("table tbody tr")).to_have_count(2)


def visit_directory(page, t):
    _network(t)
    page.goto("/netwerk/")
    expect(page.locator("table tbody tr")).to_have_count(3)


def visit_organisation(page, t):
    _plan(t)  # engaged in the case through the referral
    page.goto(f"/netwerk/{t.debt.pk}/")
    expect(page.locator("#cases-h")).to_be_visible()


def visit_aftercare_check(page, t):
    from regie.cases.services import case_transition
    from regie.plans.models import AftercareCheck

    closed = open_case(household=t.other, director=t.pro)
    case_transition(case=closed, to_status="intake", by=t.pro)
    case_transition(
        case=closed, to_status="closed", by=t.pro, outcome="resolved", outcome_note="Schulden geregeld, rust in huis."
    )
    check = AftercareCheck.objects.filter(case=closed).first()
    page.goto(f"/nazorg/controle/{check.pk}/")
    page.locator("main form").evaluate("f => f.noValidate = true")
    page.locator("main form button[type=submit]").click()  # no result chosen: errors
    expect(page.locator(".error-summary")).to_be_focused()


def _mandate(t):
    """A catalogue with limits and a budget, and decisions in the case: one in effect, one waiting,
    one with the approver's question, one departing from procedure."""
    from regie.mandate import services

    year = timezone.localdate().year
    t.waive = services.measure_save(
        by=t.admin,
        code="kwijtschelden",
        name="Incassokosten kwijtschelden",
        parameter="amount",
        department="collections",
    )
    t.clean = services.measure_save(
        by=t.admin, code="schoonmaak", name="Schoonmaak na vervuiling", parameter="amount", uses_budget=True
    )
    services.limits_update(
        changes={
            ("kwijtschelden", "professional"): Decimal("250"),
            ("kwijtschelden", "manager"): Decimal("1000"),
            ("schoonmaak", "professional"): Decimal("500"),
            ("schoonmaak", "manager"): None,
        },
        by=t.admin,
        note="Eerste versie",
    )
    services.budget_set(team=t.team, year=year, amount=Decimal("5000"), by=t.admin)
    texts = {
        "problem": "Kosten blokkeren de regeling.",
        "justification": "Anna betaalt op tijd.",
        "expected_effect": "Rust.",
    }
    services.decision_record(case=t.case, measure=t.waive, value=Decimal("100"), by=t.pro, **texts)
    services.decision_record(case=t.case, measure=t.clean, value=Decimal("300"), by=t.pro, **texts)
    services.decision_record(
        case=t.case, measure=t.waive, value=Decimal("600"), by=t.pro, deviates_from="Incassoprocedure", **texts
    )
    asked = services.decision_record(case=t.case, measure=t.waive, value=Decimal("700"), by=t.pro, **texts)
    services.decision_answer(decision=asked, answer="question", reason="Waarom nu?", by=t.mgr)


def visit_mandate_case(page, t):
    _mandate(t)
    page.goto(t.case.get_absolute_url())
    page.locator("details").evaluate_all("panels => panels.forEach(d => { d.open = true; })")
    expect(page.locator("#decisions-h")).to_be_visible()


def visit_mandate_case_errors(page, t):
    _mandate(t)
    page.goto(reverse("mandate:decide", args=[t.case.pk]))
    side = page.get_by_role("main")
    side.locator("form").evaluate("f => f.noValidate = true")
    side.get_by_role("button", name=re.compile("Record decision|Besluit vastleggen")).click()
    expect(page.locator(".error-summary")).to_be_focused()


def visit_mandate_approvals(page, t):
    _mandate(t)
    page.goto("/mandaat/akkoord/")
    expect(page.locator("main article")).to_have_count(1)


def visit_mandate_overview(page, t):
    _mandate(t)
    page.goto("/mandaat/overzicht/")
    expect(page.locator("#deviations-h")).to_be_visible()


def visit_mandate_admin(page, t):
    _mandate(t)
    page.goto("/mandaat/beheer/")
    expect(page.locator("main table").first).to_be_visible()


def visit_mandate_limits(page, t):
    _mandate(t)
    page.goto("/mandaat/beheer/limieten/")
    page.locator("main form").evaluate("f => f.noValidate = true")
    page.locator("main form button[type=submit]").click()  # no note: errors
    expect(page.locator(".error-summary")).to_be_focused()


def visit_meeting(page, t):
    from regie.meetings.services import meeting_plan

    meeting = meeting_plan(
        team=t.team,
        kind="review",
        starts_at=timezone.now() + timedelta(days=1),
        chair=t.mgr,
        attendees=[t.pro, t.pro2, t.mgr],
        by=t.mgr,
    )
    page.goto(f"/overleg/{meeting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def visit_lessons(page, t):
    from regie.learning.services import lesson_record

    lesson_record(
        by=t.pro,
        title="Eerst de budgetcoach, dan de regeling",
        what_happened="Een regeling liep vast omdat de post niet werd geopend.",
        what_worked="Samen de post openen werkte; alleen een brief sturen niet.",
        next_time="Budgetcoach inschakelen voordat we een regeling afspreken.",
        domains=["finances"],
        cases=[t.case],
    )
    page.goto("/leren/?q=regeling")
    expect(page.locator("main article, main table").first).to_be_visible()


def visit_obstacles(page, t):
    from regie.learning.services import obstacle_raise

    obstacle_raise(
        by=t.pro,
        title="Incasso stuurt door naar de deurwaarder tijdens een lopend traject",
        description="De automatische stap naar de deurwaarder houdt geen rekening met schuldhulp.",
        where="procedure",
        cases=[t.case],
    )
    page.goto("/leren/knelpunten/")
    expect(page.locator("main").get_by_text("deurwaarder").first).to_be_visible()


def visit_results_dashboard(page, t):
    page.goto("/resultaten/")
    expect(page.locator("main svg, main table").first).to_be_visible()


def visit_not_found(page, t):
    assert page.goto("/casussen/999999/").status == 404


# -- issue 7: signing in, the account, the privacy officer's desks, emergency access -----------


def _password_step(page, user):
    from tests.browser.conftest import PASSWORD

    page.goto("/inloggen/")
    page.get_by_label(re.compile("Username|Gebruikersnaam")).fill(user.username)
    page.get_by_label(re.compile("Password|Wachtwoord")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("^(Log in|Inloggen)$")).click()


def visit_login_second_step(page, t):
    from tests.auth_helpers import give_totp

    give_totp(t.pro)
    _password_step(page, t.pro)
    page.wait_for_url(re.compile(r"/inloggen/tweede-stap/"))


def visit_login_second_step_wrong(page, t):
    visit_login_second_step(page, t)
    page.get_by_label(re.compile("^(Code)")).fill("000000")
    page.get_by_role("button", name=re.compile("^(Confirm|Bevestigen)$")).click()
    expect(page.locator(".error-summary")).to_be_focused()


def visit_mfa_enrol(page, t):
    _password_step(page, UserFactory(username="nieuw", role="professional", teams=[t.team]))
    page.wait_for_url(re.compile(r"/account/tweestapsverificatie/"))


def visit_account(page, t):
    page.goto(reverse("accounts:account"))


def visit_user_edit(page, t):
    page.goto(reverse("accounts:user_edit", args=[t.pro.pk]))


def visit_privacy_requests(page, t):
    from regie.privacy.services import request_create

    request_create(kind="access", received_on=timezone.localdate(), person=t.anna, by=t.privacy)
    page.goto(reverse("privacy:requests"))


def visit_privacy_request(page, t):
    from regie.privacy.services import request_create

    r = request_create(kind="erasure", received_on=timezone.localdate(), person=t.anna, by=t.privacy)
    page.goto(reverse("privacy:request", args=[r.pk]))


def visit_privacy_holds(page, t):
    page.goto(reverse("privacy:holds"))


def visit_privacy_retention(page, t):
    page.goto(reverse("privacy:retention"))


def visit_access_log_signals(page, t):
    page.goto(reverse("audit:signals"))


def visit_access_log_person(page, t):
    page.goto(reverse("audit:person") + f"?person={t.anna.pk}")


def visit_login_failures(page, t):
    page.goto(reverse("accounts:login_failures"))


def visit_emergency(page, t):
    page.goto(reverse("cases:emergency"))


def visit_decide(page, t):
    page.goto(reverse("mandate:decide", args=[t.case.pk]))


def visit_case_lessons(page, t):
    page.goto(reverse("learning:case_lessons", args=[t.case.pk]))


PAGES = {
    # name: (who is logged in, how to get there)
    "login": (None, visit_login),
    "login_failed": (None, visit_login_failed),
    "caseload": ("pro", visit_caseload),
    "household": ("pro", visit_household),
    "household_open_form": ("pro", visit_household_open_form),
    "case": ("pro", visit_case),
    "case_with_errors": ("pro", visit_case_with_errors),
    "search": ("pro", visit_search),
    "access_log": ("privacy", visit_access_log),
    "not_found": ("pro", visit_not_found),
    "inbox": ("pro", visit_inbox),
    "inbox_detail": ("pro", visit_inbox_detail),
    "rules": ("admin", visit_rules),
    "import_dry_run": ("admin", visit_import_dry_run),
    "wgs_review": ("incasso", visit_wgs_review),
    "assessment_form": ("pro", visit_assessment_form),
    "assessment_errors": ("pro", visit_assessment_errors),
    "case_plan": ("pro", visit_case_plan),
    "case_plan_errors": ("pro", visit_case_plan_errors),
    "consent_form_errors": ("pro", visit_consent_form_errors),
    "referral_refused": ("pro", visit_referral_refused),
    "worklist_department": ("maint", visit_worklist_department),
    "work_item": ("maint", visit_work_item),
    "worklist_director": ("pro", visit_worklist_director),
    "directory": ("pro", visit_directory),
    "organisation": ("pro", visit_organisation),
    "aftercare_check": ("pro", visit_aftercare_check),
    "mandate_case": ("pro", visit_mandate_case),
    "mandate_case_errors": ("pro", visit_mandate_case_errors),
    "mandate_approvals": ("mgr", visit_mandate_approvals),
    "mandate_overview": ("mgr", visit_mandate_overview),
    "meeting": ("mgr", visit_meeting),
    "lessons": ("pro", visit_lessons),
    "obstacles": ("pro", visit_obstacles),
    "results_dashboard": ("mgr", visit_results_dashboard),
    "mandate_admin": ("admin", visit_mandate_admin),
    "mandate_limits": ("admin", visit_mandate_limits),
    "login_second_step": (None, visit_login_second_step),
    "login_second_step_wrong": (None, visit_login_second_step_wrong),
    "mfa_enrol": (None, visit_mfa_enrol),
    "account": ("pro", visit_account),
    "user_edit": ("admin", visit_user_edit),
    "privacy_requests": ("privacy", visit_privacy_requests),
    "privacy_request": ("privacy", visit_privacy_request),
    "privacy_holds": ("privacy", visit_privacy_holds),
    "privacy_retention": ("privacy", visit_privacy_retention),
    "access_log_signals": ("privacy", visit_access_log_signals),
    "access_log_person": ("privacy", visit_access_log_person),
    "login_failures": ("privacy", visit_login_failures),
    "emergency": ("pro", visit_emergency),
    "decide": ("pro", visit_decide),
    "case_lessons": ("pro", visit_case_lessons),
}


def run_axe(page) -> list[dict]:
    # Served under the app's own origin by the context's route (conftest), so the CSP allows it.
    page.add_script_tag(url="/__test__/axe.min.js")
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
            .then(r => r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
            })))""",
        WCAG_TAGS,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['url']})")
        for n in v["nodes"]:
            lines.append(f"  at {n['target']}\n    {n['html'][:200]}")
            lines.extend(f"    {line}" for line in (n["summary"] or "").splitlines())
    return "\n".join(lines)


# Ids used twice, and ids that labels and ARIA attributes point to but that don't exist.
ID_PROBLEMS = """() => {
    const problems = [];
    const seen = {};
    document.querySelectorAll("[id]").forEach(el => { seen[el.id] = (seen[el.id] || 0) + 1; });
    Object.entries(seen).filter(([, n]) => n > 1).forEach(([id, n]) => problems.push(`id "${id}" used ${n} times`));
    document.querySelectorAll("label[for]").forEach(el => {
        if (!document.getElementById(el.htmlFor)) problems.push(`label for="${el.htmlFor}": no such element`);
    });
    for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
        document.querySelectorAll(`[${attr}]`).forEach(el => {
            el.getAttribute(attr).split(/\\s+/).filter(Boolean).forEach(ref => {
                if (document.getElementById(ref)) return;
                problems.push(`${el.tagName.toLowerCase()}#${el.id} ${attr}="${ref}": no such element`);
            });
        });
    }
    return problems;
}"""


def skip_link_problems(page) -> list[str]:
    """Tab from the top of the page: the skip link comes first and takes focus to <main>."""
    # Start from the top, whatever has focus now (the login page autofocuses its first field,
    # and a form with errors focuses its summary).
    page.evaluate("""() => {
        document.activeElement && document.activeElement.blur();
        window.scrollTo(0, 0);
        document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute("tabindex");
    }""")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
    if "skip-link" not in focused:
        return [f"first Tab stop is not the skip link but {focused}"]
    box = page.get_by_role("link", name=re.compile("Skip to content|Naar de inhoud")).bounding_box()
    if not box or box["x"] < 0 or box["y"] < 0:
        return ["the skip link is not shown when it has focus"]
    page.keyboard.press("Enter")
    if page.evaluate("() => document.activeElement.id") != "main":
        return ["activating the skip link does not move focus to <main>"]
    return []


# Every page in English (the tests' selectors are English msgids), and a few in Dutch, the default.
CASES = [pytest.param(name, "en", id=name) for name in PAGES] + [
    pytest.param(name, "nl", id=f"{name}-nl")
    for name in ("login", "caseload", "case", "search", "inbox_detail", "login_second_step", "privacy_request")
]


@pytest.mark.parametrize(("name", "language"), CASES)
def test_main_page_is_accessible(name, language, page, force_login, busy_town, live_server):
    who, visit = PAGES[name]
    if who:
        force_login(getattr(busy_town, who))
    visit(page, busy_town)

    problems = []
    if page.locator("html").get_attribute("lang") != language:
        problems.append(f"<html lang> is not {language!r}")
    violations = run_axe(page)
    if violations:
        problems.append(f"axe: WCAG 2.1 A/AA violations:\n{describe(violations)}")
    h1s = page.get_by_role("heading", level=1).count()
    if h1s != 1:
        problems.append(f"{h1s} h1 elements; a page has exactly one")
    for landmark in ("banner", "main", "contentinfo"):
        if page.get_by_role(landmark).count() != 1:
            problems.append(f"not exactly one {landmark} landmark")
    problems += page.evaluate(ID_PROBLEMS)
    problems += skip_link_problems(page)
    problems += [f"CSP violation: {m}" for m in page.watch.csp_violations]
    problems += [f"script error: {m}" for m in page.watch.page_errors]
    problems += [
        f"request to another host: {u}" for u in page.watch.requests if not u.startswith(live_server.url + "/")
    ]
    assert not problems, f"{name} page in {language!r} ({page.url}):\n" + "\n".join(problems)


def test_a_csp_violation_would_be_noticed(page, live_server):
    """The CSP check above is not vacuous: an inline script is refused and logged as an error."""
    page.goto("/inloggen/")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "1"; document.body.append(s); }"""
    )
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_timeout(100)
    assert page.watch.csp_violations, page.watch.console_errors


def test_case_page_ids_are_unique(page, force_login, busy_town):
    force_login(busy_town.pro)
    page.goto(busy_town.case.get_absolute_url())
    assert page.evaluate(ID_PROBLEMS) == []
