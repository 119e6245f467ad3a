"""Sensitive life domains: which they are, and who may read what is written about them.

Mental health, substance use and justice (ZRM) are special-category data (AVG art. 9, 10). Goals,
assessment scores and notes, and contact notes in these domains are read only by the case team:
the director and the active members (`sees_sensitive`). Anyone else who may open the case (a
manager of the case's team who is not on the case team) gets a neutral placeholder, so he knows
something is there without reading it. Department colleagues never read a goal at all (their
worklist shows the action only).

The emergency override (noodknop) counts as the case team for its reader: it is break-the-glass
access, flagged on every read and reported to the privacy officer at once, and it exists for the
moment the case team can't be reached.

Callers decide once per request (`sees_sensitive` is cached on the case object) and shield in
Python on rows already read: no query per item. Anything that renders without being told whether
its reader sees sensitive domains shields (fail closed).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SENSITIVE_DOMAINS = frozenset({"mental", "substance", "justice"})
PLACEHOLDER = _("Shielded: for the case team only")


def is_sensitive(domain: str | None) -> bool:
    return domain in SENSITIVE_DOMAINS


def sensitive_among(domains: Iterable[str] | None) -> list[str]:
    """The sensitive domains of a list, in the order given."""
    return [d for d in (domains or ()) if d in SENSITIVE_DOMAINS]


def sees_sensitive(user, case) -> bool:
    """Whether `user` reads the sensitive domains of `case`: its director, an active member of its
    team, or a reader under an emergency override of this case. A manager counts only when he is on
    the case team (need to know); he may add himself to it, which shows on the timeline.

    Cached on the case object, so a page asks the database at most once (and not at all for the
    director, or when the case carries its members: `active_members` or a prefetch)."""
    if case is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    cache = case.__dict__.setdefault("_sees_sensitive", {})
    if user.pk not in cache:
        cache[user.pk] = _on_case_team(user, case) or _under_emergency(user, case)
    return cache[user.pk]


def _on_case_team(user, case) -> bool:
    if not user.reads_case_content:
        return False
    if case.director_id == user.pk:
        return True
    members = getattr(case, "active_members", None)
    if members is not None:
        return any(m.user_id == user.pk for m in members)
    prefetched = getattr(case, "_prefetched_objects_cache", {}).get("members")
    if prefetched is not None:
        return any(m.user_id == user.pk and m.removed_at is None for m in prefetched)
    from regie.cases.models import CaseMember

    return CaseMember.objects.filter(case_id=case.pk, user_id=user.pk, removed_at__isnull=True).exists()


def _under_emergency(user, case) -> bool:
    grant = getattr(case, "emergency_grant", None)
    return grant is not None and grant.user_id == user.pk


def contact_is_sensitive(contact) -> bool:
    return bool(sensitive_among(getattr(contact, "domains", None)))


@dataclass
class Shield:
    """What one reader may not read of one case: built once per request, asked per item.

    `goal_ids`: the case's goals in a sensitive domain, to recognise the timeline's goal entries
    written before entries carried their domain."""

    sees: bool
    goal_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def for_case(cls, user, case, *, goals=None) -> "Shield":
        """Pass the goals the page already read; otherwise one query reads the sensitive goals' ids
        (only for a reader outside the case team)."""
        if sees_sensitive(user, case):
            return cls(sees=True)
        if goals is not None:
            ids = {g.pk for g in goals if is_sensitive(g.domain)}
        else:
            from regie.plans.models import Goal

            ids = set(Goal.objects.filter(case_id=case.pk, domain__in=SENSITIVE_DOMAINS).values_list("pk", flat=True))
        return cls(sees=False, goal_ids=frozenset(ids))

    def goal(self, goal) -> bool:
        return not self.sees and is_sensitive(goal.domain)

    def domain(self, domain: str) -> bool:
        return not self.sees and is_sensitive(domain)

    def contact(self, contact) -> bool:
        return not self.sees and contact is not None and contact_is_sensitive(contact)

    def entry(self, entry) -> bool:
        """A timeline entry whose text is about a sensitive goal, or a sensitive contact's note."""
        if self.sees:
            return False
        from regie.cases.models import EntryKind

        if entry.kind == EntryKind.CONTACT:
            return self.contact(entry.contact)
        if entry.kind == EntryKind.PLAN:
            d = entry.data or {}
            if d.get("change") in ("goal_added", "goal_changed"):
                return is_sensitive(d.get("domain")) or d.get("goal") in self.goal_ids
        if entry.kind in (EntryKind.CONSENT, EntryKind.REFERRAL):
            # Its sentence names the domains, and a referral's text says why: about a sensitive one?
            return any(is_sensitive(d) for d in (entry.data or {}).get("domains", []))
        return False


def shielded_data(data: dict) -> dict:
    """A shielded timeline entry's data as a reader outside the case team gets it: without the
    goal's domain, and without the sensitive ones among the domains a consent or referral names."""
    out = {k: v for k, v in (data or {}).items() if k != "domain"}
    if "domains" in out:
        out["domains"] = [d for d in out["domains"] if not is_sensitive(d)]
    return out
