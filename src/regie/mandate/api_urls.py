"""The mandate API; its routes are included under /api/ by regie.api_urls (before the cases
router, so /api/cases/<id>/decisions/ is answered here)."""

from django.urls import path

from regie.mandate import api

urlpatterns: list = [
    path("mandate/measures/", api.MeasureListView.as_view(), name="api-mandate-measures"),
    path("mandate/limits/", api.LimitListView.as_view(), name="api-mandate-limits"),
    path("mandate/pending/", api.PendingListView.as_view(), name="api-mandate-pending"),
    path("mandate/budgets/", api.BudgetListView.as_view(), name="api-mandate-budgets"),
    path("cases/<int:case_pk>/decisions/", api.CaseDecisionListView.as_view(), name="api-mandate-case-decisions"),
    path("decisions/<int:pk>/", api.DecisionDetailView.as_view(), name="api-mandate-decision"),
    path("decisions/<int:pk>/answer/", api.DecisionAnswerView.as_view(), name="api-mandate-decision-answer"),
    path("decisions/<int:pk>/withdraw/", api.DecisionWithdrawView.as_view(), name="api-mandate-decision-withdraw"),
    path("decisions/<int:pk>/spend/", api.DecisionSpendView.as_view(), name="api-mandate-decision-spend"),
]
