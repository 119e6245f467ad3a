"""The mandate's pages, under /mandaat/: decisions on a case, approvals, the overview and Beheer.
URLs carry ids only."""

from django.urls import path

from regie.mandate import views, views_admin

app_name = "mandate"

urlpatterns = [
    path("casus/<int:case_pk>/besluit/", views.decide, name="decide"),
    path("besluit/<int:pk>/reactie/", views.reply, name="reply"),
    path("besluit/<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("besluit/<int:pk>/uitgave/", views.spend, name="spend"),
    path("akkoord/", views.approvals, name="approvals"),
    path("akkoord/<int:pk>/", views.answer, name="answer"),
    path("overzicht/", views.overview, name="overview"),
    path("beheer/", views_admin.catalogue, name="admin"),
    path("beheer/maatregel/nieuw/", views_admin.measure_edit, name="measure_new"),
    path("beheer/maatregel/<int:pk>/", views_admin.measure_edit, name="measure_edit"),
    path("beheer/limieten/", views_admin.limits_edit, name="limits"),
    path("beheer/budget/nieuw/", views_admin.budget_edit, name="budget_new"),
    path("beheer/budget/<int:pk>/", views_admin.budget_edit, name="budget_edit"),
]
