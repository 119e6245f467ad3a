"""Until the second factor is passed, a logged-in session reaches only the second step,
enrolment, logging out and the language switch: pages redirect to the second step, the API
answers 403. A verified session costs no query here (the flag lives in the session)."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from regie.accounts import mfa

ALLOWED_NAMES = ("accounts:second_step", "accounts:enrol", "login", "logout", "set_language")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def allowed_paths(self) -> tuple[str, ...]:
        # Resolved on first use, not at import: URLconfs may not be loaded yet then.
        if self._allowed is None:
            from django.conf import settings

            self._allowed = (*(reverse(name) for name in ALLOWED_NAMES), settings.STATIC_URL)
        return self._allowed

    def __call__(self, request):
        if self._must_stop(request):
            return self._refuse(request)
        return self.get_response(request)

    def _must_stop(self, request) -> bool:
        if request.path.startswith(self.allowed_paths()) or mfa.is_verified(request):
            return False
        # An API client with a token is a machine account an administrator made: the session
        # rules don't apply (DRF tries the token before the session).
        if request.path.startswith("/api/") and request.headers.get("authorization", "").startswith("Token "):
            return False
        return request.user.is_authenticated

    def _refuse(self, request):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Finish logging in with your second factor first.")}, status=403)
        url = reverse("accounts:second_step")
        if request.method == "GET":
            url = mfa.with_next(url, request.get_full_path())
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
