"""The demo's network: ~40 partners of every type, departments with their demo contacts, and
consents and referrals in every state, all through the services (so through the consent gate)."""

import random
from datetime import date

import pytest

from regie.accounts.models import Area, User
from regie.cases.models import Case
from regie.core.demo import generate
from regie.core.demo.network import build_network
from regie.network.models import Consent, ContactPerson, Organisation, PartnerType, Referral

AS_OF = date(2026, 3, 15)


@pytest.mark.django_db
def test_build_network_on_the_demo(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    generate(seed=7, as_of=AS_OF, units=150)
    if Organisation.objects.exists():  # the lead has wired build_network into generate()
        counts = None
    else:
        counts = build_network(
            rng=random.Random(7),
            as_of=AS_OF,
            areas={a.code: a for a in Area.objects.all()},
            cases=list(Case.objects.select_related("household", "director")),
            users={u.username: u for u in User.objects.filter(is_demo=True)},
        )
    partners = Organisation.objects.filter(kind="partner")
    assert 38 <= partners.count() <= 45
    assert set(partners.values_list("partner_type", flat=True)) == set(PartnerType.values)
    assert (
        partners.filter(data_sharing_agreement=True).exists() and partners.filter(data_sharing_agreement=False).exists()
    )
    maintenance = Organisation.objects.get(kind="department", department="maintenance")
    assert ContactPerson.objects.get(organisation=maintenance).user.username == "demo-collega"
    assert ContactPerson.objects.get(organisation__department="collections").user.username == "demo-incasso"
    assert set(Referral.objects.values_list("status", flat=True)) == set(Referral.Status.values)
    assert Referral.objects.filter(reminded_at__isnull=False).exists()
    assert Referral.objects.filter(legal_ground="meldcode", consent__isnull=True).count() == 1
    assert Referral.objects.exclude(legal_ground="meldcode").filter(consent__isnull=True).count() == 0
    assert Consent.objects.filter(withdrawn_on__isnull=False).exists()
    assert Consent.objects.filter(organisation__isnull=True).exists()
    assert Consent.objects.filter(valid_until__lt=AS_OF).exists()
    assert Referral.objects.filter(sent_at__date__gt=AS_OF).count() == 0
    if counts is not None:
        assert counts["referrals"] == Referral.objects.count()
