"""The directory (sociale kaart) and the case's consents and referrals. Views parse, call a selector
or service, and render; the consent gate is the service's."""

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.audit.models import Action
from regie.audit.services import access_denied, access_record
from regie.cases.selectors import case_for
from regie.core.forms import apply_validation_error
from regie.core.paging import paginate
from regie.network import services
from regie.network.forms import ConsentForm, DirectoryFilterForm, ReferralForm, ReferralStatusForm, WithdrawForm
from regie.network.models import Consent, Referral
from regie.network.selectors import (
    directory,
    engaged_cases,
    may_use_directory,
    organisation_for,
    response_stats,
)


def _require_directory(user) -> None:
    if not may_use_directory(user):
        raise Http404


@login_required
def directory_view(request):
    _require_directory(request.user)
    form = DirectoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = directory(
        q=data.get("q") or "",
        kind=data.get("kind") or "",
        partner_type=data.get("type") or "",
        area=data.get("area"),
    ).prefetch_related("areas")
    page_obj = paginate(qs, request.GET.get("page"), settings.REGIE_PAGE_SIZE)
    rows = list(page_obj)
    stats = response_stats(rows)
    for org in rows:
        org.stats = stats[org.pk]
    return render(
        request,
        "network/directory.html",
        {"form": form, "page_obj": page_obj, "rows": rows, "searched": bool(data.get("q") or data.get("type"))},
    )


@login_required
def organisation_view(request, pk: int):
    user = request.user
    org = organisation_for(user, pk)
    stats = response_stats([org])[org.pk]
    people = org.people.select_related("user").order_by("-is_active", "name")
    if user.role != "admin":
        people = people.filter(is_active=True)
    return render(
        request,
        "network/organisation.html",
        {
            "org": org,
            "stats": stats,
            "people": people,
            "agreement_in_force": org.agreement_in_force(),
            # Only colleagues who read case content see which households an organisation serves.
            "engagements": engaged_cases(user, org) if user.reads_case_content else None,
            "may_maintain": user.role == "admin",
        },
    )


# -- consent and referrals on a case -------------------------------------------------------------


def _case_to_change(request, case_pk: int):
    """The case (404 when missing or not the user's to see); 403 for a reader who may not add to it."""
    case = case_for(request.user, case_pk)
    if not request.user.has_perm("cases.contribute", case):
        access_denied(user=request.user, record_type="case", record_id=case.pk, action=Action.UPDATE)
        raise PermissionDenied
    return case


def _form_page(request, case, form, *, title, submit, template="network/case_form.html", status=200, **extra):
    return render(
        request,
        template,
        {"case": case, "form": form, "title": title, "submit": submit, **extra},
        status=status,
    )


@login_required
def consent_new(request, case_pk: int):
    case = _case_to_change(request, case_pk)
    form = ConsentForm(request.POST or None, request.FILES or None, case=case)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.consent_record(
                case=case,
                person=d["person"],
                organisation=d["organisation"],
                purpose=d["purpose"],
                domains=d["domains"],
                given_on=d["given_on"],
                form=d["form"],
                valid_until=d["valid_until"],
                document=d["document"],
                by=request.user,
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Consent recorded"))
            return redirect(case.get_absolute_url() + "#network-h")
    return _form_page(
        request,
        case,
        form,
        title=_("Record consent"),
        submit=_("Save consent"),
        multipart=True,
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def consent_withdraw(request, case_pk: int, pk: int):
    case = _case_to_change(request, case_pk)
    consent = get_object_or_404(Consent, pk=pk, case=case)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the consent was withdrawn."))
        return redirect(case.get_absolute_url() + "#network-h")
    try:
        services.consent_withdraw(consent=consent, on=form.cleaned_data["withdrawn_on"], by=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Consent withdrawn"))
    return redirect(case.get_absolute_url() + "#network-h")


@login_required
def consent_document(request, case_pk: int, pk: int):
    """The signed consent, served only to who may see the case; the file's name says nothing."""
    case = case_for(request.user, case_pk)
    consent = get_object_or_404(Consent, pk=pk, case=case)
    if not consent.document:
        raise Http404
    ext = PurePath(consent.document.name).suffix.lower()
    with transaction.atomic():
        access_record(user=request.user, action=Action.EXPORT, record_type="case", record_ids=[case.pk])
    content_type = mimetypes.guess_type(f"x{ext}")[0] or "application/octet-stream"
    response = FileResponse(
        consent.document.open("rb"),
        as_attachment=True,
        filename=f"consent-{consent.pk}{ext}",
        content_type=content_type,
    )
    return response


@login_required
def referral_new(request, case_pk: int):
    case = _case_to_change(request, case_pk)
    initial = {}
    if (org := request.GET.get("organisation", "")).isdigit():
        initial["organisation"] = int(org)
    form = ReferralForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            referral = services.referral_create(
                case=case,
                organisation=d["organisation"],
                contact=d["contact"],
                reason=d["reason"],
                shared=d["shared"],
                domains=d["domains"],
                consent=d["consent"],
                legal_ground=d["legal_ground"],
                legal_justification=d["legal_justification"],
                by=request.user,
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Referral sent"))
            if not referral.organisation.agreement_in_force():
                messages.warning(
                    request,
                    _(
                        "There is no data-sharing agreement with %(partner)s. Share only what the consent "
                        "covers, and by a secure route."
                    )
                    % {"partner": referral.organisation.name},
                )
            return redirect(case.get_absolute_url() + "#network-h")
    return _form_page(
        request,
        case,
        form,
        title=_("Refer to a partner"),
        submit=_("Send referral"),
        template="network/referral_form.html",
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def referral_status(request, case_pk: int, pk: int):
    case = _case_to_change(request, case_pk)
    referral = get_object_or_404(Referral, pk=pk, case=case)
    form = ReferralStatusForm(request.POST, referral=referral)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(case.get_absolute_url() + "#network-h")
    try:
        services.referral_transition(
            referral=referral,
            to_status=form.cleaned_data["status"],
            at=form.cleaned_data["at"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Referral updated"))
    return redirect(case.get_absolute_url() + "#network-h")
