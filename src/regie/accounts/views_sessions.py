"""Ending sessions by hand: an administrator ends all of a user's sessions, a user ends one of his own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from regie.accounts import sessions
from regie.accounts.admin_views import _require_admin
from regie.accounts.models import SessionEndReason, User


@require_POST
@login_required
def user_sessions_end(request, pk: int):
    _require_admin(request.user)
    account = get_object_or_404(User, pk=pk)
    ended = sessions.sessions_end_for(user=account, by=request.user, reason=SessionEndReason.BY_ADMIN)
    messages.success(request, ngettext("%(n)s session ended.", "%(n)s sessions ended.", ended) % {"n": ended})
    return redirect("accounts:user_edit", pk=account.pk)


@require_POST
@login_required
def my_session_end(request, pk: int):
    # Someone else's session, one already over and the current one all answer 404: this page
    # ends sessions on other devices; logging out ends this one.
    session = sessions.sessions_of(request.user, pk=pk)
    if session is None or session.pk == request.session.get(sessions.SID):
        raise Http404
    sessions.session_end(session=session, by=request.user, reason=SessionEndReason.BY_USER)
    messages.success(request, ngettext("%(n)s session ended.", "%(n)s sessions ended.", 1) % {"n": 1})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "home"
    return redirect(next_url)
