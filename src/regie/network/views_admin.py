"""Beheer of the directory: the functional administrator adds, changes and deactivates organisations
and their contact people. Nobody else: for them these pages do not exist (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from regie.accounts.models import Role
from regie.core.forms import apply_validation_error
from regie.network import services
from regie.network.forms_admin import ContactPersonForm, OrganisationForm
from regie.network.models import ContactPerson, Organisation


def _require_admin(user) -> None:
    if not user.is_authenticated or user.role != Role.ADMIN:
        raise Http404


def _org_initial(org: Organisation) -> dict:
    initial = {name: getattr(org, name) for name in services.ORGANISATION_FIELDS}
    initial["areas"] = list(org.areas.all())
    return initial


@login_required
def organisation_new(request):
    _require_admin(request.user)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        areas = d.pop("areas")
        try:
            org = services.organisation_create(by=request.user, areas=areas, **d)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Organisation added"))
            return redirect("network:organisation", org.pk)
    return render(
        request,
        "network/admin_form.html",
        {"form": form, "title": _("New organisation"), "back": None},
        status=400 if form.errors else 200,
    )


@login_required
def organisation_edit(request, pk: int):
    _require_admin(request.user)
    org = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, initial=_org_initial(org))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        areas = d.pop("areas")
        try:
            services.organisation_update(organisation=org, by=request.user, areas=areas, **d)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Organisation saved"))
            return redirect("network:organisation", org.pk)
    return render(
        request,
        "network/admin_form.html",
        {"form": form, "title": _("Change %(name)s") % {"name": org.name}, "back": org},
        status=400 if form.errors else 200,
    )


@login_required
def contact_new(request, pk: int):
    _require_admin(request.user)
    org = get_object_or_404(Organisation, pk=pk)
    form = ContactPersonForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_person_create(organisation=org, by=request.user, **form.cleaned_data)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Contact person added"))
            return redirect("network:organisation", org.pk)
    return render(
        request,
        "network/admin_form.html",
        {"form": form, "title": _("New contact person at %(name)s") % {"name": org.name}, "back": org},
        status=400 if form.errors else 200,
    )


@login_required
def contact_edit(request, pk: int):
    _require_admin(request.user)
    person = get_object_or_404(ContactPerson.objects.select_related("organisation"), pk=pk)
    org = person.organisation
    initial = {name: getattr(person, name) for name in services.CONTACT_FIELDS}
    form = ContactPersonForm(request.POST or None, organisation=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_person_update(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Contact person saved"))
            return redirect("network:organisation", org.pk)
    return render(
        request,
        "network/admin_form.html",
        {"form": form, "title": _("Change contact person %(name)s") % {"name": person.name}, "back": org},
        status=400 if form.errors else 200,
    )
