"""Who may do what with the mandate (django-rules predicates). Visibility lives in the selectors.

- Recording a decision belongs to whoever steers the case (`cases.manage_case`: its director and
  the team's manager).
- Answering a decision beyond the mandate belongs to the level it needs: a manager of the case's
  team for MANAGER, the director-board for BOARD. The board sees only what was put to it.
- Replying to a question and withdrawing belong to the director who recorded it (or the case's
  director now, when direction has passed).
- The catalogue, the limits and the budgets belong to the functional administrator.
"""

import rules

from regie.accounts.models import Role
from regie.mandate.models import LEVEL_ORDER, Decision, Level

# The level each role decides at; other roles decide nothing.
LEVEL_OF_ROLE = {Role.PROFESSIONAL: Level.PROFESSIONAL, Role.MANAGER: Level.MANAGER, Role.BOARD: Level.BOARD}


def level_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return LEVEL_OF_ROLE.get(user.role)


def covers(level: str | None, required: str) -> bool:
    """Whether a level reaches the required one (a manager covers a professional's decisions)."""
    return level is not None and LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(required)


def is_team_manager(user, case) -> bool:
    return user.role == Role.MANAGER and user.teams.filter(pk=case.team_id).exists()


@rules.predicate
def may_approve(user, decision) -> bool:
    """The level the decision needs, and the right to see it: the team's manager or the board."""
    if decision is None or not covers(level_of(user), decision.required_level):
        return False
    if user.role == Role.BOARD:
        return decision.required_level == Level.BOARD
    return is_team_manager(user, decision.case)


@rules.predicate
def is_decisions_director(user, decision) -> bool:
    return (
        decision is not None
        and user.is_authenticated
        and user.pk in (decision.decided_by_id, decision.case.director_id)
    )


@rules.predicate
def is_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.ADMIN


@rules.predicate
def sees_overview(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in (Role.MANAGER, Role.BOARD)


@rules.predicate
def manages_case(user, case) -> bool:
    return case is not None and user.has_perm("cases.manage_case", case)


@rules.predicate
def in_open_status(user, decision) -> bool:
    return decision is not None and decision.status in (Decision.Status.PENDING, Decision.Status.QUESTION)


# The permissions the pages and the API ask; the services check the same rules again.
rules.add_perm("mandate.record_decision", manages_case)
rules.add_perm("mandate.answer_decision", may_approve)
rules.add_perm("mandate.reply_decision", is_decisions_director)
rules.add_perm("mandate.withdraw_decision", is_decisions_director & in_open_status)
rules.add_perm("mandate.manage_catalogue", is_admin)
rules.add_perm("mandate.see_overview", sees_overview)
