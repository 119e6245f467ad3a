"""Display formats of UX.md: amounts as € 1.234,56 in Dutch, status badges, urgency words."""

from decimal import Decimal

from django import template
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

register = template.Library()

URGENCY = {
    "legal": _("Eviction threatens"),
    "arrears": _("Arrears ≥ 3 months"),
    "overdue": _("Next step overdue"),
    "no_contact": _("No contact for 30 days"),
    "action_overdue": _("Action overdue"),
    "action_coming": _("Action due within 14 days"),
    "recurrence": _("Recurrence within 12 months"),
}


@register.filter
def euro(value) -> str:
    """€ 1.234,56 in Dutch, € 1,234.56 in English (UX.md, Formats)."""
    if value in (None, ""):
        return "–"
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    # Python's own grouping, then the locale's separators: number_format was the page's slowest filter.
    digits = f"{abs(amount):,.2f}"
    thousands, decimal = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
    digits = digits.replace(",", "\0").replace(".", decimal).replace("\0", thousands)
    return f"{sign}€ {digits}"


@register.filter
def urgency_label(code: str) -> str:
    return str(URGENCY.get(code, code))


@register.simple_tag(takes_context=True)
def sort_link(context, key: str) -> str:
    """The query string that sorts by `key`, flipping direction when it is already the sort."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("sort", "")
    params["sort"] = f"-{key}" if current == key else key
    params.pop("page", None)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def sort_state(context, key: str) -> str:
    current = context["request"].GET.get("sort", "")
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"


@register.simple_tag(takes_context=True)
def page_link(context, page: int) -> str:
    params = context["request"].GET.copy()
    params["page"] = page
    return "?" + params.urlencode()
