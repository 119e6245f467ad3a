"""The privacy officer's desk: search the access log (by person, user, record, period …), export it,
see unusual access flagged. Everything here is 404 for other roles, and reading the log is itself
logged (record kind "access_log")."""

import csv
import json
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.audit.forms import LogSearchForm, PersonLookupForm, SignalsForm
from regie.audit.models import AccessLogEntry, Action, SecurityIncident
from regie.audit.selectors import access_signals, log_search, person_lookup, require_privacy_officer
from regie.audit.services import access_record
from regie.audit.services_log import incident_resolve
from regie.core.csvsafe import safe_row

CSV_FIELDS = [
    "at",
    "action",
    "record_type",
    "record_id",
    "sensitivity",
    "user_id",
    "username",
    "user_role",
    "on_behalf_of",
    "purpose",
    "ip_address",
    "channel",
    "outcome",
    "emergency",
    "seq",
    "hash",
]


class _Echo:
    def write(self, value):
        return value


def _cells(entry: AccessLogEntry) -> list:
    return [entry.at.isoformat() if f == "at" else getattr(entry, f) for f in CSV_FIELDS]


def _export(qs, fmt: str) -> StreamingHttpResponse:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    if fmt == "json":

        def chunks():
            yield "[\n"
            for i, entry in enumerate(qs.iterator(chunk_size=2000)):
                yield ("," if i else "") + json.dumps(dict(zip(CSV_FIELDS, _cells(entry), strict=True))) + "\n"
            yield "]\n"

        response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    else:
        writer = csv.writer(_Echo())

        def chunks():
            yield writer.writerow(CSV_FIELDS)
            for entry in qs.iterator(chunk_size=2000):
                # Usernames and record numbers come from outside: never let a spreadsheet run them.
                yield writer.writerow(safe_row(_cells(entry)))

        response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="toegangslog-{stamp}.{fmt}"'
    return response


@login_required
def log(request):
    require_privacy_officer(request.user)
    form = LogSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = log_search(request.user, **{k: v for k, v in filters.items() if v})
    fmt = request.GET.get("format")
    if fmt in ("csv", "json") and form.is_valid():
        access_record(user=request.user, action=Action.EXPORT, record_type="access_log", record_ids=[fmt])
        return _export(qs, fmt)
    access_record(user=request.user, action=Action.READ, record_type="access_log", record_ids=["search"])
    page_obj = Paginator(qs, settings.REGIE_PAGE_SIZE * 2).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params["format"] = "csv"
    csv_query = params.urlencode()
    params["format"] = "json"
    return render(
        request,
        "audit/log.html",
        {"form": form, "page_obj": page_obj, "csv_query": csv_query, "json_query": params.urlencode()},
    )


def _log_link(**filters) -> str:
    return reverse("audit:log") + "?" + urlencode({k: v for k, v in filters.items() if v not in (None, "")})


@login_required
def signals(request):
    require_privacy_officer(request.user)
    today = timezone.localdate()
    form = SignalsForm(request.GET or None, initial={"date_from": today - timedelta(days=6), "date_to": today})
    data = form.cleaned_data if form.is_valid() else {}
    date_from = data.get("date_from") or today - timedelta(days=6)
    date_to = data.get("date_to") or today
    found = access_signals(request.user, date_from=date_from, date_to=date_to)
    access_record(user=request.user, action=Action.READ, record_type="access_log", record_ids=["signals"])
    for row in found.outside_caseload + found.night_reads:
        row["link"] = _log_link(username=row["username"], date_from=row["day"], date_to=row["day"], action="read")
    for row in found.refused_bursts:
        day = timezone.localtime(row["hour"]).date()
        row["link"] = _log_link(username=row["username"], date_from=day, date_to=day, outcome="denied")
    for grant in found.emergencies:
        day = timezone.localtime(grant.granted_at).date()
        grant.link = _log_link(record_type="case", record_id=grant.case_id, date_from=day, emergency="on")
    return render(
        request,
        "audit/signals.html",
        {"form": form, "signals": found, "date_from": date_from, "date_to": date_to},
    )


@login_required
def person(request):
    """Find a person by number or last name (POST: names stay out of URLs), to search the log by him."""
    require_privacy_officer(request.user)
    form = PersonLookupForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = person_lookup(request.user, form.cleaned_data["query"])
        # Showing who someone is reads his household: logged like any other read.
        access_record(
            user=request.user,
            action=Action.READ,
            record_type="household",
            record_ids=sorted({p.tenancy_id for p in found}),
        )
        for p in found:
            p.link = _log_link(person=p.pk)
    return render(request, "audit/person.html", {"form": form, "found": found})


@login_required
@require_POST
def incident_resolve_view(request, pk: int):
    require_privacy_officer(request.user)
    incident = get_object_or_404(SecurityIncident, pk=pk)
    incident_resolve(incident=incident, by=request.user)
    messages.success(request, _("The incident is marked as resolved."))
    return redirect("audit:signals")
