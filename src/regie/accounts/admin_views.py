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


@login_required
def districts(request):
    """Which area each district of the units is in: it decides which team sees its households."""
    from django.db.models import Count

    from regie.housing.models import AreaDistrict, Unit
    from regie.housing.services import district_map

    _require_admin(request.user)
    areas = list(Area.objects.order_by("name"))
    if request.method == "POST":
        district = request.POST.get("district", "")
        area_pk = request.POST.get("area", "")
        area = next((a for a in areas if str(a.pk) == area_pk), None)
        if area_pk and area is None:
            messages.error(request, _("Choose one of the areas."))
        else:
            try:
                moved = district_map(district=district, area=area, by=request.user)
            except ValidationError as err:
                messages.error(request, " ".join(err.messages))
            else:
                messages.success(request, _("Saved; %(n)s units moved.") % {"n": moved})
        return redirect("accounts:districts")
    mapped = dict(AreaDistrict.objects.values_list("district", "area_id"))
    rows = [
        {"district": r["district"], "units": r["n"], "area_id": mapped.get(r["district"])}
        for r in Unit.objects.values("district").annotate(n=Count("pk")).order_by("district")
    ]
    rows.sort(key=lambda r: (r["area_id"] is not None, r["district"]))
    for i, row in enumerate(rows):
        row["id"] = f"d{i}"
    return render(request, "accounts/admin_districts.html", {"rows": rows, "areas": areas})
