"""The emergency override page (noodknop): ask for read access to a case outside one's scope.

The answer is the same whether the case exists or not (no existence oracle): a message that
access is granted *if* the case exists, and a redirect to the case page, which 404s when it doesn't.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regie.audit.emergency import emergency_hours, emergency_request, may_use_emergency
from regie.audit.forms import EmergencyForm
from regie.core.forms import apply_validation_error


@login_required
def emergency(request):
    if not may_use_emergency(request.user):
        raise Http404
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case_id = form.cleaned_data["case"]
        try:
            emergency_request(user=request.user, case_id=case_id, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            # Worked out from the clock, not from the grant, so it reads the same for any number.
            until = timezone.localtime() + timedelta(hours=emergency_hours())
            messages.warning(
                request,
                _(
                    "If case %(n)s exists, you can now read it until %(until)s. This emergency access is reported "
                    "to the privacy officer."
                )
                % {"n": case_id, "until": date_format(until, "SHORT_DATETIME_FORMAT")},
            )
            return redirect("cases:detail", pk=case_id)
    return render(request, "audit/emergency.html", {"form": form, "hours": emergency_hours()})
