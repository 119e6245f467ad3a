"""Retention: archive, destroy exactly what is due, respect holds and BEW, log it, keep figures."""

from datetime import date

import pytest
from django.core.management import call_command

from regie.audit.models import AccessLogEntry
from regie.cases.models import Case, Contact, TimelineEntry
from regie.housing.models import ArrearsSnapshot, Event, Person
from regie.network.models import Consent, Referral
from regie.plans.models import Action, AssessmentScore, Goal
from regie.privacy.models import (
    ArchiveStatus,
    CaseArchive,
    DestructionRecord,
    HoldKind,
    HoldTarget,
    RecordKind,
    RetentionRule,
    RetentionRun,
)
from regie.privacy.retention import retention_run
from regie.privacy.services import hold_lift, hold_place
from regie.results import indicators
from tests.factories import TenancyFactory, UnitFactory
from tests.privacy_helpers import SECRET, full_case

AS_OF = date(2026, 11, 27)
OLD = date(2024, 3, 1)  # 24 months after: 2026-03-01, due on AS_OF
RECENT = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _texts_gone(case_id):
    case = Case.objects.get(pk=case_id)
    assert case.question == case.outcome_note == ""
    assert not Contact.objects.filter(case_id=case_id).exclude(summary="").exists()
    assert not Contact.persons.through.objects.filter(contact__case_id=case_id).exists()
    assert not TimelineEntry.objects.filter(case_id=case_id).exclude(text="").exists()
    assert not AssessmentScore.objects.filter(assessment__case_id=case_id).exclude(note="").exists()
    assert not Goal.objects.filter(case_id=case_id).exclude(text="").exists()
    assert not Action.objects.filter(case_id=case_id).exclude(what="").exists()
    assert not Referral.objects.filter(case_id=case_id).exclude(reason="").exists()


def test_destroys_exactly_what_is_due_and_logs_it(world, django_capture_on_commit_callbacks):
    old, _, consent = full_case(household=world.hh_n, director=world.pro_n, closed_on=OLD)
    path = consent.document.path
    recent, _, recent_consent = full_case(household=world.hh_s, director=world.pro_s, closed_on=RECENT)

    # The file goes once the record's transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(as_of=AS_OF)

    assert run.counts[RecordKind.CASE_FILE] == 1 and run.errors == []
    _texts_gone(old.pk)
    assert CaseArchive.objects.get(case=old).archive_status == ArchiveStatus.DESTROYED
    assert DestructionRecord.objects.filter(kind=RecordKind.CASE_FILE, record_id=str(old.pk), run=run).exists()
    assert DestructionRecord.objects.filter(kind=RecordKind.CONSENT_DOCUMENT, record_id=str(consent.pk)).exists()
    assert AccessLogEntry.objects.filter(action="delete", record_type="case", record_id=str(old.pk)).exists()
    # The consent file is gone from storage, the row no longer points at it.
    import os

    assert not os.path.exists(path)
    assert Consent.objects.get(pk=consent.pk).document.name == ""
    # The recent case is archived, untouched, with its destruction date.
    recent.refresh_from_db()
    assert recent.question == SECRET
    archive = CaseArchive.objects.get(case=recent)
    assert (archive.archive_status, archive.destroy_after) == (ArchiveStatus.ARCHIVED, date(2028, 6, 1))
    assert os.path.exists(Consent.objects.get(pk=recent_consent.pk).document.path)
    # The destruction record holds no personal data: kind, number, moments, rule and run only.
    assert {f.name for f in DestructionRecord._meta.concrete_fields} == {
        "id",
        "kind",
        "record_id",
        "rows",
        "destroyed_at",
        "rule",
        "run",
        "request",
    }


def test_keeps_anonymous_statistics(world):
    old, _, _ = full_case(household=world.hh_n, director=world.pro_n, closed_on=OLD)
    before = indicators.compute_all(start=date(2024, 1, 1), end=date(2024, 12, 31), team=world.team_n)
    retention_run(as_of=AS_OF)
    old.refresh_from_db()
    assert (old.outcome, old.closed_at is not None, old.status) == ("resolved", True, "closed")
    assert old.contacts.count() == 1 and AssessmentScore.objects.filter(assessment__case=old).count() == 4
    after = indicators.compute_all(start=date(2024, 1, 1), end=date(2024, 12, 31), team=world.team_n)
    assert {k: f.value for k, f in after.items()} == {k: f.value for k, f in before.items()}
    assert after["closed_self_sufficient"].value == 1


def test_holds_block_and_lifting_releases(world):
    old, person, _ = full_case(household=world.hh_n, director=world.pro_n, closed_on=OLD)
    hold = hold_place(
        target=HoldTarget.PERSON, person=person, kind=HoldKind.PROCEDURE, reason="Huurzaak", by=world.privacy
    )
    run = retention_run(as_of=AS_OF)
    assert run.counts.get(RecordKind.CASE_FILE, 0) == 0 and run.counts["held"] == 1
    assert Case.objects.get(pk=old.pk).question == SECRET
    assert CaseArchive.objects.get(case=old).archive_status == ArchiveStatus.BLOCKED
    hold_lift(hold=hold, by=world.privacy)
    retention_run(as_of=AS_OF)
    _texts_gone(old.pk)


