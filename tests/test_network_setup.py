"""Shared set-up of the network tests: partners, a department, two cases in two areas, and the
household members who give consent. Imported by the other test_network*, test_consent* and
test_referral* files."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from regie.accounts.models import Department
from regie.network import services
from regie.network.models import ContactPerson, Organisation, PartnerType
from tests.factories import PersonFactory, open_case

TODAY = timezone.localdate()


def partner(name, partner_type, *, areas=(), **fields) -> Organisation:
    org = Organisation.objects.create(kind="partner", partner_type=partner_type, name=name, **fields)
    org.areas.set(areas)
    return org


PARTNER = object()


def consent(net, *, organisation=PARTNER, person=None, domains=("substance",), days_ago=10, **kwargs):
    return services.consent_record(
        case=kwargs.pop("case", net.case_n),
        person=person or net.tenant_n,
        organisation=net.addiction if organisation is PARTNER else organisation,
        domains=list(domains),
        given_on=TODAY - timedelta(days=days_ago),
        form="written",
        by=kwargs.pop("by", net.pro_n),
        **kwargs,
    )


def refer(net, *, organisation=None, domains=("substance",), **kwargs):
    return services.referral_create(
        case=kwargs.pop("case", net.case_n),
        organisation=organisation or net.addiction,
        reason="Drinkt veel sinds ontslag; wil hulp.",
        shared="Naam, adres, telefoon en de hulpvraag.",
        domains=list(domains),
        by=kwargs.pop("by", net.pro_n),
        **kwargs,
    )


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English (the source); the Dutch catalogue is filled separately."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def net(world):
    w = world
    w.case_n = open_case(household=w.hh_n, director=w.pro_n, question="Ik wil van de drank af.")
    w.case_s = open_case(household=w.hh_s, director=w.pro_s)
    w.tenant_n = PersonFactory(tenancy=w.hh_n, first_name="Piet", last_name="Jansen")
    w.partner_n = PersonFactory(tenancy=w.hh_n, first_name="Anna", last_name="Jansen", role="MDH")
    w.tenant_s = PersonFactory(tenancy=w.hh_s, first_name="Kees", last_name="de Vries")
    w.addiction = partner(
        "Verslavingszorg Oost",
        PartnerType.ADDICTION,
        areas=[w.north],
        working_area="Noord en Molenwijk",
        services="Ambulante behandeling bij alcohol en drugs; gokverslaving.",
        must="Intake binnen 10 werkdagen na aanmelding.",
        expected_response_days=5,
        data_sharing_agreement=True,
    )
    w.debt = partner(
        "Schuldhulpverlening Zandhoven",
        PartnerType.DEBT_COUNSELLING,
        services="Schuldregeling, budgetbeheer, stabilisatie.",
        expected_response_days=10,
    )
    w.safe_home = partner(
        "Veilig Thuis Regio",
        PartnerType.CHILD_PROTECTION,
        areas=[w.south],
        services="Advies en meldingen bij huiselijk geweld en kindermishandeling.",
        expected_response_days=3,
        data_sharing_agreement=True,
    )
    w.contact = ContactPerson.objects.create(organisation=w.addiction, name="Mila Hoek", function="Intaker")
    w.maintenance = Organisation.objects.create(
        kind="department", department=Department.MAINTENANCE, name="Onderhoud", services="Reparaties"
    )
    ContactPerson.objects.create(organisation=w.maintenance, name="Kees Brouwer", user=w.colleague)
    return w
