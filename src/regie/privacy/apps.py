from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Retention and anonymisation, the tenant's rights (AVG art. 15-17) and their register."""

    name = "regie.privacy"
    verbose_name = _("Privacy")
