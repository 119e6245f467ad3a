"""The caseload and the case page. Views parse, call a selector or service, and render."""

from dataclasses import astuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.models import Role
from regie.audit.models import Action
from regie.audit.services import access_denied, access_record
from regie.cases import services
from regie.cases.forms import (
    CaseloadFilterForm,
    CaseOpenForm,
    ContactForm,
    MemberForm,
    NextStepForm,
    QuestionForm,
    TransferForm,
    TransitionForm,
)
from regie.cases.models import CaseMember
from regie.cases.panel_reads import reads_for
from regie.cases.rendering import caseload_rows, timeline_items
from regie.cases.selectors import (
    TIMELINE_ALL,
    TIMELINE_PAGE,
    CaseloadFilter,
    case_for,
    caseload,
    timeline,
    urgency_marks,
)
from regie.core.forms import apply_validation_error
from regie.core.paging import paginate, paginate_compiled
from regie.housing.selectors import household_for
from regie.housing.views import household_context
from regie.mandate import panels as mandate_panels
from regie.meetings import panels as meeting_panels
from regie.network import panels as network_panels
from regie.plans import aftercare_panels
from regie.plans import panels as plan_panels
from regie.plans.sensitivity import Shield
from regie.signalling.selectors import open_signals
from regie.signalling.services_wgs import active_pause


@login_required
def caseload_view(request):
    user = request.user
    if not user.reads_case_content:
        raise Http404
    default_scope = "all" if user.role == Role.MANAGER else "mine"
    form = CaseloadFilterForm(request.GET or None, initial={"scope": default_scope}, user=user)
    data = form.cleaned_data if form.is_valid() else {}
    director = data.get("director")
    f = CaseloadFilter(
        status=data.get("status") or "",
        scope=data.get("scope") or default_scope,
        urgent=bool(data.get("urgent")),
        director=director.pk if director else None,
        sort=data.get("sort") or "-days_open",
    )
    if f.urgent:  # "urgent" compares with the current time: compiled afresh each time
        page_obj = paginate(caseload(user, f), request.GET.get("page"), settings.REGIE_PAGE_SIZE)
    else:
        # Everything the page query's SQL depends on (core.paging.paginate_compiled): the user and
        # his role, the filter, and the day (the legal-step window counts back from today).
        key = ("caseload", user.pk, user.role, astuple(f), timezone.localdate())
        page_obj = paginate_compiled(key, lambda: caseload(user, f), request.GET.get("page"), settings.REGIE_PAGE_SIZE)
    now = timezone.now()
    rows = [(c, urgency_marks(c, now), c.days_open(now)) for c in page_obj]
    access_record(user=user, action=Action.READ, record_type="case", record_ids=[row[0].pk for row in rows])
    return render(
        request,
        "cases/caseload.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": rows,
            "rows_html": caseload_rows(rows, show_director=f.scope != "mine"),
            "filter": f,
            **plan_panels.caseload_context(request),
            **aftercare_panels.caseload_context(request),
        },
    )


def _case_page(request, case, *, forms=None, status=200):
    """The case page with its forms; a form that failed validation is passed in to show its errors."""
    user = request.user
    forms = forms or {}
    may_manage = user.has_perm("cases.manage_case", case)
    may_contribute = user.has_perm("cases.contribute", case)
    items = timeline(case, limit=TIMELINE_ALL if request.GET.get("timeline") == "all" else TIMELINE_PAGE)
    # The team, read once: the page lists it, and it answers who reads the sensitive domains.
    case.active_members = list(case.members.filter(removed_at__isnull=True).select_related("user").order_by("added_at"))
    # The rows the panels share (cases.panel_reads); the goals come from there (no extra query).
    reads = reads_for(request, case)
    shield = Shield.for_case(user, case, goals=reads.goals)
    ctx = {
        "case": case,
        "household": case.household,
        "marks": urgency_marks(case),
        "balance": case.balance,
        "timeline": items,
        "timeline_html": timeline_items(items, shield=shield),
        "timeline_page": TIMELINE_PAGE,
        "timeline_all": request.GET.get("timeline") == "all",
        "members": case.active_members,
        "may_manage": may_manage,
        "may_contribute": may_contribute,
        "days_open": case.days_open(),
        # Most cases have neither: the shared probe spares the page both queries.
        "signals": open_signals(case) if reads.has("open_signals") else [],
        "pause": active_pause(case.household) if reads.has("pause") else None,
    }
    if may_contribute:
        ctx["contact_form"] = forms.get("contact") or ContactForm(case=case)
        ctx["question_form"] = forms.get("question") or QuestionForm(initial={"question": case.question})
        ctx["next_step_form"] = forms.get("next_step") or NextStepForm(
            initial={"next_step": case.next_step, "due": case.next_step_due}
        )
    if may_manage:
        ctx["transition_form"] = forms.get("transition") or TransitionForm(case=case)
    # The plan, the network and aftercare add their panels (regie/plans, regie/network).
    # Lessons and obstacles come after the page (learning:case_lessons, htmx).
    for panels in (plan_panels, network_panels, aftercare_panels, mandate_panels, meeting_panels):
        ctx.update(panels.case_context(request, case, may_manage=may_manage, may_contribute=may_contribute))
    return render(request, "cases/detail.html", ctx, status=status)


