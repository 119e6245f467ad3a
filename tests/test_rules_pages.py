"""The rules editor (Beheer › Detectieregels): versions, field errors, diff, who may see it."""

import pytest
from django.urls import reverse

from regie.signalling import rules
from regie.signalling.forms_rules import SETTINGS, field_name, get
from regie.signalling.models import RuleSet

pytestmark = pytest.mark.django_db


def form_data(config: dict | None = None, **changes) -> dict:
    """The editor's POST for `config` (the defaults unless given), with some fields changed."""
    config = config or rules.defaults()
    data = {}
    for key in SETTINGS:
        value = get(config, key)
        data[field_name(key)] = "\n".join(value) if isinstance(value, list) else str(value)
    data["note"] = "Na evaluatie met incasso"
    data.update(changes)
    return data


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin)
    client.cookies["django_language"] = "en"
    return client


def test_page_shows_every_setting_of_the_version_in_force(admin_client):
    response = admin_client.get(reverse("rules:edit"))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(SETTINGS) == {k for k in SETTINGS if field_name(k) in form.fields}
    page = response.content.decode()
    assert 'name="f1__band_2"' in page and 'name="domains__CARE"' in page and 'name="wgs__pause_days"' in page
    assert "ZAAKTYPEDETAILSOORT.PSY" in page  # the code table, one per line
    assert response.context["in_force"].version == 1


def test_admin_saves_a_change_as_a_new_version(admin_client, world):
    rules.current()
    response = admin_client.post(reverse("rules:edit"), form_data(f1__band_3="3.5", b1__window_days="120"))
    assert response.status_code == 302, response.context["form"].errors
    new = RuleSet.objects.get(version=2)
    assert new.config["f1"]["band_3"] == "3.5"
    assert new.config["b1"]["window_days"] == 120
    assert new.config["domains"] == rules.DEFAULT_RULES["domains"]
    assert new.note == "Na evaluatie met incasso" and new.created_by == world.admin
    assert rules.current().pk == new.pk
    page = admin_client.get(reverse("rules:edit")).content.decode()
    assert "Rules saved as version 2" in page
    assert reverse("inbox:list") in page  # run detection again
    assert "Na evaluatie met incasso" in page  # the history


def test_codes_move_between_domains(admin_client):
    defaults = rules.defaults()
    care = "\n".join([*defaults["domains"]["CARE"], "SIGNALERINGDETAILSOORT.MUT"])
    liveability = "\n".join(c for c in defaults["domains"]["LIVEABILITY"] if c != "SIGNALERINGDETAILSOORT.MUT")
    response = admin_client.post(reverse("rules:edit"), form_data(domains__CARE=care, domains__LIVEABILITY=liveability))
    assert response.status_code == 302
    config = rules.current().config
    assert "SIGNALERINGDETAILSOORT.MUT" in config["domains"]["CARE"]
    assert "SIGNALERINGDETAILSOORT.MUT" not in config["domains"]["LIVEABILITY"]


