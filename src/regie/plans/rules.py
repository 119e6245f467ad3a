"""Who may do what with a plan (django-rules). Visibility itself lives in the selectors.

The case team (director, team members, the team's manager) writes the plan: that is the case's
own `cases.contribute`. A department colleague works only on his department's actions.
"""

import rules

from regie.accounts.models import Role


@rules.predicate
def works_on_action(user, action) -> bool:
    return (
        action is not None
        and user.is_authenticated
        and user.role == Role.DEPARTMENT
        and action.who == "department"
        and action.department == user.department
    )


rules.add_perm("plans.work_on_action", works_on_action)
