"""Beheer: the functional administrator manages accounts and sees teams and areas. No case content."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from regie.accounts.admin_forms import NewUserForm, UserForm
from regie.accounts.models import Area, Role, User
from regie.accounts.services import user_create, user_update
from regie.core.forms import apply_validation_error


def _require_admin(user):
    if not user.is_authenticated or user.role != Role.ADMIN:
        raise Http404


@login_required
def users(request):
    _require_admin(request.user)
    return render(
        request,
        "accounts/admin_users.html",
        {
            "users": User.objects.prefetch_related("teams").order_by("role", "last_name", "username"),
            "areas": Area.objects.prefetch_related("teams"),
        },
    )


@login_required
def user_new(request):
    _require_admin(request.user)
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user_create(
                username=d["username"],
                role=d["role"],
                password=d["password"],
                teams=list(d["teams"]),
                first_name=d["first_name"],
                last_name=d["last_name"],
                email=d["email"],
                department=d["department"],
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Account created"))
            return redirect("accounts:users")
    return render(
        request, "accounts/admin_user_form.html", {"form": form, "new": True}, status=400 if form.errors else 200
    )


@login_required
def user_edit(request, pk: int):
    _require_admin(request.user)
    account = get_object_or_404(User, pk=pk)
    initial = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "role": account.role,
        "department": account.department,
        "teams": account.teams.all(),
        "is_active": account.is_active,
    }
    form = UserForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user_update(
                user=account,
                by=request.user,
                teams=list(d["teams"]),
                **{k: d[k] for k in ("role", "is_active", "department", "first_name", "last_name", "email")},
            )
        except ValidationError as err:
            apply_validation_error(form, err)
        else:
            messages.success(request, _("Account saved"))
            return redirect("accounts:users")
    return render(
        request, "accounts/admin_user_form.html", {"form": form, "account": account}, status=400 if form.errors else 200
    )
