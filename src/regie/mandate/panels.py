"""What the mandate adds to the case page and the household page (hooks called by
regie.cases.views and regie.housing.views; their templates are included by cases/detail.html
and housing/household.html).

`case_context(request, case, *, may_manage, may_contribute)` returns extra context for the case
page (decisions, the form to record one); `household_context(request, household)` the measures in
effect that touch the household, for everyone who handles it. Each returns {} until filled in.
"""


def case_context(request, case, *, may_manage: bool, may_contribute: bool) -> dict:
    # Imported here: regie.cases.views imports this module, and the mandate's modules import cases.
    from regie.mandate.views import case_panel

    return case_panel(request, case, may_manage=may_manage, forms=getattr(request, "mandate_forms", None))


def household_context(request, household) -> dict:
    """The measures in effect that touch the household (a suspended eviction, a frozen
    arrangement), for everyone who handles it; the page already checked who may see it."""
    from regie.mandate.selectors import household_measures

    return {"measures_in_effect": household_measures(household)}
