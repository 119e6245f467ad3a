"""The mandate's pages: the decisions panel on the case page and its forms (record, correct,
reply, withdraw, spend), the approvals of managers and the board, and the overview for the team
meeting. Views parse, call a selector or service, and render; Beheer is in views_admin.

Case pages go through `case_for` (404 for anyone outside the case); changing a case's decisions
needs `cases.manage_case` (403 otherwise). An approver reaches only the decisions he may answer
(`pending_for`), so anything else is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.models import Role
from regie.audit.models import Action as LogAction
from regie.audit.services import access_denied
from regie.cases.panel_reads import reads_for
from regie.cases.selectors import case_for
from regie.core.forms import apply_validation_error
from regie.core.templatetags.regie import euro
from regie.mandate import selectors, services
from regie.mandate.forms import AnswerForm, DecisionForm, PeriodForm, ReasonForm, SpendForm
from regie.mandate.models import Decision, Level, Limit, LimitsVersion, Measure
from regie.mandate.rules import level_of

OPEN = (Decision.Status.PENDING, Decision.Status.QUESTION)


# -- the limits, for the form's "within your mandate?" table --------------------------------


def limits_in_force() -> tuple[LimitsVersion | None, dict]:
    """The version in force and its limits: (measure_id, level) -> max_value (None = no bound)."""
    version = LimitsVersion.objects.order_by("-version").first()
    if version is None:
        return None, {}
    rows = Limit.objects.filter(version=version).values_list("measure_id", "level", "max_value")
    return version, {(m, level): v for m, level, v in rows}


def limit_text(measure: Measure, limits: dict, level: str) -> str:
    key = (measure.pk, level)
    if key not in limits:
        return _("not alone")
    value = limits[key]
    if measure.parameter in (Measure.Parameter.DATE, Measure.Parameter.NONE):
        return _("alone")
    if value is None:
        return _("alone, without limit")
    if measure.parameter == Measure.Parameter.AMOUNT:
        return _("up to %(amount)s") % {"amount": euro(value)}
    return _("up to %(n)s months") % {"n": f"{value.normalize():f}"}


def limits_table(measures, limits: dict) -> list:
    return [(m, [(level, limit_text(m, limits, level.value)) for level in Level]) for m in measures]


# -- the case page's panel ------------------------------------------------------------------


def case_panel(request, case, *, may_manage: bool, forms: dict | None = None) -> dict:
    """Context for mandate/_case_decisions*.html: the case's decisions with their approvals, and
    for whoever manages the case the forms to record, correct, reply, withdraw and spend."""
    forms = forms or {}
    user = request.user
    decisions = reads_for(request, case).decisions
    ctx = {"decisions": decisions, "may_decide": False}
    for d in decisions:
        d.case = case  # the rules read the case's director; no second fetch
    if not may_manage:
        return ctx
    for d in decisions:
        if d.status == Decision.Status.QUESTION and user.has_perm("mandate.reply_decision", d):
            d.reply_form = forms.get(("reply", d.pk)) or ReasonForm(
                id_prefix=f"reply_{d.pk}", label=_("Your reply to the question")
            )
        if user.has_perm("mandate.withdraw_decision", d):
            d.withdraw_form = forms.get(("withdraw", d.pk)) or ReasonForm(id_prefix=f"withdraw_{d.pk}")
        if d.status == Decision.Status.EFFECTIVE and d.measure.uses_budget:
            d.spend_form = forms.get(("spend", d.pk)) or SpendForm(decision_id=d.pk)
    # The form to record a decision, with its limits table, is a page of its own
    # (`decide_context`): drawing it on every case page view cost a third of the page.
    ctx["may_decide"] = case.is_open
    return ctx


def decide_context(request, case, form: DecisionForm | None = None) -> dict:
    """Context for mandate/decide.html: the form, the limits table, the team's budget, and the
    decision being corrected (?corrects=ID, or the hidden field of a form sent back)."""
    decisions = {d.pk: d for d in selectors.decisions_for_case(case)}
    measures = list(Measure.objects.filter(is_active=True))
    version, limits = limits_in_force()
    corrects = None
    if form is None:
        initial = {}
        corrects_id = request.GET.get("corrects", "")
        corrects = decisions.get(int(corrects_id)) if corrects_id.isdigit() else None
        if corrects is not None:
            initial = {
                "measure": corrects.measure_id,
                "value": corrects.value,
                "on_date": corrects.on_date,
                "problem": corrects.problem,
                "deviates_from": corrects.deviates_from,
                "expected_effect": corrects.expected_effect,
                "corrects": corrects.pk,
            }
        form = DecisionForm(initial=initial, measures=measures)
    else:
        corrects_id = form.data.get("corrects", "")
        corrects = decisions.get(int(corrects_id)) if str(corrects_id).isdigit() else None
    return {
        "case": case,
        "decision_form": form,
        "corrects": corrects,
        "levels": list(Level),
        "my_level": level_of(request.user),
        "limits_version": version,
        "limits_rows": limits_table(measures, limits),
        "budget": selectors.budget_status(team=case.team, year=timezone.localdate().year),
    }


def _case_page_with(request, case, forms: dict):
    """The case page again, with a mandate form that failed validation showing its errors."""
    from regie.cases.views import _case_page

    request.mandate_forms = forms
    return _case_page(request, case, status=400)


def _managed_case(request, case_pk: int):
    case = case_for(request.user, case_pk)
    if not request.user.has_perm("mandate.record_decision", case):
        access_denied(user=request.user, record_type="case", record_id=case.pk, action=LogAction.UPDATE)
        raise PermissionDenied
    return case


def _decision_of(request, pk: int, perm: str) -> Decision:
    """A decision on a case the user sees: 404 when he can't see the case, 403 without `perm`."""
    case_id = Decision.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    case = case_for(request.user, case_id)
    decision = Decision.objects.select_related("measure").get(pk=pk)
    decision.case = case
    allowed = request.user.has_perm(perm, case if perm == "mandate.record_decision" else decision)
    if not allowed:
        access_denied(user=request.user, record_type="case", record_id=case.pk, action=LogAction.UPDATE)
        raise PermissionDenied
    return decision


