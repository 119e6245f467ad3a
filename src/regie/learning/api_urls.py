"""The learning API; its routes are included under /api/ by regie.api_urls (before the cases
router, so /api/cases/<id>/lessons/ is answered here)."""

from django.urls import path

from regie.learning import api

urlpatterns: list = [
    path("lessons/", api.LessonListView.as_view(), name="api-learning-lessons"),
    path("lessons/<int:pk>/", api.LessonDetailView.as_view(), name="api-learning-lesson"),
    path("cases/<int:case_pk>/lessons/", api.CaseLessonsView.as_view(), name="api-learning-case-lessons"),
    path("obstacles/", api.ObstacleListView.as_view(), name="api-learning-obstacles"),
    path("obstacles/<int:pk>/", api.ObstacleDetailView.as_view(), name="api-learning-obstacle"),
    path(
        "obstacles/<int:pk>/transition/", api.ObstacleTransitionView.as_view(), name="api-learning-obstacle-transition"
    ),
    path("obstacles/<int:pk>/steps/", api.ObstacleStepView.as_view(), name="api-learning-obstacle-steps"),
]
