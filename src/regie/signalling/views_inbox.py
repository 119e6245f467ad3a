"""The signal inbox: the professional's desk of multi-problem households waiting for a decision."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.selectors import case_for
from regie.core.forms import apply_validation_error
from regie.core.paging import paginate
from regie.housing.charts import arrears_bars, arrears_sparkline, arrears_svg, arrears_table_rows
from regie.housing.models import ArrearsSnapshot
from regie.housing.selectors import household_for
from regie.signalling import services
from regie.signalling.forms_inbox import AssignForm, DetectForm, DismissForm, LinkForm, OpenCaseForm
from regie.signalling.models import Candidate, CaseSignal
from regie.signalling.rules import Domain
from regie.signalling.selectors import RULE_LABELS, WAITING, explain, household_flag, inbox, latest_run

CHART_MONTHS = 24
TREND_MONTHS = 12
RULE_ORDER = list(RULE_LABELS)


def _desk(request):
    if not request.user.reads_case_content:
        raise Http404


@login_required
def inbox_list(request):
    _desk(request)
    run = latest_run()
    mine = request.GET.get("mine") == "1"
    page_obj = paginate(inbox(request.user, run=run, mine=mine), request.GET.get("page"), settings.REGIE_PAGE_SIZE)
    rows = list(page_obj)
    trends = _trends([f.tenancy_id for f in rows])
    for flag in rows:
        flag.domain_labels = [(d, Domain(d).label) for d in flag.domain_list]
        flag.rule_codes = " ".join(sorted(flag.detail.get("rules", {}), key=RULE_ORDER.index))
        balances = trends.get(flag.tenancy_id, [])
        flag.trend = arrears_sparkline(
            balances,
            flag.tenancy.monthly_rent,
            label=_("Arrears trend: now %(now)s months of rent") % {"now": flag.detail.get("months", "0")},
        )
    access_record(
        user=request.user, action=Action.READ, record_type="household", record_ids=[f.tenancy_id for f in rows]
    )
    return render(
        request,
        "signalling/inbox.html",
        {"run": run, "rows": rows, "page_obj": page_obj, "mine": mine, "detect_form": DetectForm()},
    )


def _trends(tenancy_pks: list[int]) -> dict[int, list]:
    """The latest TREND_MONTHS balances per household, oldest first, in one query for the page."""
    since = timezone.localdate() - timedelta(days=31 * TREND_MONTHS)
    out: dict[int, list] = {}
    rows = ArrearsSnapshot.objects.filter(tenancy_id__in=tenancy_pks, date__gt=since).order_by("tenancy_id", "date")
    for tenancy_id, balance in rows.values_list("tenancy_id", "balance"):
        out.setdefault(tenancy_id, []).append(balance)
    return out


def _detail_context(request, household, **forms) -> dict:
    flag = household_flag(household)
    candidate = Candidate.objects.filter(tenancy=household).select_related("assigned_to", "decided_by").first()
    snapshots = list(ArrearsSnapshot.objects.filter(tenancy=household).order_by("-date")[:CHART_MONTHS])[::-1]
    chart = arrears_bars(snapshots, household.monthly_rent)
    user = request.user
    waiting = candidate is not None and candidate.status in WAITING
    return {
        "household": household,
        "unit": household.unit,
        "flag": flag,
        "domains": [(d, Domain(d).label) for d in flag.domain_list] if flag else [],
        "rules": explain(flag) if flag else [],
        "candidate": candidate,
        "waiting": waiting,
        "chart": chart,
        "chart_svg": arrears_svg(chart),
        "arrears_rows": arrears_table_rows(snapshots),
        "open_form": forms.get("open_form") or OpenCaseForm(),
        "dismiss_form": forms.get("dismiss_form") or DismissForm(),
        "assign_form": forms.get("assign_form") or AssignForm(user=user),
        "link_form": forms.get("link_form") or LinkForm(user=user),
    }


@login_required
def inbox_detail(request, pk: int):
    _desk(request)
    household = household_for(request.user, pk)
    return render(request, "signalling/inbox_detail.html", _detail_context(request, household))


def _act(request, pk: int, form_name: str, form, action, done: str):
    """Validate `form`, call `action(cleaned_data)`; on a refusal show the page again with the message."""
    _desk(request)
    household = household_for(request.user, pk)
    if form.is_valid():
        try:
            with transaction.atomic():
                result = action(household, form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, done)
            return result if result is not None else redirect("inbox:list")
    context = _detail_context(request, household, **{form_name: form})
    return render(request, "signalling/inbox_detail.html", context, status=400)


@login_required
@require_POST
def inbox_open(request, pk: int):
    def action(household, data):
        case = services.candidate_open_case(tenancy=household, by=request.user, question=data["question"])
        return redirect(case.get_absolute_url())

    form = OpenCaseForm(request.POST)
    return _act(request, pk, "open_form", form, action, _("Case opened; you direct it."))


@login_required
@require_POST
def inbox_dismiss(request, pk: int):
    def action(household, data):
        services.candidate_dismiss(tenancy=household, by=request.user, reason=data["reason"])

    form = DismissForm(request.POST)
    return _act(request, pk, "dismiss_form", form, action, _("Dismissed. It comes back after a new signal."))


@login_required
@require_POST
def inbox_assign(request, pk: int):
    def action(household, data):
        services.candidate_assign(tenancy=household, by=request.user, to=data["to"])

    form = AssignForm(request.POST, user=request.user)
    return _act(request, pk, "assign_form", form, action, _("Assigned to your colleague."))


@login_required
@require_POST
def inbox_link(request, pk: int):
    def action(household, data):
        case = case_for(request.user, data["case"].pk)
        services.candidate_link(tenancy=household, case=case, by=request.user)

    form = LinkForm(request.POST, user=request.user)
    return _act(request, pk, "link_form", form, action, _("Linked to the case; it shows there as a new signal."))


@login_required
@require_POST
def inbox_run(request):
    """Queue a detection run on demand; the worker runs it and the inbox shows it when done."""
    _desk(request)
    form = DetectForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("inbox:list")
    from regie.signalling.tasks import detect_now

    as_of, user_id = form.cleaned_data["as_of"].isoformat(), request.user.pk
    transaction.on_commit(lambda: detect_now.enqueue(as_of, user_id))
    messages.success(request, _("Detection queued. The inbox shows the new result when the worker has run it."))
    return redirect("inbox:list")


@login_required
@require_POST
def signal_acknowledge(request, pk: int):
    """The director acknowledges a new signal on his case."""
    signal = get_object_or_404(CaseSignal, pk=pk)
    case = case_for(request.user, signal.case_id)
    if not request.user.has_perm("cases.manage_case", case):
        raise Http404
    services.case_signal_acknowledge(signal=signal, by=request.user)
    messages.success(request, _("Signal acknowledged."))
    return redirect(case.get_absolute_url())
