"""Where the current access comes from (network address, channel), set per request or command."""

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class AccessContext:
    channel: str = "cli"
    ip_address: str | None = None
    on_behalf_of: str = ""
    emergency: bool = False
    # Set with `emergency`: the purpose every entry of this access then carries ("emergency").
    purpose: str = ""
    # A fixed moment for every entry instead of the clock. Set only by the demo
    # (regie.core.demo.privacy), which writes a history of past accesses through the services;
    # no request or command of the application sets it. Nobody is mailed about such a past access.
    at: datetime | None = None
    # Refused accesses (user, action, record kind, record id), written once the request's transaction,
    # which a 404 or 403 rolls back, has ended.
    denied: list[tuple[object, str, str, str]] = field(default_factory=list)


_current: ContextVar[AccessContext | None] = ContextVar("regie_access_context", default=None)


def current() -> AccessContext:
    ctx = _current.get()
    if ctx is None:
        ctx = AccessContext()
        _current.set(ctx)
    return ctx


def activate(ctx: AccessContext):
    return _current.set(ctx)


def deactivate(token) -> None:
    _current.reset(token)
