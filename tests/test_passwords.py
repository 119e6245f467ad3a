"""Breached passwords are refused (Have I Been Pwned's range API, mocked: it is on the internet)."""

import hashlib
import logging
from urllib.error import URLError

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from regie.accounts import passwords
from regie.accounts.models import User

pytestmark = pytest.mark.django_db
BREACHED = "zomer-2024-welkom!"


def suffix_of(password: str) -> str:
    return hashlib.sha1(password.encode()).hexdigest().upper()[5:]  # noqa: S324 - the API's scheme


class FakeRangeAPI:
    """Stands in for api.pwnedpasswords.com: records what was asked, answers a padded range."""

    def __init__(self, breached=(BREACHED,), fail: Exception | None = None, padding=()):
        self.breached, self.fail, self.requests = breached, fail, []
        self.padding = ["0018A45C4D1DEF81644B54AB7F969B88D65", *(suffix_of(p) for p in padding)]

    def __call__(self, request, timeout):
        self.requests.append((request, timeout))
        if self.fail:
            raise self.fail
        lines = [f"{suffix_of(p)}:{1234}" for p in self.breached]
        lines += [f"{suffix}:0" for suffix in self.padding]  # padding lines carry a count of 0
        body = "\r\n".join(lines).encode()

        class Response:
            def read(self):
                return body

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

        return Response()


@pytest.fixture
def pwned(monkeypatch, settings):
    settings.REGIE_PWNED_PASSWORDS = True
    api = FakeRangeAPI()
    monkeypatch.setattr(passwords, "urlopen", api)
    return api


def test_a_breached_password_is_refused_and_only_a_hash_prefix_is_sent(pwned):
    with pytest.raises(ValidationError) as err:
        validate_password(BREACHED)
    assert err.value.error_list[0].code == "password_breached"
    request, timeout = pwned.requests[0]
    digest = hashlib.sha1(BREACHED.encode()).hexdigest().upper()  # noqa: S324 - the API's scheme
    assert request.full_url == "https://api.pwnedpasswords.com/range/" + digest[:5]
    assert request.get_header("Add-padding") == "true" and timeout == 3.0
    assert BREACHED not in request.full_url and digest[5:] not in request.full_url


def test_a_password_not_in_the_range_passes(pwned):
    validate_password("een-heel-ander-wachtwoord-77")
    assert len(pwned.requests) == 1


def test_padding_lines_are_not_breaches(monkeypatch, settings):
    settings.REGIE_PWNED_PASSWORDS = True
    password = "een-ander-lang-wachtwoord"
    api = FakeRangeAPI(breached=(), padding=[password])
    monkeypatch.setattr(passwords, "urlopen", api)
    validate_password(password)
    assert len(api.requests) == 1


def test_the_check_fails_open_with_a_warning_that_names_no_password(monkeypatch, settings, caplog):
    settings.REGIE_PWNED_PASSWORDS = True
    monkeypatch.setattr(passwords, "urlopen", FakeRangeAPI(fail=URLError("timed out")))
    with caplog.at_level(logging.WARNING, logger="regie.accounts.passwords"):
        validate_password(BREACHED)  # accepted: the service is down
    assert "unavailable" in caplog.text and BREACHED not in caplog.text
    assert suffix_of(BREACHED) not in caplog.text


def test_off_means_no_call(monkeypatch, settings):
    settings.REGIE_PWNED_PASSWORDS = False
    api = FakeRangeAPI()
    monkeypatch.setattr(passwords, "urlopen", api)
    validate_password(BREACHED)
    assert api.requests == []


def test_changing_ones_password_refuses_a_breached_one(pwned, client, world):
    client.force_login(world.pro_n)
    response = client.post(
        reverse("accounts:account"),
        {"old_password": "correct-horse-battery", "new_password1": BREACHED, "new_password2": BREACHED},
    )
    assert response.status_code == 400 and "new_password2" in response.context["form"].errors
    world.pro_n.refresh_from_db()
    assert world.pro_n.check_password("correct-horse-battery")


def test_a_new_account_cannot_get_a_breached_password(pwned, client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("accounts:user_new"),
        {"username": "nieuw", "password": BREACHED, "last_name": "N", "role": "privacy", "department": "social"},
    )
    assert response.status_code == 400 and "password" in response.context["form"].errors
    assert not User.objects.filter(username="nieuw").exists()
