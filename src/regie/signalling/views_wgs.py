"""Vroegsignalering: the collections department's review list, sending, answers and the export.

Collections colleagues use every page; managers read and export; everyone else gets 404, as for
anything else a user may not see. Personal data never goes into a URL: the pages take dates and
ids only, and the export is a download.
"""

import csv
import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from regie.audit.models import Action
from regie.audit.services import access_record
from regie.core.csvsafe import safe_dict
from regie.core.forms import apply_validation_error
from regie.core.paging import paginate
from regie.housing.models import Tenancy
from regie.signalling import rules, wgs
from regie.signalling.forms_wgs import AnswerForm, ExportForm, ReviewForm, SendForm, SentFilterForm
from regie.signalling.models import MunicipalitySignal
from regie.signalling.services_wgs import (
    CSV_COLUMNS,
    allowed_answers,
    area_scope,
    corporation_contact,
    csv_rows,
    in_scope,
    json_document,
    may_send,
    may_use,
    sent_on,
    wgs_answer,
    wgs_export,
    wgs_send,
)

# The conditions of DETECTION.md in the order of the list's columns (condition 1, F1, is the list).
CONDITION_LABELS = {
    "reminder": gettext_lazy("Reminder sent long enough ago"),
    "contact": gettext_lazy("Contact attempted"),
    "no_objection": gettext_lazy("No objection"),
    "not_sent": gettext_lazy("Not signalled yet"),
}


def _require_use(user) -> None:
    if not may_use(user):
        raise Http404


def _require_send(user) -> None:
    if not may_send(user):
        raise Http404


def _conditions(r) -> list[tuple[str, str, bool, object]]:
    """(condition, label, met, the date that meets or blocks it) in CONDITION_LABELS order."""
    dates = {"reminder": r.reminder_date, "contact": r.contact_date, "no_objection": r.objection_date}
    return [(key, label, r.conditions[key], dates.get(key)) for key, label in CONDITION_LABELS.items()]


def _review_context(request, *, as_of, show: str, send_form=None) -> dict:
    reviews = wgs.review(as_of=as_of, config=rules.current().config)
    scope = in_scope(request.user, [r.tenancy_pk for r in reviews])
    reviews = [r for r in reviews if r.tenancy_pk in scope]
    ready_count = sum(r.ready for r in reviews)
    if show == "ready":
        reviews = [r for r in reviews if r.ready]
    elif show == "waiting":
        reviews = [r for r in reviews if not r.ready]
    # Ready first, each part by tenancy number (review's own order; sorted() keeps it).
    reviews = sorted(reviews, key=lambda r: not r.ready)
    page_obj = Paginator(reviews, settings.REGIE_PAGE_SIZE).get_page(request.GET.get("page"))
    tenancies = Tenancy.objects.select_related("unit").in_bulk([r.tenancy_pk for r in page_obj])
    rows = [(r, tenancies[r.tenancy_pk], _conditions(r)) for r in page_obj]
    access_record(user=request.user, action=Action.READ, record_type="household", record_ids=list(tenancies))
    return {
        "as_of": as_of,
        "show": show,
        "rows": rows,
        "page_obj": page_obj,
        "ready_count": ready_count,
        "condition_labels": CONDITION_LABELS,
        "can_send": may_send(request.user),
        "ready_on_page": any(r.ready for r in page_obj),
        "send_form": send_form,
        "export_query": urlencode({"source": "ready", "day": as_of.isoformat()}),
    }


@login_required
def review(request):
    """Every tenancy where F1 fires on the reference date, with the signal's conditions met or missing."""
    _require_use(request.user)
    form = ReviewForm(request.GET or None, initial={"as_of": timezone.localdate(), "show": "all"})
    data = form.cleaned_data if form.is_valid() else {}
    as_of = data.get("as_of") or timezone.localdate()
    context = _review_context(request, as_of=as_of, show=data.get("show") or "all")
    return render(request, "signalling/wgs_review.html", {"form": form, **context}, status=400 if form.errors else 200)


