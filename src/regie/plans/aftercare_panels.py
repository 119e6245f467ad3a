"""What this app adds to the case page and the caseload (hooks called by regie.cases.views).

`case_context(request, case, *, may_manage, may_contribute)` returns extra context for the case
page; `caseload_context(request)` extra context for the caseload page. Each returns {} until the
app fills them in; their templates are included by cases/detail.html and cases/caseload.html.
"""


def case_context(request, case, *, may_manage: bool, may_contribute: bool) -> dict:
    return {}


def caseload_context(request) -> dict:
    return {}