@login_required
def detail(request, pk: int):
    return _case_page(request, case_for(request.user, pk))


def _refuse(user, case):
    """A user who sees the case but may not change it this way: 403, and a refused update on the log."""
    access_denied(user=user, record_type="case", record_id=case.pk, action=Action.UPDATE)
    raise PermissionDenied


# Forms whose choices depend on the case.
CASE_FORMS = (TransitionForm, ContactForm, TransferForm, MemberForm)


def _post(request, pk, *, key, form_class, perm, call, success, title=None):
    """Shared flow of the case page's forms: authorise, validate, call the service, report.

    Forms with a `title` live on a page of their own (their colleague pickers are too heavy to
    draw on every case page view): GET shows that page, and errors come back on it.
    """
    case = case_for(request.user, pk)
    if not request.user.has_perm(perm, case):
        _refuse(request.user, case)
    if request.method == "GET" and title:
        return render(request, "cases/form_page.html", {"case": case, "form": form_class(case=case), "title": title})
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = form_class(request.POST, case=case) if form_class in CASE_FORMS else form_class(request.POST)
    if form.is_valid():
        try:
            call(case, form.cleaned_data)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, success)
            return redirect(case)
    if title:
        return render(request, "cases/form_page.html", {"case": case, "form": form, "title": title}, status=400)
    return _case_page(request, case, forms={key: form}, status=400)


@login_required
@require_POST
def transition(request, pk: int):
    def call(case, d):
        services.case_transition(
            case=case,
            to_status=d["status"],
            by=request.user,
            note=d["note"],
            outcome=d["outcome"],
            outcome_note=d["outcome_note"],
        )

    return _post(
        request,
        pk,
        key="transition",
        form_class=TransitionForm,
        perm="cases.manage_case",
        call=call,
        success=_("Status changed"),
    )


@login_required
@require_POST
def contact(request, pk: int):
    def call(case, d):
        services.contact_add(
            case=case,
            at=d["at"],
            channel=d["channel"],
            summary=d["summary"],
            persons=d["persons"],
            others=d["others"],
            domains=d["domains"],
            by=request.user,
        )

    return _post(
        request,
        pk,
        key="contact",
        form_class=ContactForm,
        perm="cases.contribute",
        call=call,
        success=_("Contact recorded"),
    )


@login_required
def transfer(request, pk: int):
    def call(case, d):
        services.case_transfer_direction(
            case=case,
            to_user=d["to_user"],
            by=request.user,
            note=d["note"],
            keep_previous_as_adviser=d["keep_previous_as_adviser"],
        )

    return _post(
        request,
        pk,
        key="transfer",
        form_class=TransferForm,
        perm="cases.manage_case",
        call=call,
        success=_("Direction passed on"),
        title=_("Pass direction to a colleague"),
    )


@login_required
def member_add(request, pk: int):
    def call(case, d):
        services.case_member_add(case=case, user=d["user"], role=d["role"], by=request.user)

    return _post(
        request,
        pk,
        key="member",
        form_class=MemberForm,
        perm="cases.manage_case",
        call=call,
        success=_("Colleague added to the case team"),
        title=_("Add a colleague to the case team"),
    )


@login_required
@require_POST
def member_remove(request, pk: int, member_pk: int):
    case = case_for(request.user, pk)
    if not request.user.has_perm("cases.manage_case", case):
        _refuse(request.user, case)
    member = get_object_or_404(CaseMember, pk=member_pk, case=case, removed_at__isnull=True)
    try:
        services.case_member_remove(member=member, by=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Colleague removed from the case team"))
    return redirect(case)


@login_required
@require_POST
def question(request, pk: int):
    def call(case, d):
        services.case_question_set(case=case, question=d["question"], by=request.user)

    return _post(
        request,
        pk,
        key="question",
        form_class=QuestionForm,
        perm="cases.contribute",
        call=call,
        success=_("Question recorded"),
    )


@login_required
@require_POST
def next_step(request, pk: int):
    def call(case, d):
        services.case_next_step_set(case=case, next_step=d["next_step"], due=d["due"], by=request.user)

    return _post(
        request,
        pk,
        key="next_step",
        form_class=NextStepForm,
        perm="cases.contribute",
        call=call,
        success=_("Next step saved"),
    )


@login_required
@require_POST
def open_case(request, household_pk: int):
    household = household_for(request.user, household_pk)
    if not request.user.has_perm("cases.open_case"):
        raise PermissionDenied
    form = CaseOpenForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            case = services.case_open(
                household=household,
                director=form.cleaned_data["director"],
                by=request.user,
                question=form.cleaned_data["question"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Case opened"))
            return redirect(case)
    return render(request, "housing/household.html", household_context(request, household, open_form=form), status=400)
