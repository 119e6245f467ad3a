"""Accounts: the CLI to add users, the demo-mode guard, login and where each role lands."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.urls import reverse

from regie.accounts.models import User
from tests.auth_helpers import give_totp, totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_adduser_creates_a_professional_in_a_team(world, monkeypatch):
    monkeypatch.setenv("REGIE_NEW_PASSWORD", "een-lang-wachtwoord-42")
    call_command("adduser", "nieuw", role="professional", team=[world.team_n.code])
    user = User.objects.get(username="nieuw")
    assert user.role == "professional" and list(user.teams.all()) == [world.team_n]
    assert authenticate(username="nieuw", password="een-lang-wachtwoord-42") == user


@pytest.mark.parametrize(
    ("kwargs", "password", "message"),
    [
        ({"role": "professional", "team": ["nope"]}, "een-lang-wachtwoord-42", "Unknown team code"),
        ({"role": "professional"}, "een-lang-wachtwoord-42", "at least one team|minstens één team"),
        ({"role": "privacy"}, "kort", "password: "),
        ({"role": "privacy"}, "password123456", "too common|te algemeen"),
    ],
)
def test_adduser_refuses_bad_input_clearly(world, monkeypatch, kwargs, password, message):
    monkeypatch.setenv("REGIE_NEW_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("adduser", "nieuw", **kwargs)
    assert not User.objects.filter(username="nieuw").exists()


def test_demo_accounts_log_in_only_in_demo_mode(settings):
    user = UserFactory(username="demo-x", is_demo=True)
    user.set_password("regie-demo")
    user.save()
    settings.DEMO_MODE = False
    assert authenticate(username="demo-x", password="regie-demo") is None
    settings.DEMO_MODE = True
    assert authenticate(username="demo-x", password="regie-demo") == user


def test_login_page_and_landing_per_role(client, world):
    assert client.get(reverse("cases:caseload")).status_code == 302  # to the login page
    device = give_totp(world.pro_n)
    response = client.post(reverse("login"), {"username": "pro-n", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:second_step"))
    client.post(reverse("accounts:second_step"), {"code": totp_code(device)})
    assert client.get(reverse("home"))["Location"] == reverse("cases:caseload")
    client.force_login(world.privacy)
    assert client.get(reverse("home"))["Location"] == reverse("audit:log")
    client.force_login(world.colleague)
    assert client.get(reverse("home")).status_code == 200


def test_failed_login_says_nothing_about_the_account(client, world):
    client.cookies["django_language"] = "en"
    known = client.post(reverse("login"), {"username": "pro-n", "password": "wrong-password-x"})
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "wrong-password-x"})
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_pages_carry_a_strict_csp_and_no_store(client, world):
    client.force_login(world.pro_n)
    response = client.get(reverse("cases:caseload"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["Cache-Control"] == "no-store"


def test_administrator_creates_and_edits_accounts(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("accounts:users")).status_code == 200
    response = client.post(
        reverse("accounts:user_new"),
        {
            "username": "nieuw",
            "password": "een-lang-wachtwoord-42",
            "last_name": "Nieuw",
            "role": "professional",
            "department": "social",
            "teams": [world.team_s.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="nieuw")
    response = client.post(
        reverse("accounts:user_edit", args=[user.pk]),
        {"last_name": "Nieuw", "role": "manager", "department": "social", "teams": [world.team_n.pk]},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.role, user.is_active, list(user.teams.all())) == ("manager", False, [world.team_n])


def test_administrator_form_errors_and_no_lockout(client, world):
    client.force_login(world.admin)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("accounts:user_new"),
        {"username": "x", "password": "kort", "last_name": "X", "role": "professional", "department": "social"},
    )
    assert response.status_code == 400 and {"password", "teams"} <= set(response.context["form"].errors)
    response = client.post(
        reverse("accounts:user_edit", args=[world.admin.pk]),
        {"last_name": "B", "role": "admin", "department": "social"},
    )
    assert response.status_code == 400
    world.admin.refresh_from_db()
    assert world.admin.is_active


@pytest.mark.parametrize("who", ["pro_n", "mgr_n", "privacy", "colleague"])
def test_only_the_administrator_manages_accounts(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("accounts:users")).status_code == 404
    assert client.post(reverse("accounts:user_edit", args=[world.admin.pk]), {"role": "privacy"}).status_code == 404


def test_district_mapping_moves_units_and_changes_who_sees_them(world, client):
    from regie.housing.models import AreaDistrict, Unit

    unit = world.hh_n.unit
    Unit.objects.filter(pk=unit.pk).update(district="BU0363AF02", area=None)
    client.force_login(world.pro_n)
    assert client.get(world.hh_n.get_absolute_url()).status_code == 404  # in no area: no team sees it
    assert client.get("/beheer/wijken/").status_code == 404
    client.force_login(world.admin)
    assert "BU0363AF02" in client.get("/beheer/wijken/").content.decode()
    client.post("/beheer/wijken/", {"district": "BU0363AF02", "area": world.north.pk})
    assert AreaDistrict.objects.get(district="BU0363AF02").area == world.north
    unit.refresh_from_db()
    assert unit.area == world.north
    client.force_login(world.pro_n)
    assert client.get(world.hh_n.get_absolute_url()).status_code == 200
    client.force_login(world.admin)
    response = client.post("/beheer/wijken/", {"district": "NOPE", "area": world.north.pk}, follow=True)
    assert not AreaDistrict.objects.filter(district="NOPE").exists() and response.status_code == 200