def _back(case):
    return redirect(case.get_absolute_url() + "#decisions-h")


def outcome_message(decision: Decision) -> str:
    if decision.status == Decision.Status.EFFECTIVE:
        return _("Decision recorded; it is in effect.")
    return _("Decision recorded and sent for approval to: %(level)s.") % {
        "level": decision.get_required_level_display()
    }


@login_required
def decide(request, case_pk: int):
    """GET: the page to record (or correct) a decision; POST: record it."""
    case = _managed_case(request, case_pk)
    if not case.is_open:
        raise Http404
    if request.method == "GET":
        return render(request, "mandate/decide.html", decide_context(request, case))
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    form = DecisionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        corrects = None
        if d.get("corrects"):
            corrects = Decision.objects.filter(pk=d["corrects"], case=case).first()
            if corrects is None:
                form.add_error(None, _("The decision to correct is not one of this case's."))
        if not form.errors:
            try:
                decision = services.decision_record(
                    case=case,
                    measure=d["measure"],
                    value=d["value"],
                    on_date=d["on_date"],
                    problem=d["problem"],
                    justification=d["justification"],
                    expected_effect=d["expected_effect"],
                    deviates_from=d["deviates_from"],
                    by=request.user,
                    corrects=corrects,
                )
            except ValidationError as err:
                apply_validation_error(form, err)
                # The decision to correct is a hidden field: its error belongs at the top.
                for message in form.errors.pop("corrects", []):
                    form.add_error(None, message)
            else:
                messages.success(request, outcome_message(decision))
                return _back(case)
    return render(request, "mandate/decide.html", decide_context(request, case, form), status=400)


@login_required
@require_POST
def reply(request, pk: int):
    decision = _decision_of(request, pk, "mandate.reply_decision")
    form = ReasonForm(request.POST, id_prefix=f"reply_{pk}", label=_("Your reply to the question"))
    if form.is_valid():
        try:
            services.decision_answer(
                decision=decision, answer="reply", reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Reply sent to the approver"))
            return _back(decision.case)
    return _case_page_with(request, decision.case, {("reply", pk): form})


@login_required
@require_POST
def withdraw(request, pk: int):
    decision = _decision_of(request, pk, "mandate.withdraw_decision")
    form = ReasonForm(request.POST, id_prefix=f"withdraw_{pk}")
    if form.is_valid():
        try:
            services.decision_withdraw(decision=decision, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Decision withdrawn"))
            return _back(decision.case)
    return _case_page_with(request, decision.case, {("withdraw", pk): form})


@login_required
@require_POST
def spend(request, pk: int):
    decision = _decision_of(request, pk, "mandate.record_decision")
    form = SpendForm(request.POST, decision_id=pk)
    if form.is_valid():
        try:
            services.decision_spend(decision=decision, amount=form.cleaned_data["amount"], by=request.user)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Spending recorded"))
            return _back(decision.case)
    return _case_page_with(request, decision.case, {("spend", pk): form})


# -- approvals (managers and the board) -----------------------------------------------------


def _require_approver(user):
    if not user.has_perm("mandate.see_overview"):
        raise Http404


def _approvals_page(request, *, bound=None, status=200):
    user = request.user
    today = timezone.localdate()
    rows = list(selectors.pending_for(user).select_related("case__household").prefetch_related("approvals__by"))
    for d in rows:
        d.age_days = selectors.age_days(d, today)
        if bound is not None and bound.decision_id == d.pk:
            d.answer_form = bound
        else:
            d.answer_form = AnswerForm(decision_id=d.pk, may_escalate=user.role != Role.BOARD)
    return render(
        request,
        "mandate/approvals.html",
        {"rows": rows, "show_household": user.reads_case_content},
        status=status,
    )


@login_required
def approvals(request):
    _require_approver(request.user)
    return _approvals_page(request)


@login_required
@require_POST
def answer(request, pk: int):
    user = request.user
    _require_approver(user)
    decision = selectors.pending_for(user).filter(pk=pk).first()  # anything else is not his to answer
    if decision is None:
        raise Http404
    form = AnswerForm(request.POST, decision_id=pk, may_escalate=user.role != Role.BOARD)
    form.decision_id = pk
    if form.is_valid():
        try:
            services.decision_answer(
                decision=decision, answer=form.cleaned_data["answer"], reason=form.cleaned_data["reason"], by=user
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            done = {
                "approve": _("Approved; the decision is in effect."),
                "decline": _("Declined; the director is told why."),
                "question": _("Question sent to the director"),
                "escalate": _("Passed to a higher level"),
            }
            messages.success(request, done[form.cleaned_data["answer"]])
            return redirect(reverse("mandate:approvals"))
    return _approvals_page(request, bound=form, status=400)


# -- the overview for the team meeting ------------------------------------------------------


@login_required
def overview(request):
    user = request.user
    _require_approver(user)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    data = selectors.overview(user=user, start=start, end=end)
    return render(
        request,
        "mandate/overview.html",
        {"form": form, "start": start, "end": end, "data": data, "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )
