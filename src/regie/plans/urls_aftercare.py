"""Evaluation moments and aftercare checks (mounted at /nazorg/). Only ids in the paths."""

from django.urls import path

from regie.plans import views_aftercare as views

app_name = "aftercare"

urlpatterns = [
    path("casus/<int:case_pk>/evaluatie/", views.evaluation_plan, name="evaluation_plan"),
    path("evaluatie/<int:pk>/vervalt/", views.evaluation_cancel, name="evaluation_cancel"),
    path("controle/<int:pk>/", views.check_record, name="check"),
]
