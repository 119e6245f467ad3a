"""The plans API; its routes are included under /api/ by regie.api_urls (before the cases router,
so /api/cases/<id>/assessments/ and friends are answered here)."""

from django.urls import path

from regie.plans import api

urlpatterns: list = [
    path("cases/<int:case_pk>/assessments/", api.AssessmentListView.as_view(), name="api-plan-assessments"),
    path("cases/<int:case_pk>/goals/", api.GoalListView.as_view(), name="api-plan-goals"),
    path("cases/<int:case_pk>/actions/", api.ActionListView.as_view(), name="api-plan-actions"),
    path("goals/<int:pk>/", api.GoalDetailView.as_view(), name="api-plan-goal"),
    path("actions/<int:pk>/", api.ActionDetailView.as_view(), name="api-plan-action"),
    path("actions/<int:pk>/transition/", api.ActionTransitionView.as_view(), name="api-plan-action-transition"),
    path("worklist/", api.WorklistView.as_view(), name="api-worklist"),
    path("worklist/<int:pk>/", api.WorkItemView.as_view(), name="api-work-item"),
    path("worklist/<int:pk>/accept/", api.WorkAcceptView.as_view(), name="api-work-accept"),
    path("worklist/<int:pk>/progress/", api.WorkProgressView.as_view(), name="api-work-progress"),
    path("worklist/<int:pk>/complete/", api.WorkCompleteView.as_view(), name="api-work-complete"),
]

# Evaluations and aftercare checks of a case (regie/plans/api_aftercare.py).
from regie.plans.api_aftercare import urlpatterns as aftercare_urls  # noqa: E402

urlpatterns += aftercare_urls
