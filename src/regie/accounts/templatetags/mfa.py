"""The second-factor state of an account, for the administrator's user page."""

from django import template
from django_otp.plugins.otp_totp.models import TOTPDevice

register = template.Library()


@register.simple_tag
def second_factor_of(account):
    """The account's confirmed authenticator app, or None."""
    return TOTPDevice.objects.filter(user=account, confirmed=True).only("created_at", "last_used_at").first()
