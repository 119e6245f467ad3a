"""Authentication that keeps the published demo accounts out of a production instance."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class RegieModelBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
