"""What the top bar shows: only what the user's role may use (UX.md, Navigation)."""

from django.utils.translation import gettext_lazy as _

from regie.accounts.mfa import is_verified
from regie.accounts.models import Department, Role

# What each menu item says (the keys below name the items).
LABELS = {
    "caseload": _("My caseload"),
    "households": _("Households"),
    "access_log": _("Access log"),
    "privacy_requests": _("Requests"),
    "retention": _("Retention"),
    "admin": _("Administration"),
    "signals": _("Signals"),
    "wgs": _("Early warning"),
    "imports": _("Import"),
    "rules": _("Detection rules"),
    "network": _("Network"),
    "worklist": _("Worklist"),
    "approvals": _("Approvals"),
    "mandate_overview": _("Decisions"),
    "mandate_admin": _("Mandate"),
    "lessons": _("Lessons"),
    "obstacles": _("Obstacles"),
    "agreements": _("Result agreements"),
    "results": _("Results"),
    "meetings": _("Team meetings"),
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_verified(request):
        # Before the second factor the session reaches no page: show no menu to go to.
        return {"nav": []}
    items = []
    if user.reads_case_content:
        items += [
            ("cases:caseload", "caseload"),
            ("inbox:list", "signals"),
            ("housing:search", "households"),
        ]
    if user.role in (Role.PROFESSIONAL, Role.MANAGER, Role.DEPARTMENT):
        items.append(("plans:worklist", "worklist"))
    if user.role in (Role.MANAGER, Role.BOARD):
        items += [("mandate:approvals", "approvals"), ("mandate:overview", "mandate_overview")]
    if user.reads_case_content:
        items += [("learning:lessons", "lessons"), ("learning:obstacles", "obstacles")]
    if user.role in (Role.PROFESSIONAL, Role.MANAGER):
        items += [("meetings:list", "meetings"), ("results:mine", "agreements")]
    if user.role in (Role.MANAGER, Role.BOARD, Role.ADMIN):
        items.append(("results:dashboard", "results"))
    items.append(("network:directory", "network"))
    if user.role == Role.MANAGER or (user.role == Role.DEPARTMENT and user.department == Department.COLLECTIONS):
        items.append(("wgs:review", "wgs"))
    if user.role == Role.ADMIN:
        items += [
            ("accounts:users", "admin"),
            ("imports:list", "imports"),
            ("rules:edit", "rules"),
            ("mandate:admin", "mandate_admin"),
        ]
    if user.role == Role.PRIVACY:
        items.append(("audit:log", "access_log"))
        items.append(("privacy:requests", "privacy_requests"))
    if user.role in (Role.PRIVACY, Role.ADMIN):
        items.append(("privacy:retention", "retention"))
    # Labels resolved here, not in an if-chain in base.html: every page draws the menu.
    return {"nav": [(url_name, LABELS[key]) for url_name, key in items]}
