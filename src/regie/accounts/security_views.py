"""The privacy officer's read-only view of failed logins (wrong passwords and wrong second-factor
codes, as django-axes records them) and of who is locked out now."""

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from regie.accounts.models import Role


@login_required
def login_failures(request):
    if request.user.role != Role.PRIVACY:
        raise Http404
    username = request.GET.get("username", "").strip()[:150]
    failures = AccessFailureLog.objects.order_by("-attempt_time", "-pk")
    if username:
        failures = failures.filter(username=username)
    locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by(
        "-attempt_time"
    )
    if settings.AXES_COOLOFF_TIME:
        locked = locked.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    page_obj = Paginator(failures.only(*FIELDS, "locked_out"), settings.REGIE_PAGE_SIZE * 2).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/login_failures.html",
        {"page_obj": page_obj, "locked": list(locked.only(*FIELDS, "failures_since_start")), "username": username},
    )


FIELDS = ("username", "ip_address", "attempt_time", "path_info")
