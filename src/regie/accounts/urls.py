from django.urls import path

from regie.accounts import admin_views, mfa_views, oidc, security_views, views_sessions

app_name = "accounts"
# Mounted at /inloggen/ by regie/urls.py (outside this namespace, as "login").
login = mfa_views.LoginView.as_view()
urlpatterns = [
    path("inloggen/tweede-stap/", mfa_views.second_step, name="second_step"),
    path("account/", mfa_views.account, name="account"),
    path("account/tweestapsverificatie/", mfa_views.enrol, name="enrol"),
    path("account/herstelcodes/", mfa_views.recovery_codes, name="recovery_codes"),
    path("beheer/gebruikers/", admin_views.users, name="users"),
    path("beheer/gebruikers/nieuw/", admin_views.user_new, name="user_new"),
    path("beheer/gebruikers/<int:pk>/", admin_views.user_edit, name="user_edit"),
    path(
        "beheer/gebruikers/<int:pk>/tweestap-herstellen/",
        mfa_views.user_second_factor_reset,
        name="user_second_factor_reset",
    ),
    path("beheer/wijken/", admin_views.districts, name="districts"),
    path("beheer/gebruikers/<int:pk>/sessies-beeindigen/", views_sessions.user_sessions_end, name="user_sessions_end"),
    path("account/sessies/<int:pk>/beeindigen/", views_sessions.my_session_end, name="my_session_end"),
    # Single sign-on: both answer 404 unless REGIE_OIDC_ENABLED.
    path("oidc/inloggen/", oidc.AuthenticateView.as_view(), name="oidc_login"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_callback"),
    path("toegangslog/inlogpogingen/", security_views.login_failures, name="login_failures"),
]
