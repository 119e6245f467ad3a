"""Evaluation moments and aftercare checks in the web app: parse, authorise, call the service, render.

Every read goes through `case_for` (404 for missing and not-yours alike, logged as a read); a user
who sees the case but may not do this gets 403 and a refused update on the access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.audit.models import Action
from regie.audit.services import access_denied
from regie.cases.selectors import case_for
from regie.core.forms import apply_validation_error
from regie.plans import aftercare
from regie.plans.forms_aftercare import AftercareCheckForm, EvaluationPlanForm
from regie.plans.models import Evaluation

ANCHOR = "#aftercare-h"


def _require(user, perm: str, case) -> None:
    if not user.has_perm(perm, case):
        access_denied(user=user, record_type="case", record_id=case.pk, action=Action.UPDATE)
        raise PermissionDenied


@login_required
def evaluation_plan(request, case_pk: int):
    case = case_for(request.user, case_pk)
    _require(request.user, "cases.manage_case", case)
    form = EvaluationPlanForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                aftercare.evaluation_plan(case=case, due=form.cleaned_data["due"], by=request.user)
            except ValidationError as err:
                apply_validation_error(form, err)
            else:
                messages.success(request, _("Evaluation planned"))
                return redirect(case.get_absolute_url() + ANCHOR)
        status = 400
    else:
        status = 200
    return render(request, "plans/aftercare_evaluation.html", {"case": case, "form": form}, status=status)


@login_required
@require_POST
def evaluation_cancel(request, pk: int):
    case_id = Evaluation.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    case = case_for(request.user, case_id)
    _require(request.user, "cases.manage_case", case)
    try:
        aftercare.evaluation_cancel(evaluation=Evaluation.objects.get(pk=pk), by=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Evaluation taken off the case"))
    return redirect(case.get_absolute_url() + ANCHOR)


@login_required
def check_record(request, pk: int):
    check = aftercare.check_for(request.user, pk)
    case = check.case
    may_record = request.user.has_perm("cases.contribute", case)
    form = None
    status = 200
    if check.done_at is None and may_record:
        form = AftercareCheckForm(request.POST or None)
    if request.method == "POST":
        if form is None:
            if not may_record:
                _require(request.user, "cases.contribute", case)
            messages.error(request, _("This aftercare check was already recorded."))
            return redirect(case.get_absolute_url() + ANCHOR)
        if form.is_valid():
            d = form.cleaned_data
            try:
                aftercare.aftercare_check_record(
                    check=check, result=d["result"], note=d["note"], next_check=d["next_check"], by=request.user
                )
            except ValidationError as err:
                apply_validation_error(form, err)
            else:
                if d["result"] == aftercare.Result.REOPENED:
                    messages.success(request, _("Aftercare check recorded. Open a new case for the household here."))
                    return redirect(case.household.get_absolute_url() + "#open-h")
                messages.success(request, _("Aftercare check recorded"))
                return redirect(case.get_absolute_url() + ANCHOR)
        status = 400
    others = [c for c in aftercare.checks_of(case).select_related("done_by") if c.pk != check.pk]
    ctx = {"case": case, "check": check, "form": form, "others": others, "may_record": may_record}
    return render(request, "plans/aftercare_check.html", ctx, status=status)
