"""Household search and the household page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from regie.audit.models import Action
from regie.audit.services import access_record
from regie.cases.forms import CaseOpenForm
from regie.cases.selectors import cases_visible_to
from regie.housing.charts import arrears_bars, arrears_svg, arrears_table_rows
from regie.housing.forms import SearchForm
from regie.housing.selectors import household_detail, household_for, household_search, latest_balance_subquery


@login_required
def search(request):
    if not request.user.reads_case_content:
        raise Http404
    form = SearchForm(request.POST or None)
    page_obj = None
    if request.method == "POST" and form.is_valid():
        qs = household_search(request.user, form.cleaned_data["q"]).annotate(balance=latest_balance_subquery())
        page_obj = Paginator(qs.order_by("name", "pk"), settings.REGIE_PAGE_SIZE).get_page(form.cleaned_data["page"])
        access_record(
            user=request.user, action=Action.READ, record_type="household", record_ids=[h.pk for h in page_obj]
        )
    return render(request, "housing/search.html", {"form": form, "page_obj": page_obj})


def household_context(request, hh, *, open_form=None) -> dict:
    detail = household_detail(hh)
    chart = arrears_bars(detail["arrears"], hh.monthly_rent)
    cases = list(hh.cases.select_related("director", "team").order_by("-opened_at"))
    visible = set(cases_visible_to(request.user).filter(household=hh).values_list("pk", flat=True))
    open_case = next((c for c in cases if c.is_open), None)
    if open_form is None and open_case is None and request.user.has_perm("cases.open_case"):
        open_form = CaseOpenForm(user=request.user)
    return {
        "household": hh,
        "unit": hh.unit,
        **detail,
        "chart": chart,
        "chart_svg": arrears_svg(chart),
        "arrears_rows": arrears_table_rows(detail["arrears"]),
        "latest_balance": detail["arrears"][-1].balance if detail["arrears"] else None,
        "cases": [(c, c.pk in visible) for c in cases],
        "open_case": open_case,
        "open_form": open_form,
        **_signals(hh),
        **_mandate(request, hh),
    }


def _mandate(request, hh) -> dict:
    from regie.mandate.panels import household_context

    return household_context(request, hh)


def _signals(hh) -> dict:
    """The household's signals in the latest detection run, single ones included (issue 3)."""
    from regie.signalling.rules import Domain
    from regie.signalling.selectors import explain, household_flag
    from regie.signalling.services_wgs import active_pause

    flag = household_flag(hh)
    return {
        "flag": flag,
        "flag_domains": [Domain(d).label for d in flag.domain_list] if flag else [],
        "rules": explain(flag) if flag else [],
        "pause": active_pause(hh),
    }


@login_required
def household(request, pk: int):
    hh = household_for(request.user, pk)
    return render(request, "housing/household.html", household_context(request, hh))
