"""What evaluation and aftercare add to the case page and the caseload (hooks called by regie.cases.views).

`case_context(request, case, *, may_manage, may_contribute)` gives the case page its evaluation
moments, closing assessment, aftercare checks and recurrence mark (plans/_case_aftercare.html);
`caseload_context(request)` the "due" section above the caseload (plans/_caseload_aftercare.html).
Each costs a fixed number of queries, however many rows.
"""

from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse

from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.models import Case, Status
from regie.cases.panel_reads import reads_for
from regie.cases.selectors import cases_visible_to
from regie.plans import aftercare
from regie.plans.forms_aftercare import EvaluationPlanForm

# The plan's assessment form (regie.plans); until it is there, the plan section of the case page.
ASSESSMENT_URL_NAME = "plans:assess"
NEAR_CLOSING = (Status.EVALUATION, Status.AFTERCARE)


def assessment_url(case: Case, moment: str) -> str:
    try:
        return reverse(ASSESSMENT_URL_NAME, args=[case.pk]) + f"?moment={moment}"
    except NoReverseMatch:
        return case.get_absolute_url() + "#plan-h"


def _recurrence(user, case: Case) -> dict | None:
    if not case.recurrence_of_id:
        return None
    visible = cases_visible_to(user).filter(pk=OuterRef("pk"))
    return (
        Case.objects.filter(pk=case.recurrence_of_id)
        .annotate(visible=Exists(visible))
        .values("pk", "closed_at", "outcome", "visible")
        .first()
    )


def case_context(request, case, *, may_manage: bool, may_contribute: bool) -> dict:
    info = aftercare.case_aftercare(case, reads=reads_for(request, case))
    closed = case.status == Status.CLOSED
    return {
        "aftercare": info,
        "aftercare_closed": closed,
        "aftercare_may_manage": may_manage,
        "aftercare_may_contribute": may_contribute,
        "aftercare_recurrence": _recurrence(request.user, case),
        "aftercare_closure_missing": closed and info.closure_assessment is None,
        # Nearly done: remind the director to record the closing assessment before closing.
        "aftercare_closing_hint": may_manage and case.status in NEAR_CLOSING and info.closure_assessment is None,
        "aftercare_closure_url": assessment_url(case, "closure"),
        "aftercare_evaluation_url": assessment_url(case, "evaluation"),
        "evaluation_form": EvaluationPlanForm() if may_manage and not closed else None,
    }


def caseload_context(request) -> dict:
    user = request.user
    if not user.is_authenticated or not user.reads_case_content:
        return {}
    evaluations, checks = aftercare.due_for(user)
    # The section names households: a read of each case it shows, on the access log.
    access_record(
        user=user,
        action=Action.READ,
        record_type="case",
        record_ids=sorted({e.case_id for e in evaluations} | {c.case_id for c in checks}),
    )
    return {"due_evaluations": evaluations, "due_checks": checks}