def test_case_hold_and_duty_to_keep(world):
    old, _, _ = full_case(household=world.hh_n, director=world.pro_n, closed_on=OLD)
    hold_place(target=HoldTarget.CASE, record_id=old.pk, kind=HoldKind.DUTY, reason="Fiscaal", by=world.privacy)
    retention_run(as_of=AS_OF)
    assert CaseArchive.objects.get(case=old).archive_status == ArchiveStatus.DUTY
    assert Case.objects.get(pk=old.pk).question == SECRET


def test_nomination_keep_destroys_nothing(world):
    old, _, _ = full_case(household=world.hh_n, director=world.pro_n, closed_on=OLD)
    RetentionRule.objects.filter(kind=RecordKind.CASE_FILE).update(nomination="BEW")
    RetentionRule.objects.filter(kind=RecordKind.CONSENT_DOCUMENT).update(nomination="BEW")
    retention_run(as_of=AS_OF)
    assert Case.objects.get(pk=old.pk).question == SECRET
    assert CaseArchive.objects.get(case=old).destroy_after is None


def test_idempotent(world):
    full_case(household=world.hh_n, director=world.pro_n, closed_on=OLD)
    retention_run(as_of=AS_OF)
    records, log = DestructionRecord.objects.count(), AccessLogEntry.objects.filter(action="delete").count()
    second = retention_run(as_of=AS_OF)
    assert second.counts.get(RecordKind.CASE_FILE, 0) == 0 and second.errors == []
    assert DestructionRecord.objects.count() == records
    assert AccessLogEntry.objects.filter(action="delete").count() == log


def test_dry_run_changes_nothing(world):
    old, _, _ = full_case(household=world.hh_n, director=world.pro_n, closed_on=OLD)
    log = AccessLogEntry.objects.count()
    run = retention_run(as_of=AS_OF, dry_run=True)
    assert run.counts[RecordKind.CASE_FILE] == 1 and run.planned[RecordKind.CASE_FILE] == [old.pk]
    assert Case.objects.get(pk=old.pk).question == SECRET
    assert not CaseArchive.objects.exists() and not DestructionRecord.objects.exists()
    assert AccessLogEntry.objects.count() == log
    assert RetentionRun.objects.get(pk=run.pk).dry_run


def test_reopened_case_is_current_again(world):
    recent, _, _ = full_case(household=world.hh_n, director=world.pro_n, closed_on=RECENT)
    retention_run(as_of=AS_OF)
    from regie.cases.services import case_transition

    case_transition(case=recent, to_status="in_progress", by=world.pro_n)
    retention_run(as_of=AS_OF)
    assert CaseArchive.objects.get(case=recent).archive_status == ArchiveStatus.CURRENT


def test_former_household_events_and_arrears(world):
    """A household that moved out: once its case file is gone and the period after the tenancy
    passed, its members' names and its events and arrears go too; a living household keeps them."""
    gone = TenancyFactory(unit=UnitFactory(area=world.north), end_date=date(2024, 6, 30), name="Bakker")
    old, person, _ = full_case(household=gone, director=world.pro_n, closed_on=OLD)
    living, _, _ = full_case(household=world.hh_s, director=world.pro_s, closed_on=OLD)
    run = retention_run(as_of=AS_OF)
    assert run.errors == []
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.phone, person.birth_date) == ("", "Anoniem", "", None)
    assert person.person_id.startswith("ANON-")
    gone.refresh_from_db()
    assert gone.name == ""
    assert not Event.objects.filter(tenancy=gone).exists() and not ArrearsSnapshot.objects.filter(tenancy=gone).exists()
    assert DestructionRecord.objects.filter(kind=RecordKind.HOUSEHOLD, record_id=str(gone.pk)).exists()
    # The running tenancy: its case file went, its people stay; its 2020 event is past 24 months.
    assert Person.objects.filter(tenancy=world.hh_s).exclude(last_name="Anoniem").exists()
    assert not Event.objects.filter(tenancy=world.hh_s).exists()
    assert ArrearsSnapshot.objects.filter(tenancy=world.hh_s).count() == 0  # 2020: past 36 months too


def test_command_prints_ids_not_names(world, capsys):
    old, person, _ = full_case(household=world.hh_n, director=world.pro_n, closed_on=OLD)
    call_command("retention", "--as-of", "2026-11-27", "--dry-run")
    out = capsys.readouterr().out
    assert str(old.pk) in out and person.last_name not in out and "Jansen" not in out
    assert Case.objects.get(pk=old.pk).question == SECRET