@login_required
@require_POST
def send(request):
    """Mark the ticked ready households as sent to the municipality."""
    _require_send(request.user)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            signals = wgs_send(
                tenancy_pks=form.cleaned_data["tenancy"], as_of=form.cleaned_data["as_of"], by=request.user
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s household marked as sent to the municipality. Export it below to hand it over.",
                    "%(n)s households marked as sent to the municipality. Export them below to hand them over.",
                    len(signals),
                )
                % {"n": len(signals)},
            )
            return redirect(reverse("wgs:sent") + "?" + urlencode({"on": timezone.localdate().isoformat()}))
    as_of = form.cleaned_data.get("as_of") or timezone.localdate()
    review_form = ReviewForm({"as_of": as_of.isoformat()})
    review_form.is_valid()
    context = _review_context(request, as_of=as_of, show="all", send_form=form)
    return render(request, "signalling/wgs_review.html", {"form": review_form, **context}, status=400)


@login_required
def sent(request):
    """The signals sent, newest first, with their answer; collections record the answer here."""
    _require_use(request.user)
    form = SentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = sent_on(data["on"]) if data.get("on") else MunicipalitySignal.objects.all()
    areas = area_scope(request.user)
    if areas is not None:  # a manager: his teams' areas only
        qs = qs.filter(tenancy__unit__area_id__in=areas)
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    qs = qs.select_related("tenancy__unit", "sent_by", "answered_by").order_by("-sent_at", "-pk")
    page_obj = paginate(qs, request.GET.get("page"), settings.REGIE_PAGE_SIZE)
    can_answer = may_send(request.user)
    rows = [(s, AnswerForm(prefix=f"s{s.pk}") if can_answer and allowed_answers(s.status) else None) for s in page_obj]
    access_record(
        user=request.user,
        action=Action.READ,
        record_type="household",
        record_ids=sorted({s.tenancy_id for s in page_obj}),
    )
    export_query = urlencode({"source": "sent", "day": data["on"].isoformat()}) if data.get("on") else ""
    return render(
        request,
        "signalling/wgs_sent.html",
        {"form": form, "rows": rows, "page_obj": page_obj, "export_query": export_query},
        status=400 if form.errors else 200,
    )


@login_required
def answer(request, pk: int):
    """Record the municipality's answer to one signal."""
    _require_send(request.user)
    signal = get_object_or_404(MunicipalitySignal.objects.select_related("tenancy__unit", "sent_by"), pk=pk)
    prefix = f"s{signal.pk}"
    form = AnswerForm(request.POST if request.method == "POST" else None, prefix=prefix)
    if request.method == "POST" and form.is_valid():
        try:
            wgs_answer(
                signal=signal,
                status=form.cleaned_data["status"],
                answered_on=form.cleaned_data["answered_on"],
                by=request.user,
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            if signal.pause_until:
                text = _("Answer recorded: help accepted. Collection is paused until %(d)s.") % {
                    "d": date_format(signal.pause_until, "SHORT_DATE_FORMAT")
                }
            else:
                text = _("Answer recorded.")
            messages.success(request, text)
            return redirect("wgs:sent")
    access_record(user=request.user, action=Action.READ, record_type="household", record_ids=[signal.tenancy_id])
    return render(
        request,
        "signalling/wgs_answer.html",
        {"signal": signal, "form": form, "allowed": allowed_answers(signal.status)},
        status=400 if form.errors else 200,
    )


@login_required
def export(request):
    """The export page; with a format chosen, the download itself (CSV or JSON, as an attachment)."""
    _require_use(request.user)
    if "format" in request.GET:
        form = ExportForm(request.GET)
    else:  # the page itself, perhaps prefilled from a link (`?source=ready&day=…`)
        source = request.GET.get("source")
        form = ExportForm(
            initial={
                "source": source if source in dict(ExportForm.SOURCES) else "sent",
                "day": request.GET.get("day") or timezone.localdate(),
            }
        )
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        records = wgs_export(source=d["source"], day=d["day"], by=request.user)
        contact = corporation_contact()
        name = f"vroegsignalering-{d['source']}-{d['day'].isoformat()}"
        if d["format"] == "json":
            body = json.dumps(json_document(records, source=d["source"], day=d["day"], contact=contact), indent=2)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
        else:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, delimiter=";", lineterminator="\r\n")
            writer.writeheader()
            # Names and addresses come from imported files: never a formula in a spreadsheet.
            writer.writerows(safe_dict(row) for row in csv_rows(records, contact))
            # With a BOM, so Excel opens the names with their accents intact.
            response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.{d["format"]}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "signalling/wgs_export.html",
        {"form": form, "contact": corporation_contact()},
        status=400 if form.errors else 200,
    )
