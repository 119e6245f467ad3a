"""The attack suite's world: two teams in two areas, and one record of every kind per team, built
through the real services. Team B's records carry marker strings ("ZZB-Marker-…") that must never
show up in a response to a user of team A."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from regie.accounts.models import Department, Role
from regie.cases import services as cases
from regie.mandate import services as mandate
from regie.meetings import services as meetings
from regie.network import services as network
from regie.network.models import ContactPerson, Organisation
from regie.plans import aftercare
from regie.plans import services as plans
from regie.results import services as results
from regie.signalling.models import (
    Candidate,
    CaseSignal,
    DetectionRun,
    Flag,
    ImportRun,
    MunicipalitySignal,
    RuleSet,
)
from tests.factories import AreaFactory, PersonFactory, TeamFactory, TenancyFactory, UnitFactory, UserFactory

# The six roles, in the order the table shows them; every one of these users is in team A.
ROLES = ("professional", "manager", "department", "admin", "privacy", "board")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEXTS = {"problem": "Kosten blokkeren de regeling.", "justification": "Betaalt op tijd.", "expected_effect": "Rust."}


@dataclass
class TeamRecords:
    """One record of each kind that belongs to one team (ids only where the URLs need them)."""

    label: str
    # What of this team's records must never reach a user of the other team, by what it is:
    # {"household": "ZZB-Marker-Household", "question": …}. Empty for team A.
    markers: dict[str, str] = field(default_factory=dict)


def _markers(prefix: str) -> dict[str, str]:
    names = (
        "household",
        "street",
        "tenant",
        "question",
        "goal",
        "action",
        "reason",
        "problem",
        "lesson",
        "obstacle",
        "step",
        "item",
        "ask",
        "note",
        "closed",
        "inbox",
    )
    return {n: f"{prefix}-{n.capitalize()}" for n in names}


def build() -> SimpleNamespace:
    """Build the world; call inside a transaction that the caller rolls back."""
    today = timezone.localdate()
    w = SimpleNamespace()
    w.year = today.year
    area_a, area_b = AreaFactory(code="sec-a", name="Noord"), AreaFactory(code="sec-b", name="Zuid")
    team_a = TeamFactory(area=area_a, code="sec-team-a", name="Team Noord")
    team_b = TeamFactory(area=area_b, code="sec-team-b", name="Team Zuid")
    w.team_a, w.team_b = team_a, team_b

    # Users. The six roles in team A (the clients of the matrix); the ones team B's records need.
    w.users = {
        "professional": UserFactory(username="sec-pro-a", role=Role.PROFESSIONAL, teams=[team_a]),
        "manager": UserFactory(username="sec-mgr-a", role=Role.MANAGER, teams=[team_a]),
        "department": UserFactory(
            username="sec-dept-a", role=Role.DEPARTMENT, department=Department.MAINTENANCE, teams=[team_a]
        ),
        "admin": UserFactory(username="sec-admin", role=Role.ADMIN, teams=[team_a]),
        "privacy": UserFactory(username="sec-privacy", role=Role.PRIVACY, teams=[team_a]),
        "board": UserFactory(username="sec-board", role=Role.BOARD, teams=[team_a]),
    }
    admin = w.users["admin"]
    # Colleagues' names are not the household's data: the markers sit on the records, not on them.
    pro_b = UserFactory(username="sec-pro-b", role=Role.PROFESSIONAL, teams=[team_b])
    mgr_b = UserFactory(username="sec-mgr-b", role=Role.MANAGER, teams=[team_b])
    coll_a = UserFactory(username="sec-coll-a", role=Role.DEPARTMENT, department=Department.COLLECTIONS, teams=[team_a])
    w.pro_b, w.mgr_b = pro_b, mgr_b

    # Shared things: partners, a department, the mandate's catalogue with limits, rules, an import.
    partner = Organisation.objects.create(
        kind="partner", partner_type="addiction", name="Verslavingszorg Oost", expected_response_days=5
    )
    partner.areas.set([area_a, area_b])
    Organisation.objects.create(kind="department", department=Department.MAINTENANCE, name="Onderhoud")
    w.organisation = partner
    w.contact_person = ContactPerson.objects.create(organisation=partner, name="Mila Hoek", function="Intaker")
    measure = mandate.measure_save(
        by=admin,
        code="sec-kwijtschelden",
        name="Incassokosten kwijtschelden",
        parameter="amount",
        department="collections",
    )
    w.measure = measure
    mandate.limits_update(
        changes={
            ("sec-kwijtschelden", "professional"): Decimal("100"),
            ("sec-kwijtschelden", "manager"): Decimal("1000"),
            ("sec-kwijtschelden", "board"): None,
        },
        by=admin,
        note="Eerste versie",
    )
    rules = RuleSet.objects.order_by("-version").first() or RuleSet.objects.create(version=1, config={})
    w.rules_version = rules.version
    w.import_run = ImportRun.objects.create(created_by=admin, origin="web", source="upload", files=["units.csv"])
    w.import_file = "units.csv"
    run = DetectionRun.objects.create(as_of=today, rule_set=rules, trigger="manual")
    from regie.audit.models import SecurityIncident
    from regie.privacy.models import RetentionRule

    w.incident = SecurityIncident.objects.create(kind="chain_break", details="Keten onderbroken bij regel 12.")
    w.retention_rule = RetentionRule.objects.order_by("pk").first()
    w.export_format = "json"

    w.a = _team(
        w,
        "A",
        team_a,
        area_a,
        pro=w.users["professional"],
        mgr=w.users["manager"],
        coll=coll_a,
        partner=partner,
        run=run,
        prefix="Jansen",
    )
    w.b = _team(
        w, "B", team_b, area_b, pro=pro_b, mgr=mgr_b, coll=coll_a, partner=partner, run=run, prefix="ZZB-Marker"
    )
    w.a.user = w.users["professional"]
    w.b.user = pro_b
    return w


def _team(w, label, team, area, *, pro, mgr, coll, partner, run, prefix) -> TeamRecords:
    today = timezone.localdate()
    m = _markers(prefix)
    t = TeamRecords(label=label, markers=m if label == "B" else {})
    admin = w.users["admin"]
    colleague = UserFactory(username=f"sec-pro2-{label.lower()}", role=Role.PROFESSIONAL, teams=[team])

    household = TenancyFactory(unit=UnitFactory(area=area, street=m["street"]), name=m["household"])
    tenant = PersonFactory(tenancy=household, first_name="Piet", last_name=m["tenant"])
    t.household, t.person = household, tenant
    case = cases.case_open(household=household, director=pro, by=pro, question=m["question"])
    t.case = case
    t.member = cases.case_member_add(case=case, user=colleague, role="ADV", by=pro)

    # The plan: a goal with a department action, an evaluation.
    goal = plans.goal_add(case=case, domain="housing", text=m["goal"], by=pro)
    t.goal = goal
    t.action = plans.action_add(goal=goal, what=m["action"], who="department", department="maintenance", by=pro)
    t.evaluation = aftercare.evaluation_plan(case=case, due=today + timedelta(days=30), by=pro)
    t.feed_token = plans.calendar_feed_get(user=pro).token

    # A closed case of a second household, with its aftercare checks.
    closed_hh = TenancyFactory(unit=UnitFactory(area=area), name=m["closed"])
    closed = cases.case_open(household=closed_hh, director=pro, by=pro)
    closed = cases.case_transition(case=closed, to_status="closed", by=pro, outcome="resolved")
    t.check = closed.aftercare_checks.order_by("due").first()

    # The network: a consent with its signed document, a referral through it.
    t.consent = network.consent_record(
        case=case,
        person=tenant,
        organisation=partner,
        domains=["housing"],
        given_on=today - timedelta(days=3),
        form="written",
        by=pro,
        document=SimpleUploadedFile("toestemming.pdf", PDF, content_type="application/pdf"),
    )
    t.referral = network.referral_create(
        case=case,
        organisation=partner,
        reason=m["reason"],
        shared="Naam en adres.",
        domains=["housing"],
        by=pro,
    )

    # The mandate: one decision for the manager to approve, a budget.
    t.decision = mandate.decision_record(
        case=case, measure=w.measure, value=Decimal("500"), by=pro, **{**TEXTS, "problem": m["problem"]}
    )
    t.budget = mandate.budget_set(team=team, year=w.year, amount=Decimal("5000"), by=admin)

    # The meeting: a case put forward, a case review with its agenda and an item of the chair's own.
    t.question = meetings.question_put_forward(case=case, question=m["ask"], by=pro)
    meetings.rhythm_save(team=team, kind="review", weekday=1, at=time(10), by=mgr)
    t.meeting = meetings.meeting_plan(
        team=team,
        kind="review",
        starts_at=timezone.now() + timedelta(days=1),
        chair=pro,
        attendees=[mgr],
        by=pro,
    )
    t.item = meetings.item_add(meeting=t.meeting, title=m["item"], by=pro, case=case)

    # Learning: a lesson and an obstacle with a step; results: an agreement.
    from regie.learning import services as learning

    t.lesson = learning.lesson_record(
        by=pro,
        title=m["lesson"],
        what_happened="Iets gebeurde.",
        what_worked="Bellen werkte.",
        next_time="Eerder bellen.",
        cases=[case],
    )
    t.obstacle = learning.obstacle_raise(
        by=pro, title=m["obstacle"], description="Drie maanden wachten.", where="procedure", cases=[case]
    )
    t.step = learning.obstacle_step_add(obstacle=t.obstacle, text=m["step"], by=mgr)
    t.agreement = results.create_agreement(
        manager=mgr,
        professional=pro,
        start=date(w.year, 1, 1),
        end=date(w.year, 12, 31),
        note=m["note"],
        targets={"caseload": ("at_most", 20)},
    )

    # Signalling: the household waits in the inbox; a signal on the case; one to the municipality.
    Flag.objects.create(run=run, tenancy=household, domains="FINANCES|BEHAVIOUR", score=2, multi_problem=True)
    inbox_hh = TenancyFactory(unit=UnitFactory(area=area), name=m["inbox"])
    Flag.objects.create(run=run, tenancy=inbox_hh, domains="FINANCES|BEHAVIOUR", score=2, multi_problem=True)
    Candidate.objects.create(tenancy=inbox_hh)
    t.inbox = inbox_hh
    t.case_signal = CaseSignal.objects.create(case=case, run=run, domains="FINANCES", score=1)
    t.municipality_signal = MunicipalitySignal.objects.create(
        tenancy=household,
        arrears_since=today - timedelta(days=60),
        arrears_amount=Decimal("700"),
        as_of=today,
        sent_by=coll,
    )
    t.user_record = colleague

    # Issue 7's records: a login session on another device, a data subject's request, a hold.
    from regie.accounts.models import UserSession
    from regie.privacy import services as privacy

    now = timezone.now()
    t.session = UserSession.objects.create(
        user=pro, created_at=now, last_seen_at=now, login_method="password", device="Telefoon"
    )
    t.subject_request = privacy.request_create(kind="access", received_on=today, by=w.users["privacy"], person=tenant)
    t.hold = privacy.hold_place(
        target="person", kind="investigation", reason="Klacht loopt", by=w.users["privacy"], person=tenant
    )
    return t
