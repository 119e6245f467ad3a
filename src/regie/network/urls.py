"""The network pages, mounted at /netwerk/. Case ids and organisation ids only: no personal data."""

from django.urls import path

from regie.network import views, views_admin

app_name = "network"

urlpatterns = [
    path("", views.directory_view, name="directory"),
    path("<int:pk>/", views.organisation_view, name="organisation"),
    path("beheer/nieuw/", views_admin.organisation_new, name="organisation_new"),
    path("<int:pk>/bewerken/", views_admin.organisation_edit, name="organisation_edit"),
    path("<int:pk>/contactpersoon/", views_admin.contact_new, name="contact_new"),
    path("contactpersoon/<int:pk>/", views_admin.contact_edit, name="contact_edit"),
    path("casus/<int:case_pk>/toestemming/", views.consent_new, name="consent_new"),
    path("casus/<int:case_pk>/toestemming/<int:pk>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("casus/<int:case_pk>/toestemming/<int:pk>/document/", views.consent_document, name="consent_document"),
    path("casus/<int:case_pk>/verwijzen/", views.referral_new, name="referral_new"),
    path("casus/<int:case_pk>/verwijzing/<int:pk>/status/", views.referral_status, name="referral_status"),
]
