"""What the top bar shows: only what the user's role may use (UX.md, Navigation)."""

from regie.accounts.models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    items = []
    if user.reads_case_content:
        items += [
            ("cases:caseload", "caseload"),
            ("housing:search", "households"),
        ]
    if user.role == Role.ADMIN:
        items.append(("accounts:users", "admin"))
    if user.role == Role.PRIVACY:
        items.append(("audit:log", "access_log"))
    return {"nav": items}
