"""Single sign-on through OpenID Connect, against the local fake provider (tests/fake_idp.py):
the whole redirect dance, who may and may not sign in, and when Regie's own second factor is
still asked."""

from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from django.test import Client
from django.urls import reverse

from regie.accounts import mfa
from regie.accounts.models import LoginMethod, UserSession
from tests.factories import UserFactory
from tests.fake_idp import CLIENT_ID, CLIENT_SECRET, FakeIdP

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp(settings, monkeypatch):
    # The provider is on 127.0.0.1: never route the back-channel calls through a proxy.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with FakeIdP() as provider:
        settings.REGIE_OIDC_ENABLED = True
        settings.REGIE_OIDC_PROVIDER_NAME = "Testprovider"
        settings.REGIE_OIDC_ISSUER = provider.issuer
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider.url("/authorize")
        settings.OIDC_OP_TOKEN_ENDPOINT = provider.url("/token")
        settings.OIDC_OP_USER_ENDPOINT = provider.url("/userinfo")
        settings.OIDC_OP_JWKS_ENDPOINT = provider.url("/jwks")
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "regie.accounts.oidc.RegieOIDCBackend"]
        yield provider


@pytest.fixture
def jan(db):
    return UserFactory(username="jan.test", email="jan.test@example.org")


def to_provider(client, *, next_url: str = "") -> str:
    """Click "Log in with …": Regie sends the browser to the provider's authorize URL."""
    url = reverse("accounts:oidc_login") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302
    return response["Location"]


def back_from_provider(authorize_url: str) -> str:
    """The provider "signs in" whoever the test chose and redirects back with a code."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302
    back = urlparse(response.headers["Location"])
    return f"{back.path}?{back.query}"


def sso_login(client, idp, claims: dict, *, next_url: str = ""):
    idp.next_claims = claims
    return client.get(back_from_provider(to_provider(client, next_url=next_url)))


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_full_sign_on_with_mfa_at_the_provider(idp, jan):
    client = Client()
    authorize = to_provider(client, next_url=reverse("accounts:account"))
    query = parse_qs(urlparse(authorize).query)
    assert authorize.startswith(idp.url("/authorize"))
    assert query["client_id"] == [CLIENT_ID] and query["code_challenge_method"] == ["S256"] and query["nonce"]
    idp.next_claims = {"email": "Jan.Test@example.org", "amr": ["pwd", "mfa"]}
    response = client.get(back_from_provider(authorize))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    assert logged_in_as(client) == str(jan.pk)
    assert client.session[mfa.SESSION_KEY] == "oidc"
    row = UserSession.objects.get(user=jan)
    assert row.login_method == LoginMethod.OIDC and row.session_key == client.session.session_key
    assert client.get(reverse("accounts:account")).status_code == 200  # no second step asked


def test_without_mfa_at_the_provider_regie_asks_its_own_second_factor(idp, jan):
    client = Client()
    sso_login(client, idp, {"email": jan.email, "amr": ["pwd"]})
    assert logged_in_as(client) == str(jan.pk)
    assert mfa.SESSION_KEY not in client.session
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_trusting_the_providers_mfa_skips_regies_second_factor(idp, jan, settings):
    settings.REGIE_OIDC_TRUSTS_MFA = True
    client = Client()
    sso_login(client, idp, {"email": jan.email})
    assert client.session[mfa.SESSION_KEY] == "oidc"


def test_match_on_preferred_username(idp, jan, settings):
    settings.REGIE_OIDC_MATCH_CLAIM = "preferred_username"
    client = Client()
    sso_login(client, idp, {"preferred_username": "JAN.TEST", "email": "someone-else@example.org"})
    assert logged_in_as(client) == str(jan.pk)


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "nobody@example.org"},  # no such account: nothing is created
        {"email": "jan.test@example.org", "email_verified": False},
        {"preferred_username": "jan.test"},  # the configured claim (email) is missing
    ],
)
def test_unknown_or_unmatched_user_is_refused(idp, jan, claims):
    client = Client()
    response = sso_login(client, idp, claims)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert logged_in_as(client) is None
    assert not UserSession.objects.exists()
    assert client.get(response["Location"]).context["messages"]


def test_inactive_and_demo_accounts_are_refused(idp, jan, settings):
    jan.is_active = False
    jan.save(update_fields=["is_active"])
    demo = UserFactory(username="demo-x", email="demo@example.org", is_demo=True)
    settings.DEMO_MODE = False
    for email in (jan.email, demo.email):
        client = Client()
        sso_login(client, idp, {"email": email, "amr": ["mfa"]})
        assert logged_in_as(client) is None


def test_a_sign_on_session_dies_with_the_account(idp, jan):
    client = Client()
    sso_login(client, idp, {"email": jan.email, "amr": ["mfa"]})
    jan.is_active = False
    jan.save(update_fields=["is_active"])
    assert client.get(reverse("accounts:account"))["Location"].startswith(reverse("login"))


def test_state_mismatch_is_refused(idp, jan):
    client = Client()
    idp.next_claims = {"email": jan.email, "amr": ["mfa"]}
    back = urlparse(back_from_provider(to_provider(client)))
    query = parse_qs(back.query)
    forged = f"{back.path}?{urlencode({'code': query['code'][0], 'state': 'not-the-state'})}"
    response = client.get(forged)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert logged_in_as(client) is None


def test_a_token_from_another_issuer_is_refused(idp, jan, settings):
    settings.REGIE_OIDC_ISSUER = "https://login.example.com/other-tenant/v2.0"
    client = Client()
    sso_login(client, idp, {"email": jan.email, "amr": ["mfa"]})
    assert logged_in_as(client) is None


def test_a_code_smuggled_into_the_password_login_is_ignored(idp, jan):
    client = Client()
    idp.next_claims = {"email": jan.email, "amr": ["mfa"]}
    back = urlparse(back_from_provider(to_provider(Client())))
    client.post(f"{reverse('login')}?{back.query}", {"username": "", "password": ""})
    assert logged_in_as(client) is None


def test_login_page_shows_the_button_only_when_enabled(client, settings, idp):
    page = client.get(reverse("login"))
    assert b"Testprovider" in page.content and reverse("accounts:oidc_login").encode() in page.content
    settings.REGIE_OIDC_ENABLED = False
    page = client.get(reverse("login"))
    assert b"Testprovider" not in page.content
    assert client.get(reverse("accounts:oidc_login")).status_code == 404
    assert client.get(reverse("accounts:oidc_callback") + "?code=x&state=y").status_code == 404
