"""The results pages: the manager's dashboard (with each chart as CSV), the result agreements
(a professional sees his own, a manager his team's; anyone else gets a 404) and the annual
social-results report as PDF and XLSX (managers, board, administrator)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.models import Role
from regie.audit.models import Action as LogAction
from regie.audit.services import access_denied, access_record
from regie.core.forms import apply_validation_error
from regie.results import selectors, services
from regie.results.charts import dashboard_charts
from regie.results.forms import AgreementForm, DashboardFilterForm, initial_for
from regie.results.models import Indicator

REPORT_ROLES = (Role.MANAGER, Role.BOARD, Role.ADMIN)


@login_required
def dashboard(request):
    user = request.user
    if not selectors.may_see_dashboard(user):
        raise Http404
    allowed = selectors.dashboard_teams(user)
    form = DashboardFilterForm(request.GET or None, teams=allowed)
    start, end = form.period()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    team, area = data.get("team"), data.get("area")
    teams = selectors.dashboard_teams(user, team_id=team.pk if team else None, area_id=area.pk if area else None)
    figures = selectors.dashboard(teams, start, end)
    charts = dashboard_charts(figures)
    wanted = request.GET.get("csv")
    if wanted:
        chart = next((c for c in charts if c.key == wanted), None)
        if chart is None:
            raise Http404
        response = HttpResponse(chart.csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="resultaten-{chart.key}-{start}-{end}.csv"'
        return response
    query = request.GET.copy()
    query.pop("csv", None)
    return render(
        request,
        "results/dashboard.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "teams": teams,
            "figures": [(Indicator(k).label, f) for k, f in figures["figures"].items()],
            "charts": charts,
            "query": query.urlencode(),
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "may_report": user.role in REPORT_ROLES,
        },
    )


@login_required
def agreements(request):
    user = request.user
    if user.role not in (Role.PROFESSIONAL, Role.MANAGER):
        raise Http404
    rows = list(selectors.agreements_visible_to(user).order_by("-start", "professional__last_name"))
    return render(
        request,
        "results/agreements.html",
        {"agreements": rows, "may_agree": user.role == Role.MANAGER},
    )


@login_required
def agreement_detail(request, pk: int):
    agreement = selectors.agreement_for(request.user, pk)
    rows = selectors.progress(agreement)
    shown = sorted({c for r in rows for c in r.case_ids})
    if shown:
        access_record(user=request.user, action=LogAction.READ, record_type="case", record_ids=shown)
    return render(
        request,
        "results/agreement.html",
        {
            "agreement": agreement,
            "rows": rows,
            "may_edit": services.manages(request.user, agreement.professional),
            "today": timezone.localdate(),
        },
    )


def _save(request, form, agreement=None):
    try:
        if agreement is None:
            agreement = services.create_agreement(
                manager=request.user,
                professional=form.cleaned_data["professional"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                note=form.cleaned_data["note"],
                targets=form.targets(),
            )
        else:
            services.update_agreement(
                agreement,
                manager=request.user,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                note=form.cleaned_data["note"],
                targets=form.targets(),
            )
    except ValidationError as e:
        apply_validation_error(form, e)
        return None
    return agreement


@login_required
def agreement_new(request):
    if request.user.role != Role.MANAGER:
        raise Http404
    form = AgreementForm(request.POST or None, manager=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            agreement = _save(request, form)
        except PermissionDenied:
            raise Http404 from None
        if agreement is not None:
            messages.success(request, _("The result agreement is saved."))
            return redirect("results:agreement", pk=agreement.pk)
    return render(request, "results/agreement_form.html", {"form": form, "agreement": None})


@login_required
def agreement_edit(request, pk: int):
    agreement = selectors.agreement_for(request.user, pk)
    if not services.manages(request.user, agreement.professional):
        access_denied(user=request.user, record_type="agreement", record_id=pk, action=LogAction.UPDATE)
        raise PermissionDenied
    form = AgreementForm(
        request.POST or None,
        manager=request.user,
        fixed_professional=agreement.professional,
        initial=initial_for(agreement),
    )
    if request.method == "POST" and form.is_valid() and _save(request, form, agreement) is not None:
        messages.success(request, _("The result agreement is saved."))
        return redirect("results:agreement", pk=agreement.pk)
    return render(request, "results/agreement_form.html", {"form": form, "agreement": agreement})


@login_required
@require_POST
def agreement_delete(request, pk: int):
    agreement = selectors.agreement_for(request.user, pk)
    try:
        services.delete_agreement(agreement, manager=request.user)
    except PermissionDenied:
        access_denied(user=request.user, record_type="agreement", record_id=pk, action=LogAction.DELETE)
        raise
    messages.success(request, _("The result agreement is deleted."))
    return redirect(reverse("results:mine"))


def _report_allowed(request, year: int) -> None:
    if request.user.role not in REPORT_ROLES:
        raise Http404
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404


@login_required
def report_pdf(request, year: int):
    from regie.results.report import report_pdf_bytes

    _report_allowed(request, year)
    access_record(user=request.user, action=LogAction.EXPORT, record_type="results_report", record_ids=[year])
    response = HttpResponse(report_pdf_bytes(year), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sociale-resultaten-{year}.pdf"'
    return response


@login_required
def report_xlsx(request, year: int):
    from regie.results.report import report_xlsx_bytes

    _report_allowed(request, year)
    access_record(user=request.user, action=LogAction.EXPORT, record_type="results_report", record_ids=[year])
    response = HttpResponse(
        report_xlsx_bytes(year), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="sociale-resultaten-{year}.xlsx"'
    return response
