"""Logging in with two factors: the password, then a code from an authenticator app (TOTP) or a
one-time recovery code; enrolling the app; the user's own account page; the administrator's
reset of a lost second factor."""

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.accounts import lockout, mfa, sessions
from regie.accounts import mfa_services as services
from regie.accounts.admin_views import _require_admin
from regie.accounts.forms import EnrolForm, LoginForm, SecondStepForm
from regie.accounts.models import SessionEndReason, User
from regie.accounts.sessions import sessions_end_for


class LoginView(auth_views.LoginView):
    """The password step. It logs the user in *unverified*: SecondFactorMiddleware keeps the
    session to the second step (or enrolment) until a code has passed."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        auth_login(self.request, form.get_user())
        mfa.clear_verified(self.request)
        return redirect(mfa.with_next(reverse("accounts:second_step"), self.get_redirect_url()))


@require_http_methods(["GET", "POST"])
def second_step(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    next_url = mfa.safe_next(request)
    if mfa.is_verified(request):
        return redirect(next_url)
    if not services.has_totp(user):
        return redirect(mfa.with_next(reverse("accounts:enrol"), next_url))
    if lockout.is_locked_out(request, user):
        logout(request)
        return lockout.lockout_response(request)
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        method = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        if method:
            lockout.reset_failures(request, user)
            mfa.mark_verified(request, method=method)
            if method == "recovery":
                messages.warning(
                    request,
                    _("You used a recovery code; %(n)s left. Make new ones on your account page.")
                    % {"n": services.recovery_codes_left(user)},
                )
            return redirect(next_url)
        if lockout.count_failure(request, user):
            logout(request)  # AxesMiddleware answers with the lockout page
        form.add_error("code", _("This code is not right, or it was used already. Try the newest code."))
    return render(
        request,
        "accounts/login_second_step.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def enrol(request):
    """Link an authenticator app: a QR code and the secret as text, confirmed with a code.

    Open to a logged-in user without an app (first login, or after the administrator's reset),
    and to a verified user changing phones. Never to an unverified session of a user who has an
    app: a password alone must not be enough to replace it."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    next_url = mfa.safe_next(request)
    if not mfa.is_verified(request) and services.has_totp(user):
        return redirect(mfa.with_next(reverse("accounts:second_step"), next_url))
    device = services.totp_enrolment_start(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrolment_confirm(user=user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            lockout.reset_failures(request, user)
            mfa.mark_verified(request, method="totp")
            return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": next_url, "enrolled": True})
        form.add_error("code", _("This code is not right. Check the app's clock and try the newest code."))
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
            "secret": services.secret_base32(device),
            "replacing": services.has_totp(user),
        },
        status=400 if form.errors else 200,
    )


def _account_context(user) -> dict:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return {"device": device, "codes_left": services.recovery_codes_left(user) if device else 0}


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """Mijn account: change the password, see the second factor, make new recovery codes."""
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    # The page is more than the password form: don't pull focus (and the screen) into it.
    form.fields["old_password"].widget.attrs.pop("autofocus", None)
    if request.method == "POST" and form.is_valid():
        services.account_password_change(user=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)  # this session stays; the others end
        # ...and leave the list of where he is logged in (Django only invalidates their data).
        sessions_end_for(user=user, by=user, reason=SessionEndReason.BY_USER, keep=request.session.get(sessions.SID))
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:account")
    return render(
        request,
        "accounts/account.html",
        {"form": form, **_account_context(user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def recovery_codes(request):
    if not services.has_totp(request.user):
        return redirect("accounts:enrol")
    codes = services.recovery_codes_renew(user=request.user)
    return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": reverse("accounts:account")})


@login_required
@require_POST
def user_second_factor_reset(request, pk: int):
    """The administrator removes a user's app and recovery codes (a lost phone)."""
    _require_admin(request.user)
    target = get_object_or_404(User, pk=pk)
    services.second_factor_reset(user=target, by=request.user)
    messages.success(request, _("Second factor reset; the user sets up an authenticator app at the next login."))
    return redirect("accounts:user_edit", pk=target.pk)
