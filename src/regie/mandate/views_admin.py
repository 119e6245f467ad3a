"""Beheer of the mandate (functional administrator only; 404 for everyone else): the catalogue of
measures, the limits per measure and level (every change a new version with a note), the version
history, and the teams' custom budgets per year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from regie.core.forms import apply_validation_error
from regie.mandate import services
from regie.mandate.forms import BudgetForm, LimitsForm, MeasureForm
from regie.mandate.models import Budget, Level, LimitsVersion, Measure
from regie.mandate.views import limits_in_force, limits_table

MEASURE_FIELDS = services.MEASURE_FIELDS


def _require_admin(user):
    if not user.has_perm("mandate.manage_catalogue"):
        raise Http404


@login_required
def catalogue(request):
    _require_admin(request.user)
    measures = list(Measure.objects.all())
    version, limits = limits_in_force()
    versions = LimitsVersion.objects.select_related("created_by").annotate(n_decisions=Count("decisions"))
    return render(
        request,
        "mandate/admin.html",
        {
            "limits_rows": limits_table(measures, limits),
            "levels": list(Level),
            "version": version,
            "versions": versions,
            "budgets": Budget.objects.select_related("team"),
        },
    )


@login_required
def measure_edit(request, pk: int | None = None):
    _require_admin(request.user)
    measure = get_object_or_404(Measure, pk=pk) if pk else None
    initial = {f: getattr(measure, f) for f in MEASURE_FIELDS} if measure else None
    form = MeasureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_save(measure=measure, by=request.user, **form.cleaned_data)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Measure saved"))
            return redirect("mandate:admin")
    return render(
        request,
        "mandate/admin_measure.html",
        {"form": form, "measure": measure},
        status=400 if form.errors else 200,
    )


@login_required
def limits_edit(request):
    _require_admin(request.user)
    measures = list(Measure.objects.filter(is_active=True))
    version, limits = limits_in_force()
    by_id = {m.pk: m for m in measures}
    current = {(by_id[m].code, level): v for (m, level), v in limits.items() if m in by_id}
    form = LimitsForm(request.POST or None, measures=measures, current=current)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            form.add_error(None, _("Nothing changed: the limits are as they were."))
        else:
            try:
                new = services.limits_update(changes=changes, by=request.user, note=form.cleaned_data["note"])
            except ValidationError as err:
                apply_validation_error(form, err)
            else:
                messages.success(request, _("Limits saved as version %(v)s") % {"v": new.version})
                return redirect("mandate:admin")
    return render(
        request,
        "mandate/admin_limits.html",
        {"form": form, "version": version, "levels": list(Level)},
        status=400 if form.errors else 200,
    )


@login_required
def budget_edit(request, pk: int | None = None):
    _require_admin(request.user)
    budget = get_object_or_404(Budget.objects.select_related("team"), pk=pk) if pk else None
    initial = {"team": budget.team, "year": budget.year, "amount": budget.amount} if budget else None
    form = BudgetForm(request.POST or None, initial=initial, budget=budget)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if budget is None and Budget.objects.filter(team=d["team"], year=d["year"]).exists():
            form.add_error("year", _("This team has a budget for that year already; change that one."))
        else:
            try:
                services.budget_set(team=d["team"], year=d["year"], amount=d["amount"], by=request.user)
            except ValidationError as err:
                apply_validation_error(form, err)
            else:
                messages.success(request, _("Budget saved"))
                return redirect("mandate:admin")
    return render(
        request,
        "mandate/admin_budget.html",
        {"form": form, "budget": budget},
        status=400 if form.errors else 200,
    )
