"""Authentication backends: lockout after failed logins, and the demo accounts kept out of a
production instance."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class RegieAxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS.

    Axes refuses to run without a request. Every login over the web passes one (the login form,
    single sign-on); authenticate() without a request only comes from code run on the server
    itself (the shell, commands, tests), where there is no network address to lock out, so it is
    let through to the next backend instead of raising."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class RegieModelBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
