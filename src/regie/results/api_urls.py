"""The results API; its routes are included under /api/ by regie.api_urls."""

from django.urls import path

from regie.results import api

urlpatterns: list = [
    path("results/agreements/", api.AgreementListView.as_view(), name="api-results-agreements"),
    path("results/agreements/<int:pk>/", api.AgreementIndicatorsView.as_view(), name="api-results-agreement"),
    path("results/dashboard/", api.DashboardView.as_view(), name="api-results-dashboard"),
]
