"""An explicit status transition table and the one check that enforces it (ARCHITECTURE.md, 5).

Cases, actions, referrals, obstacles and municipality signals each declare their table and how a
refusal reads; the mechanics — what may follow, the refusal that names the allowed moves — live
here once.
"""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class Workflow:
    """`table` maps a status to the statuses that may follow it (in the order forms offer them).

    `refused` reads with %(from)s, %(to)s and %(allowed)s; `final`, when given, is the refusal for
    a status nothing may follow (with %(from)s); `quote` puts each allowed label in quotes.
    """

    def __init__(
        self,
        choices,
        table: Mapping[str, Sequence[str]],
        *,
        refused,
        final=None,
        none_allowed=None,
        quote: bool = False,
        field: str = "status",
    ):
        self.choices = choices
        self.table = table
        self.refused = refused
        self.final = final
        self.none_allowed = none_allowed
        self.quote = quote
        self.field = field

    def allowed_next(self, status: str) -> tuple[str, ...]:
        return tuple(self.table.get(status, ()))

    def _label(self, status: str) -> str:
        return str(self.choices(status).label) if status in self.choices.values else status

    def check(self, from_status: str, to_status: str) -> None:
        allowed = self.allowed_next(from_status)
        if to_status in allowed:
            return
        if self.final is not None and to_status not in self.choices.values:
            raise ValidationError({self.field: _("Unknown status: %(status)s.") % {"status": to_status}})
        if self.final is not None and not allowed:
            raise ValidationError({self.field: self.final % {"from": self._label(from_status)}})
        labels = [self._label(s) for s in allowed]
        listed = ", ".join(f"“{label}”" if self.quote else label for label in labels)
        if not listed and self.none_allowed is not None:
            listed = str(self.none_allowed)
        raise ValidationError(
            {
                self.field: self.refused
                % {"from": self._label(from_status), "to": self._label(to_status), "allowed": listed}
            }
        )
