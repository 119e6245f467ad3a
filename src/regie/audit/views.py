"""The privacy officer's view of the access log: search by user, record and period; export."""

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from regie.audit.forms import LogSearchForm
from regie.audit.selectors import log_search

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
]


class _Echo:
    def write(self, value):
        return value


@login_required
def log(request):
    form = LogSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = log_search(request.user, **{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "csv" and form.is_valid():
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow(CSV_FIELDS)
            for entry in qs.iterator(chunk_size=2000):
                yield writer.writerow([entry.at.isoformat() if f == "at" else getattr(entry, f) for f in CSV_FIELDS])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="toegangslog-{stamp}.csv"'
        return response
    page_obj = Paginator(qs, settings.REGIE_PAGE_SIZE * 2).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params["format"] = "csv"
    params.pop("page", None)
    return render(request, "audit/log.html", {"form": form, "page_obj": page_obj, "csv_query": params.urlencode()})
