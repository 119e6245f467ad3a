"""Vroegsignalering (under /vroegsignalering/): review, send, sent signals and answers, export."""

from django.urls import path

from regie.signalling import views_wgs

app_name = "wgs"

urlpatterns = [
    path("", views_wgs.review, name="review"),
    path("verzenden/", views_wgs.send, name="send"),
    path("verzonden/", views_wgs.sent, name="sent"),
    path("verzonden/<int:pk>/antwoord/", views_wgs.answer, name="answer"),
    path("export/", views_wgs.export, name="export"),
]
