"""What destroying a case file or a former household does to the rows, and nothing more.

Callers (privacy.retention, privacy.services) hold the transaction, write the destruction record
and the access-log entry. What stays is what the results and the annual report count: the case's
dates, status, outcome, team and director, contact dates and channels, the ZRM scores without
their notes, goal and action statuses and dates, decisions' measures and amounts, referral dates
and statuses. Every free text goes (it may name anyone or anything), every link to a person goes.

Queryset updates on purpose: the texts are required on the forms, and no `save()` signal or
validation has anything to say about blanking them.
"""

from django.db import transaction
from django.db.models import Q

from regie.cases.models import Case, Contact, EntryKind, TimelineEntry
from regie.housing.models import ArrearsSnapshot, Event, Person, Tenancy
from regie.mandate.models import Approval, Decision
from regie.meetings.models import AgendaItem, CaseQuestion
from regie.network.models import Consent, Referral, ReferralEvent
from regie.plans.models import (
    Action,
    ActionUpdate,
    AftercareCheck,
    Assessment,
    AssessmentScore,
    Goal,
)

ANONYMOUS = "Anoniem"
# A consent without a partner must keep a purpose (consent_partner_or_purpose): this one says nothing.
BLANK_PURPOSE = "-"
# Timeline kinds whose structured data are only codes and staff ids (status changes); every other
# kind's data may hold a tenant's name (a signature) or a quote, and goes with its text.
KEEP_DATA_KINDS = (EntryKind.OPENED, EntryKind.STATUS, EntryKind.REOPENED)


def delete_consent_files(consents) -> int:
    """Empty the consents' document field now and remove the files once the transaction commits,
    so a rollback never leaves a row pointing at a file that is gone."""
    files = [(c.document.storage, c.document.name) for c in consents if c.document]
    if not files:
        return 0
    Consent.objects.filter(pk__in=[c.pk for c in consents]).update(document="")

    def remove():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove)
    return len(files)


def anonymise_case(case_id: int) -> dict[str, int]:
    """Blank every free text of one case and its plan, network and mandate rows; returns counts."""
    Case.objects.filter(pk=case_id).update(question="", outcome_note="", next_step="", next_step_due=None)
    contacts = Contact.objects.filter(case_id=case_id)
    Contact.persons.through.objects.filter(contact__case_id=case_id).delete()
    contacts.update(summary="", others="")
    TimelineEntry.objects.filter(case_id=case_id).update(text="")
    TimelineEntry.objects.filter(case_id=case_id).exclude(kind__in=KEEP_DATA_KINDS).update(data={})
    AssessmentScore.objects.filter(assessment__case_id=case_id).update(note="")
    Assessment.objects.filter(case_id=case_id).update(note="")
    Goal.objects.filter(case_id=case_id).update(text="")
    Action.objects.filter(case_id=case_id).update(what="", outcome="")
    ActionUpdate.objects.filter(action__case_id=case_id).update(text="")
    AftercareCheck.objects.filter(case_id=case_id).update(note="")
    consents = list(Consent.objects.filter(case_id=case_id))
    files = delete_consent_files(consents)
    Consent.objects.filter(case_id=case_id).exclude(purpose="").update(purpose=BLANK_PURPOSE)
    Referral.objects.filter(case_id=case_id).update(reason="", shared="", legal_justification="")
    ReferralEvent.objects.filter(referral__case_id=case_id).update(note="")
    Decision.objects.filter(case_id=case_id).update(problem="", justification="", expected_effect="", deviates_from="")
    Approval.objects.filter(decision__case_id=case_id).update(reason="")
    CaseQuestion.objects.filter(case_id=case_id).update(question="")
    # An agenda item's title is often the household's name.
    AgendaItem.objects.filter(case_id=case_id).update(title=f"#{case_id}", advice="", decision="")
    return {"contacts": contacts.count(), "consent_files": files}


def anonymise_household(tenancy_id: int) -> dict[str, int]:
    """A former household: names, birth dates and contact details of its members go, its events
    and arrears go. The tenancy and unit stay (the corporation's own), with no name on them."""
    persons = Person.objects.filter(tenancy_id=tenancy_id)
    n_persons = persons.count()
    for pk in persons.values_list("pk", flat=True):
        # A new person number breaks the link with the corporation's systems as well.
        Person.objects.filter(pk=pk).update(
            person_id=f"ANON-{pk}",
            first_name="",
            name_prefix="",
            last_name=ANONYMOUS,
            birth_date=None,
            phone="",
            email="",
        )
    Tenancy.objects.filter(pk=tenancy_id).update(name="")
    events, _ = Event.objects.filter(tenancy_id=tenancy_id).delete()
    arrears, _ = ArrearsSnapshot.objects.filter(tenancy_id=tenancy_id).delete()
    from regie.signalling.models import Candidate

    Candidate.objects.filter(tenancy_id=tenancy_id).update(reason="")
    return {"persons": n_persons, "events": events, "arrears": arrears}


def live_cases(tenancy_id: int):
    """The household's cases that still hold personal data: open, or closed and not destroyed."""
    return Case.objects.filter(household_id=tenancy_id).filter(
        Q(archive__isnull=True) | ~Q(archive__archive_status="VER")
    )
