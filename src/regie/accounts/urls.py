from django.contrib.auth import views as auth_views
from django.urls import path

from regie.accounts import admin_views
from regie.accounts.forms import LoginForm

app_name = "accounts"
login = auth_views.LoginView.as_view(
    template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
)
urlpatterns = [
    path("beheer/gebruikers/", admin_views.users, name="users"),
    path("beheer/gebruikers/nieuw/", admin_views.user_new, name="user_new"),
    path("beheer/gebruikers/<int:pk>/", admin_views.user_edit, name="user_edit"),
    path("beheer/wijken/", admin_views.districts, name="districts"),
]
