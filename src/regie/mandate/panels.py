"""What the mandate adds to the case page and the household page (hooks called by
regie.cases.views and regie.housing.views; their templates are included by cases/detail.html
and housing/household.html).

`case_context(request, case, *, may_manage, may_contribute)` returns extra context for the case
page (decisions, the form to record one); `household_context(request, household)` the measures in
effect that touch the household, for everyone who handles it. Each returns {} until filled in.
"""


def case_context(request, case, *, may_manage: bool, may_contribute: bool) -> dict:
    return {}


def household_context(request, household) -> dict:
    return {}
