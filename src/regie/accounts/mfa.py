"""Whether this session has passed the second factor. Kept in the session, so checking it costs
no query on each request; the login flow (password, then TOTP or a recovery code) and single
sign-on both mark it through `mark_verified`."""

SESSION_KEY = "regie_2fa"


def mark_verified(request, *, method: str) -> None:
    """Record that the user has passed a second factor (method: "totp", "recovery", "oidc")."""
    request.session[SESSION_KEY] = method


def is_verified(request) -> bool:
    return bool(request.session.get(SESSION_KEY))