def test_dutch_decimal_comma_is_understood(client, world):
    client.force_login(world.admin)
    client.cookies["django_language"] = "nl"
    response = client.post(reverse("rules:edit"), form_data(f1__band_3="3,5"))
    assert response.status_code == 302
    assert rules.current().config["f1"]["band_3"] == "3.5"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"f1__band_2": "4"}, "f1__band_3", "The bands must rise"),
        ({"f2__severity": "4"}, "f2__severity", "severity of 1, 2 or 3"),
        ({"b1__severe_severity": "0"}, "b1__severe_severity", "severity of 1, 2 or 3"),
        ({"l1__window_days": "0"}, "l1__window_days", "at least 1"),
        ({"f1__band_1": "een"}, "f1__band_1", "Enter a number"),
        ({"domains__CARE": "ZAAKTYPEDETAILSOORT.PSY\nZAAKTYPEDETAILSOORT.XYZ"}, "domains__CARE", "XYZ"),
        ({"domains__CARE": "PSY"}, "domains__CARE", "KIND.CODE"),
        ({"domains__CARE": "ZAAKTYPEDETAILSOORT.PSY\nREGIE.GTO"}, "domains__LIVEABILITY", "both Liveability and Care"),
        ({"note": "  "}, "note", "This field is required"),
        ({"f2__codes": ""}, "f2__codes", "This field is required"),
        ({"wgs__reminder_code": "REGIE.NOPE"}, "wgs__reminder_code", "REGIE.NOPE"),
    ],
)
def test_invalid_input_shows_the_error_at_its_field_and_saves_nothing(admin_client, changes, field, message):
    rules.current()
    response = admin_client.post(reverse("rules:edit"), form_data(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    assert RuleSet.objects.count() == 1
    assert 'class="error-summary"' in response.content.decode()


def test_errors_are_in_the_users_language(client, world):
    client.force_login(world.admin)
    client.cookies["django_language"] = "nl"
    response = client.post(reverse("rules:edit"), form_data(note=""))
    assert response.status_code == 400
    assert "Dit veld is" in " ".join(response.context["form"].errors["note"])


def test_saving_the_same_rules_is_refused(admin_client):
    rules.current()
    response = admin_client.post(reverse("rules:edit"), form_data())
    assert response.status_code == 400
    assert "Nothing changed" in " ".join(response.context["form"].non_field_errors())
    assert RuleSet.objects.count() == 1


def test_version_page_shows_the_diff_against_its_predecessor(admin_client):
    rules.current()
    defaults = rules.defaults()
    care = "\n".join([*defaults["domains"]["CARE"], "SIGNALERINGDETAILSOORT.MUT"])
    liveability = "\n".join(c for c in defaults["domains"]["LIVEABILITY"] if c != "SIGNALERINGDETAILSOORT.MUT")
    admin_client.post(
        reverse("rules:edit"),
        form_data(wgs__pause_days="45", domains__CARE=care, domains__LIVEABILITY=liveability),
    )
    response = admin_client.get(reverse("rules:version", args=[2]))
    assert response.status_code == 200
    changes = {c.key: c for c in response.context["changes"]}
    assert set(changes) == {"wgs.pause_days", "domains.CARE", "domains.LIVEABILITY"}
    assert (changes["wgs.pause_days"].old, changes["wgs.pause_days"].new) == ("30", "45")
    assert changes["domains.CARE"].added == ["SIGNALERINGDETAILSOORT.MUT"]
    assert changes["domains.LIVEABILITY"].removed == ["SIGNALERINGDETAILSOORT.MUT"]
    page = response.content.decode()
    assert "Collection pause after help is accepted (days)" in page and "45" in page
    first = admin_client.get(reverse("rules:version", args=[1]))
    assert first.context["changes"] is None
    assert admin_client.get(reverse("rules:version", args=[9])).status_code == 404


def test_history_lists_versions_with_author_and_note(admin_client, world, django_assert_max_num_queries):
    rules.current()
    for days in (100, 110, 120):
        admin_client.post(reverse("rules:edit"), form_data(b1__window_days=str(days), note=f"Venster {days}"))
    assert RuleSet.objects.count() == 4
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("rules:edit"))
    versions = [rs.version for rs in response.context["page_obj"]]
    assert versions == [4, 3, 2, 1]
    page = response.content.decode()
    assert "Venster 110" in page and str(world.admin) in page


@pytest.mark.parametrize("who", ["pro_n", "mgr_n", "colleague", "privacy"])
def test_other_roles_get_404(client, world, who):
    rules.current()
    client.force_login(getattr(world, who))
    assert client.get(reverse("rules:edit")).status_code == 404
    assert client.post(reverse("rules:edit"), form_data(f2__severity="2")).status_code == 404
    assert client.get(reverse("rules:version", args=[1])).status_code == 404
    assert RuleSet.objects.count() == 1


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("rules:edit"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
