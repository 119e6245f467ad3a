"""Who may do what with a case (django-rules predicates). Visibility itself lives in selectors."""

import rules

from regie.accounts.models import Role


@rules.predicate
def is_director(user, case) -> bool:
    return case is not None and case.director_id == user.pk


@rules.predicate
def is_case_manager(user, case) -> bool:
    return case is not None and user.role == Role.MANAGER and user.teams.filter(pk=case.team_id).exists()


@rules.predicate
def is_on_case_team(user, case) -> bool:
    return case is not None and case.members.filter(user=user, removed_at__isnull=True).exists()


@rules.predicate
def reads_case_content(user) -> bool:
    return user.is_authenticated and user.reads_case_content


@rules.predicate
def may_open_cases(user) -> bool:
    return user.is_authenticated and user.role in (Role.PROFESSIONAL, Role.MANAGER)


# Steering the case (status, direction, team) belongs to its director and his manager.
rules.add_perm("cases.manage_case", reads_case_content & (is_director | is_case_manager))
# Recording contacts and the tenant's question is open to everyone on the case team.
rules.add_perm("cases.contribute", reads_case_content & (is_director | is_on_case_team | is_case_manager))
rules.add_perm("cases.open_case", may_open_cases)
