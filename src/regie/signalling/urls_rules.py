"""Beheer › Detectieregels: the functional administrator's rules editor (under /beheer/detectie/)."""

from django.urls import path

from regie.signalling import views_rules

app_name = "rules"

urlpatterns = [
    path("", views_rules.edit, name="edit"),
    path("versie/<int:version>/", views_rules.version, name="version"),
]
