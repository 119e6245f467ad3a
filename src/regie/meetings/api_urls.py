"""The meetings API; its routes are included under /api/ by regie.api_urls (before the cases
router, so /api/cases/<id>/put-forward/ is answered here)."""

from django.urls import path

from regie.meetings import api

urlpatterns: list = [
    path("meetings/", api.MeetingListView.as_view(), name="api-meetings"),
    path("meetings/<int:pk>/", api.MeetingDetailView.as_view(), name="api-meeting"),
    path("meetings/<int:pk>/agenda/", api.MeetingAgendaView.as_view(), name="api-meeting-agenda"),
    path("cases/<int:case_pk>/put-forward/", api.PutForwardView.as_view(), name="api-meetings-put-forward"),
]
