"""A case with something in every corner (contacts, plan, consent with a file, referral, decision
material), closed on a chosen day — for the retention, erasure and export tests."""

from datetime import UTC, date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from regie.cases.models import Case, Outcome, Status
from regie.cases.services import case_transition, contact_add
from regie.network.models import Organisation
from regie.network.services import consent_record, referral_create
from regie.plans.services import action_add, assessment_record, goal_add
from tests.factories import ArrearsFactory, EventFactory, PersonFactory, open_case

SECRET = "Schulden bij de buren en drankgebruik"


def partner() -> Organisation:
    return Organisation.objects.get_or_create(
        name="Schuldhulp Test", defaults={"kind": "partner", "partner_type": "debt"}
    )[0]


def full_case(*, household, director, closed_on: date | None, person=None):
    """Returns (case, person, consent). `closed_on=None` leaves the case open."""
    person = person or PersonFactory(tenancy=household, first_name="Piet", last_name="Puk", phone="0612345678")
    case = open_case(household=household, director=director, question=SECRET)
    contact_add(
        case=case,
        at=datetime.now(UTC) - timedelta(days=2),
        channel="TEL",
        summary=SECRET,
        by=director,
        persons=[person],
        others="buurvrouw",
    )
    assessment_record(case=case, moment="intake", scores={"finances": (2, SECRET), "housing": (3, "")}, by=director)
    goal = goal_add(case=case, domain="finances", text=SECRET, by=director)
    action_add(goal=goal, what=SECRET, who="tenant", by=director)
    consent = consent_record(
        case=case,
        person=person,
        domains=["finances"],
        given_on=date.today(),
        form="written",
        by=director,
        organisation=partner(),
        document=SimpleUploadedFile("toestemming.pdf", b"%PDF-1.4 signed", content_type="application/pdf"),
    )
    referral_create(case=case, organisation=partner(), reason=SECRET, shared=SECRET, domains=["finances"], by=director)
    ArrearsFactory(tenancy=household, date=date(2020, 1, 1), balance=300)
    EventFactory(tenancy=household, unit=household.unit, date=date(2020, 2, 1), description=SECRET)
    if closed_on is not None:
        assessment_record(
            case=case, moment="closure", scores={"finances": (4, SECRET), "housing": (4, "")}, by=director
        )
        case_transition(case=case, to_status=Status.CLOSED, by=director, outcome=Outcome.RESOLVED, outcome_note=SECRET)
        moment = datetime(closed_on.year, closed_on.month, closed_on.day, 12, tzinfo=UTC)
        Case.objects.filter(pk=case.pk).update(closed_at=moment, opened_at=moment - timedelta(days=120))
        case.refresh_from_db()
    return case, person, consent
