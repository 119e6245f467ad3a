"""Where each role lands after logging in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from regie.accounts.models import Role


@login_required
def home(request):
    user = request.user
    if user.reads_case_content:
        return redirect("cases:caseload")
    if user.role == Role.PRIVACY:
        return redirect("audit:log")
    if user.role == Role.ADMIN:
        return redirect("accounts:users")
    return render(request, "accounts/home.html", {"role": user.get_role_display()})
