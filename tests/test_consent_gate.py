# ruff: noqa: F811 - the shared fixtures are imported from tests.test_network_setup
"""The consent gate: nothing of a case goes to a partner without a valid consent of a household
member for that partner covering every shared domain, or a legal ground with its justification."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from regie.audit.models import AccessLogEntry
from regie.cases.models import EntryKind, TimelineEntry
from regie.network import services
from regie.network.models import Consent, Referral, ReferralEvent
from tests.test_network_setup import TODAY, consent, english, net, refer  # noqa: F401

LONG_REASON = "Kinderen van 3 en 5 jaar gezien in onveilige situatie; melden is nodig voor hun veiligheid."


def refused(call) -> str:
    with pytest.raises(ValidationError) as err:
        call()
    return " ".join(err.value.messages)


def test_no_consent_is_refused_saying_why(net):
    msg = refused(lambda: refer(net))
    assert "no consent" in msg and "Verslavingszorg Oost" in msg
    assert not Referral.objects.exists()


def test_refusal_is_in_the_users_language(net):
    consent(net, domains=["substance"])
    with translation.override("nl"):
        msg = refused(lambda: refer(net, domains=["substance", "mental"]))
    # The domain is named in Dutch (the rest follows once the catalogue has the sentence).
    assert "Geestelijke gezondheid" in msg


def test_consent_for_another_partner_is_refused(net):
    consent(net, organisation=net.debt, domains=["substance"])
    assert "no consent" in refused(lambda: refer(net))
    other = Consent.objects.get()
    msg = refused(lambda: refer(net, consent=other))
    assert "Schuldhulpverlening Zandhoven" in msg and "not for" in msg


def test_consent_for_other_domains_is_refused(net):
    consent(net, domains=["substance"])
    msg = refused(lambda: refer(net, domains=["substance", "mental"]))
    assert "does not cover" in msg and "Mental health" in msg


def test_expired_consent_is_refused(net):
    consent(net, days_ago=400, valid_until=TODAY - timedelta(days=1))
    assert "no longer valid" in refused(lambda: refer(net))
    msg = refused(lambda: refer(net, consent=Consent.objects.get()))
    assert "expired" in msg


def test_withdrawn_consent_is_refused(net):
    c = consent(net)
    services.consent_withdraw(consent=c, by=net.pro_n)
    assert "withdrawn" in refused(lambda: refer(net))
    assert "withdrawn" in refused(lambda: refer(net, consent=c))


def test_consent_of_another_household_does_not_count(net):
    # A consent recorded on the other case, by a member of that household, for the same partner.
    consent(net, case=net.case_s, person=net.tenant_s, by=net.pro_s)
    assert "no consent" in refused(lambda: refer(net))
    msg = refused(lambda: refer(net, consent=Consent.objects.get()))
    assert "member of this household" in msg


def test_valid_consent_lets_the_referral_through_and_records_it(net):
    c = consent(net, domains=["substance", "mental"], valid_until=TODAY + timedelta(days=30))
    r = refer(net, contact=net.contact)
    assert r.status == Referral.Status.SENT and r.consent == c
    assert list(ReferralEvent.objects.filter(referral=r).values_list("status", flat=True)) == ["sent"]
    entry = TimelineEntry.objects.get(case=net.case_n, kind=EntryKind.REFERRAL)
    assert entry.data["change"] == "sent" and entry.data["organisation"] == net.addiction.pk
    assert AccessLogEntry.objects.filter(
        record_type="case", record_id=str(net.case_n.pk), action="create", username="pro-n"
    ).exists()


def test_consent_of_another_household_member_counts(net):
    consent(net, person=net.partner_n)
    assert refer(net).consent.person == net.partner_n


def test_purpose_consent_counts_only_when_chosen(net):
    purpose = consent(net, organisation=None, purpose="Hulp bij verslaving", domains=["substance"])
    assert purpose.organisation is None
    assert "no consent" in refused(lambda: refer(net))
    assert refer(net, consent=purpose).consent == purpose


def test_legal_ground_needs_a_justification(net):
    msg = refused(lambda: refer(net, organisation=net.safe_home, domains=["domestic"], legal_ground="meldcode"))
    assert "justification" in msg
    short = refused(
        lambda: refer(
            net, organisation=net.safe_home, domains=["domestic"], legal_ground="meldcode", legal_justification="Nodig"
        )
    )
    assert "justification" in short
    r = refer(
        net,
        organisation=net.safe_home,
        domains=["domestic"],
        legal_ground="meldcode",
        legal_justification=LONG_REASON,
    )
    assert r.consent is None and r.legal_ground == "meldcode" and r.legal_justification == LONG_REASON


def test_departments_and_inactive_partners_are_not_referred_to(net):
    assert "actions in the plan" in refused(lambda: refer(net, organisation=net.maintenance))
    consent(net)
    net.addiction.is_active = False
    net.addiction.save(update_fields=["is_active"])
    assert "no longer in the directory" in refused(lambda: refer(net))


def test_contact_must_belong_to_the_partner(net):
    consent(net, organisation=net.debt, domains=["finances"])
    msg = refused(lambda: refer(net, organisation=net.debt, domains=["finances"], contact=net.contact))
    assert "contact person of Schuldhulpverlening Zandhoven" in msg


def test_closed_case_takes_no_referral(net):
    consent(net)
    from regie.cases.services import case_transition

    case_transition(case=net.case_n, to_status="closed", by=net.pro_n, outcome="resolved")
    net.case_n.refresh_from_db()
    assert "closed" in refused(lambda: refer(net))


# -- recording and withdrawing consent --------------------------------------------------------


def test_consent_only_from_a_household_member(net):
    with pytest.raises(ValidationError) as err:
        consent(net, person=net.tenant_s)
    assert "person" in err.value.message_dict


def test_consent_needs_partner_or_purpose_and_sane_dates(net):
    with pytest.raises(ValidationError) as err:
        services.consent_record(
            case=net.case_n,
            person=net.tenant_n,
            domains=["substance"],
            given_on=TODAY + timedelta(days=1),
            valid_until=TODAY,
            form="written",
            by=net.pro_n,
        )
    assert {"organisation", "given_on", "valid_until"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError) as err:
        consent(net, domains=[])
    assert "domains" in err.value.message_dict


def test_withdraw_records_the_date_once(net):
    c = consent(net)
    services.consent_withdraw(consent=c, by=net.pro_n, on=TODAY - timedelta(days=1))
    c.refresh_from_db()
    assert c.withdrawn_on == TODAY - timedelta(days=1) and not c.valid_on(TODAY)
    assert "already" in refused(lambda: services.consent_withdraw(consent=c, by=net.pro_n))
    kinds = list(TimelineEntry.objects.filter(kind=EntryKind.CONSENT).values_list("data__change", flat=True))
    assert sorted(kinds) == ["recorded", "withdrawn"]
