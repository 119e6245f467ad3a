"""Single sign-on through OpenID Connect (e.g. Microsoft Entra ID), on top of mozilla-django-oidc.

Off unless REGIE_OIDC_ENABLED: the views answer 404 and the backend isn't in
AUTHENTICATION_BACKENDS. Only an existing, active Regie account signs in, found by one
configurable claim; nothing is created or changed from the provider's claims (roles and teams
stay managed in Regie). The library leaves the ID token's audience and issuer unchecked; we
check both. Whether the provider did MFA decides if Regie's own second factor is still asked.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from regie.accounts import mfa
from regie.accounts.backends import RegieModelBackend

logger = logging.getLogger(__name__)

# RFC 8176 authentication method references; "mfa" or two different methods mean more than a password.
_MFA_METHODS = {"otp", "hwk", "swk", "fido", "sms", "tel", "face", "fpt", "iris", "retina", "vbm", "pin", "sc"}


def shows_mfa(amr) -> bool:
    methods = {amr} if isinstance(amr, str) else set(amr or ())
    return "mfa" in methods or (len(methods) >= 2 and bool(methods & _MFA_METHODS))


class RegieOIDCBackend(OIDCAuthenticationBackend, RegieModelBackend):
    """Finds the Regie account for the provider's user; refuses unknown, inactive and demo accounts."""

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a code smuggled into another login (e.g. the
        # password form's query string) never reaches the provider without the state check.
        if "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        try:
            payload = super().verify_token(token, **kwargs)
        except jwt.InvalidTokenError as err:  # expired, not yet valid: the library lets these through
            raise SuspiciousOperation("ID token refused") from err
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or ())
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token is for another client")
        if payload.get("iss") != settings.REGIE_OIDC_ISSUER:
            raise SuspiciousOperation("ID token from another issuer")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint when one is configured; the
        signed ID token wins where both speak (Entra's userinfo lacks preferred_username)."""
        claims = super().get_userinfo(access_token, id_token, payload) if self.OIDC_OP_USER_ENDPOINT else {}
        return {**claims, **payload}

    def verify_claims(self, claims) -> bool:
        if claims.get("email_verified") is False and settings.REGIE_OIDC_MATCH_CLAIM == "email":
            return False
        return bool(str(claims.get(settings.REGIE_OIDC_MATCH_CLAIM) or "").strip())

    def filter_users_by_claims(self, claims):
        value = str(claims.get(settings.REGIE_OIDC_MATCH_CLAIM)).strip()
        if settings.REGIE_OIDC_MATCH_CLAIM == "email":
            return self.UserModel.objects.filter(email__iexact=value)
        return self.UserModel.objects.filter(username__iexact=value)

    def describe_user_by_claims(self, claims) -> str:
        return "the configured claim"  # never the address or name: logs carry no personal data

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None or not self.user_can_authenticate(user):
            return None
        # Read by the callback view once login() has made the new session.
        self.request.regie_oidc_mfa = shows_mfa(payload.get("amr"))
        return user

    def get_user(self, user_id):
        # The library's get_user skips the active check; a deactivated account's session must not live on.
        return ModelBackend.get_user(self, user_id)


def _require_enabled() -> None:
    if not settings.REGIE_OIDC_ENABLED:
        raise Http404


class AuthenticateView(OIDCAuthenticationRequestView):
    """/oidc/inloggen/: off to the provider, with state, nonce and PKCE kept in the session."""

    def dispatch(self, request, *args, **kwargs):
        _require_enabled()
        return super().dispatch(request, *args, **kwargs)


class CallbackView(OIDCAuthenticationCallbackView):
    """/oidc/callback/: the provider sends the user back here with a code."""

    def dispatch(self, request, *args, **kwargs):
        _require_enabled()
        try:
            return super().dispatch(request, *args, **kwargs)
        except (SuspiciousOperation, requests.RequestException) as err:
            # A replayed or forged state, a refused token, the provider unreachable: one answer.
            logger.warning("single sign-on refused: %s", type(err).__name__)
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            _("Signing in with %(provider)s didn't work. Your account may not be known in Regie, or not active.")
            % {"provider": settings.REGIE_OIDC_PROVIDER_NAME},
        )
        return redirect(settings.LOGIN_REDIRECT_URL_FAILURE)

    def login_success(self):
        response = super().login_success()
        if getattr(self.request, "regie_oidc_mfa", False) or settings.REGIE_OIDC_TRUSTS_MFA:
            mfa.mark_verified(self.request, method="oidc")
        return response
