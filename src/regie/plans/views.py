"""The plan's pages: the assessment form, goals and actions on the case page, the worklists, the
plan as a PDF, the signature, and the personal calendar link. Views parse, call a selector or
service, and render.

Case-team pages go through `case_for` / `action_for` (404 for anyone outside the case, a
department colleague included) and need `cases.contribute` to write (403 otherwise). A department
colleague reaches only his department's actions, through `department_action_for`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.models import Role
from regie.audit.models import Action as LogAction
from regie.audit.services import access_denied, access_record
from regie.cases.selectors import case_for
from regie.core.forms import apply_validation_error
from regie.core.paging import paginate
from regie.plans import services
from regie.plans.forms import (
    ActionEditForm,
    ActionForm,
    ActionTransitionForm,
    AssessmentForm,
    CompleteForm,
    GoalEditForm,
    GoalForm,
    ProgressForm,
    SignForm,
)
from regie.plans.models import Assessment, CalendarFeed
from regie.plans.selectors import (
    action_for,
    assessments_of,
    department_action_for,
    department_actions,
    director_due_actions,
    goal_for,
    log_department_read,
    signers,
)
from regie.plans.sensitivity import PLACEHOLDER, sees_sensitive


def _refuse(user, case_id: int):
    access_denied(user=user, record_type="case", record_id=case_id, action=LogAction.UPDATE)
    raise PermissionDenied


def _team_case(request, case_pk: int):
    case = case_for(request.user, case_pk)
    if not request.user.has_perm("cases.contribute", case):
        _refuse(request.user, case.pk)
    return case


def _case_page_with(request, case, **forms):
    """The case page again, with a plan form that failed validation showing its errors."""
    from regie.cases.views import _case_page

    request.plan_forms = forms
    return _case_page(request, case, status=400)


# -- assessment ------------------------------------------------------------------------------


@login_required
def assess(request, case_pk: int):
    case = _team_case(request, case_pk)
    sees = sees_sensitive(request.user, case)
    previous = assessments_of(case)
    last = {s.domain: s.score for s in previous[-1].scores.all()} if previous else {}
    initial_moment = Assessment.Moment.EVALUATION if previous else Assessment.Moment.INTAKE
    # A link may ask for a moment (the closing or evaluation assessment, from the aftercare panel).
    if request.GET.get("moment") in Assessment.Moment.values:
        initial_moment = request.GET["moment"]
    if request.method == "POST":
        form = AssessmentForm(request.POST, previous=last, sees_sensitive=sees)
        if form.is_valid():
            try:
                services.assessment_record(
                    case=case,
                    moment=form.cleaned_data["moment"],
                    scores=form.scores(),
                    by=request.user,
                    assessed_on=form.cleaned_data["assessed_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as err:
                apply_validation_error(form, err)
            else:
                messages.success(request, _("Assessment saved"))
                return redirect(case.get_absolute_url() + "#plan-h")
        status = 400
    else:
        form = AssessmentForm(previous=last, initial={"moment": initial_moment}, sees_sensitive=sees)
        status = 200
    return render(request, "plans/assess.html", {"case": case, "form": form}, status=status)


# -- goals and actions (case team) -----------------------------------------------------------


@login_required
@require_POST
def goal_add(request, case_pk: int):
    case = _team_case(request, case_pk)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.goal_add(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Goal added"))
            return redirect(case.get_absolute_url() + "#plan-h")
    return _case_page_with(request, case, goal=form)


@login_required
def goal_edit(request, pk: int):
    goal = goal_for(request.user, pk)
    case = goal.case
    if not request.user.has_perm("cases.contribute", case):
        _refuse(request.user, case.pk)
    # A goal in a sensitive domain is the case team's to read, and so to change.
    if goal.is_sensitive and not sees_sensitive(request.user, case):
        _refuse(request.user, case.pk)
    initial = {"text": goal.text, "target_date": goal.target_date, "status": goal.status}
    form = GoalEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(goal=goal, by=request.user, **form.cleaned_data)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Goal saved"))
            return redirect(case.get_absolute_url() + "#plan-h")
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/goal.html", {"case": case, "goal": goal, "form": form}, status=status)


@login_required
@require_POST
def action_add(request, case_pk: int):
    case = _team_case(request, case_pk)
    form = ActionForm(request.POST, case=case, sees_sensitive=sees_sensitive(request.user, case))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.action_add(
                goal=d["goal"],
                what=d["what"],
                who=d["who"],
                department=d["department"],
                referral=d["referral"],
                due=d["due"],
                by=request.user,
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Action added"))
            return redirect(case.get_absolute_url() + "#plan-h")
    return _case_page_with(request, case, action=form)


def _action_page(request, action, *, edit=None, move=None, progress=None, status=200):
    return render(
        request,
        "plans/action.html",
        {
            "case": action.case,
            "action": action,
            "updates": action.updates.select_related("by").order_by("-at", "-pk"),
            "edit_form": edit or ActionEditForm(initial={"what": action.what, "due": action.due}),
            "move_form": move or ActionTransitionForm(action=action),
            "progress_form": progress or ProgressForm(),
            "may_contribute": request.user.has_perm("cases.contribute", action.case),
            "sees_sensitive": sees_sensitive(request.user, action.case),
            "shielded_text": PLACEHOLDER,
        },
        status=status,
    )


@login_required
def action_page(request, pk: int):
    action = action_for(request.user, pk)
    if request.method != "POST":
        return _action_page(request, action)
    if not request.user.has_perm("cases.contribute", action.case):
        _refuse(request.user, action.case_id)
    kind = request.POST.get("form")
    forms = {}
    try:
        if kind == "edit":
            form = forms["edit"] = ActionEditForm(request.POST)
            if form.is_valid():
                services.action_update(action=action, by=request.user, **form.cleaned_data)
                messages.success(request, _("Action saved"))
                return redirect(action.case.get_absolute_url() + "#plan-h")
        elif kind == "progress":
            form = forms["progress"] = ProgressForm(request.POST)
            if form.is_valid():
                services.action_progress(action=action, by=request.user, text=form.cleaned_data["text"])
                messages.success(request, _("Progress recorded"))
                return redirect(reverse("plans:action", args=[action.pk]))
        else:
            form = forms["move"] = ActionTransitionForm(request.POST, action=action)
            if form.is_valid():
                d = form.cleaned_data
                services.action_transition(
                    action=action, to_status=d["status"], by=request.user, outcome=d["outcome"], text=d["text"]
                )
                messages.success(request, _("Action status changed"))
                return redirect(action.case.get_absolute_url() + "#plan-h")
    except ValidationError as err:
        apply_validation_error(form, err)
    return _action_page(request, action, status=400, **forms)


# -- the plan for the tenant -----------------------------------------------------------------


@login_required
def plan_pdf(request, case_pk: int):
    from regie.plans.pdf import plan_pdf_bytes

    case = case_for(request.user, case_pk)
    access_record(user=request.user, action=LogAction.EXPORT, record_type="case", record_ids=[case.pk])
    response = HttpResponse(
        plan_pdf_bytes(case, sees_sensitive=sees_sensitive(request.user, case)), content_type="application/pdf"
    )
    # The file name carries the case number only: no name or address in downloads' names.
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="plan-van-aanpak-{case.pk}.pdf"'
    return response


@login_required
@require_POST
def plan_sign(request, case_pk: int):
    case = _team_case(request, case_pk)
    form = SignForm(request.POST, signers=signers(case))
    if form.is_valid():
        try:
            services.plan_sign(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Signature recorded"))
            return redirect(case.get_absolute_url() + "#plan-h")
    return _case_page_with(request, case, sign=form)


# -- worklists -------------------------------------------------------------------------------


@login_required
def worklist(request):
    user = request.user
    if user.role == Role.DEPARTMENT:
        mine = request.GET.get("mine") == "1"
        page_obj = paginate(department_actions(user, mine=mine), request.GET.get("page"), settings.REGIE_PAGE_SIZE)
        rows = list(page_obj)
        log_department_read(user, rows)
        return render(
            request,
            "plans/worklist_department.html",
            {"page_obj": page_obj, "rows": rows, "mine": mine, "today": timezone.localdate()},
        )
    if user.reads_case_content:
        due = director_due_actions(user)
        access_record(
            user=user,
            action=LogAction.READ,
            record_type="case",
            record_ids=sorted({a.case_id for a in due.overdue + due.coming}),
        )
        return render(request, "plans/worklist_director.html", {"due": due, "today": timezone.localdate()})
    raise Http404


def _work_page(request, action, *, progress=None, complete=None, status=200):
    return render(
        request,
        "plans/work_item.html",
        {
            "action": action,
            "unit": action.case.household.unit,
            "contacts": action.case.household.contacts,
            "updates": action.updates.select_related("by").order_by("-at", "-pk"),
            "progress_form": progress or ProgressForm(),
            "complete_form": complete or CompleteForm(),
            "active": action.status in ("open", "in_progress"),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def work_item(request, pk: int):
    return _work_page(request, department_action_for(request.user, pk))


@login_required
@require_POST
def work_accept(request, pk: int):
    action = department_action_for(request.user, pk)
    try:
        services.action_accept(action=action, by=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Action accepted; it is yours now."))
    return redirect("plans:work_item", pk=action.pk)


@login_required
@require_POST
def work_progress(request, pk: int):
    action = department_action_for(request.user, pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.action_progress(action=action, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Progress recorded"))
            return redirect("plans:work_item", pk=action.pk)
    return _work_page(request, action, progress=form, status=400)


@login_required
@require_POST
def work_complete(request, pk: int):
    action = department_action_for(request.user, pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.action_complete(action=action, by=request.user, outcome=form.cleaned_data["outcome"])
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Action completed"))
            return redirect("plans:worklist")
    return _work_page(request, action, complete=form, status=400)


# -- the personal calendar -------------------------------------------------------------------


@login_required
def calendar(request):
    """The page to get (or revoke) one's secret calendar link."""
    user = request.user
    if not (user.reads_case_content or user.role == Role.DEPARTMENT):
        raise Http404
    if request.method == "POST":
        if request.POST.get("revoke"):
            services.calendar_feed_revoke(user=user)
            messages.success(request, _("The old link no longer works. Here is your new link."))
        else:
            services.calendar_feed_get(user=user)
        return redirect("plans:calendar")
    feed = CalendarFeed.objects.filter(user=user).first()
    url = request.build_absolute_uri(reverse("plans:feed", args=[feed.token])) if feed else ""
    return render(request, "plans/calendar.html", {"feed": feed, "feed_url": url})


def feed(request, token: str):
    """The iCal feed: no login, the secret token is the key; a revoked or unknown token is 404."""
    from regie.plans.ical import feed_bytes

    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    user = feed.user
    if not user.is_active:
        raise Http404
    body, actions = feed_bytes(user)
    if user.role == Role.DEPARTMENT:
        log_department_read(user, actions)
    else:
        access_record(
            user=user, action=LogAction.READ, record_type="case", record_ids=sorted({a.case_id for a in actions})
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="regie.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
