"""Login and session facts for templates, read from settings at render time."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def oidc_provider() -> str:
    """`{% oidc_provider as name %}`: the single sign-on button's label, or "" when it is off."""
    return settings.REGIE_OIDC_PROVIDER_NAME if settings.REGIE_OIDC_ENABLED else ""


@register.simple_tag
def session_limits() -> dict:
    """`{% session_limits as limits %}`: limits.idle_minutes, limits.max_hours."""
    return {"idle_minutes": settings.REGIE_SESSION_IDLE_MINUTES, "max_hours": settings.REGIE_SESSION_MAX_HOURS}
