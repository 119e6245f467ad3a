"""The privacy officer's pages: the register of requests (AVG art. 15-21), holds, and the
retention rules with the last runs. Thin: parse, call a service or selector, render."""

import json
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.audit.models import Action as LogAction
from regie.audit.services import access_record
from regie.core.forms import apply_validation_error
from regie.privacy import selectors, services
from regie.privacy.export import export_pdf_bytes, subject_export
from regie.privacy.forms import ExtendForm, HoldForm, RequestForm, RuleForm, TransitionForm
from regie.privacy.models import RequestKind
from regie.privacy.workflow import allowed_next


@login_required
def requests(request):
    items = list(selectors.requests_for(request.user))
    today = timezone.localdate()
    rows = [{"r": r, "overdue": r.is_overdue(today)} for r in items]
    return render(
        request,
        "privacy/requests.html",
        {"rows": rows, "open_count": sum(r.is_open for r in items), "overdue_count": sum(x["overdue"] for x in rows)},
    )


@login_required
def request_new(request):
    selectors.require_privacy(request.user)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = services.request_create(
                kind=d["kind"],
                received_on=d["received_on"],
                person=d["person_number"],
                reference=d["reference"],
                by=request.user,
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Request registered; the deadline is %(date)s.") % {"date": created.deadline})
            return redirect(created)
    return render(request, "privacy/request_new.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request, subject_request, *, transition_form=None, extend_form=None, status=200):
    if subject_request.person_id:
        # The register shows who the request is from: a read of that person's record.
        access_record(
            user=request.user, action=LogAction.READ, record_type="person", record_ids=[subject_request.person_id]
        )
    refusals = (
        services.erasure_refusals(subject_request)
        if subject_request.kind == RequestKind.ERASURE and subject_request.is_open
        else []
    )
    return render(
        request,
        "privacy/request_detail.html",
        {
            "sr": subject_request,
            "overdue": subject_request.is_overdue(),
            "next_statuses": [(s, s.label) for s in allowed_next(subject_request.status)],
            "transition_form": transition_form or TransitionForm(),
            "extend_form": extend_form or ExtendForm(),
            "erasure_refusals": refusals,
            "holds": list(subject_request.holds.all()),
            "destructions": list(subject_request.destructions.all()[:200]),
        },
        status=status,
    )


@login_required
def request_detail(request, pk):
    return _detail(request, selectors.request_for(request.user, pk))


@login_required
@require_POST
def request_status(request, pk):
    subject_request = selectors.request_for(request.user, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.request_transition(
                request=subject_request,
                to_status=form.cleaned_data["to_status"],
                outcome=form.cleaned_data["outcome"],
                by=request.user,
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Status changed."))
            return redirect(subject_request)
    subject_request.refresh_from_db()
    return _detail(request, subject_request, transition_form=form, status=400)


@login_required
@require_POST
def request_extend(request, pk):
    subject_request = selectors.request_for(request.user, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.request_extend(
                request=subject_request,
                months=form.cleaned_data["months"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Deadline extended. Tell the person why, within the first month."))
            return redirect(subject_request)
    subject_request.refresh_from_db()
    return _detail(request, subject_request, extend_form=form, status=400)


@login_required
@require_POST
def request_erase(request, pk):
    subject_request = selectors.request_for(request.user, pk)
    try:
        done = services.request_execute_erasure(request=subject_request, by=request.user)
    except ValidationError as err:
        for message in err.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Erased: %(cases)s case files; household data: %(household)s.")
            % {"cases": done["cases"], "household": _("yes") if done["household"] else _("no, the tenancy runs")},
        )
    return redirect(subject_request)


@login_required
def request_export(request, pk, fmt):
    subject_request = selectors.request_for(request.user, pk)
    if fmt not in ("json", "pdf") or subject_request.person_id is None:
        raise Http404
    data = subject_export(request.user, subject_request.person)
    person = subject_request.person
    access_record(user=request.user, action=LogAction.EXPORT, record_type="person", record_ids=[person.pk])
    access_record(user=request.user, action=LogAction.EXPORT, record_type="household", record_ids=[person.tenancy_id])
    access_record(
        user=request.user, action=LogAction.EXPORT, record_type="case", record_ids=[c["id"] for c in data["cases"]]
    )
    # The file name carries the request's number, never the person's name.
    name = f"inzage-verzoek-{subject_request.pk}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
        )
    else:
        response = HttpResponse(export_pdf_bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def holds(request):
    items = selectors.holds_for(request.user)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ends_at = None
        if d["ends_on"]:
            ends_at = timezone.make_aware(datetime.combine(d["ends_on"], time.min))
        try:
            services.hold_place(
                target=d["target"],
                record_id=d["record_id"],
                person=d["person"],
                kind=d["kind"],
                reason=d["reason"],
                ends_at=ends_at,
                by=request.user,
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Hold placed."))
            return redirect("privacy:holds")
    now = timezone.now()
    rows = [{"h": h, "active": h.is_active(now)} for h in items[:300]]
    return render(request, "privacy/holds.html", {"rows": rows, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def hold_lift(request, pk):
    hold = selectors.hold_for(request.user, pk)
    try:
        services.hold_lift(hold=hold, by=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Hold lifted."))
    return redirect("privacy:holds")


@login_required
def retention(request):
    return render(request, "privacy/retention.html", selectors.retention_overview(request.user))


@login_required
def rule_edit(request, pk):
    rule = selectors.rule_for(request.user, pk)
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.rule_update(
                rule=rule, nomination=d["nomination"], months=d["months"], note=d["note"], by=request.user
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Retention rule saved. The next run applies it."))
            return redirect("privacy:retention")
    return render(request, "privacy/rule_edit.html", {"form": form, "rule": rule}, status=400 if form.errors else 200)
