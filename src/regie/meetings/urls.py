"""The team meeting's pages, under /overleg/. URLs carry ids only."""

from django.urls import path

from regie.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("ritme/", views.rhythm, name="rhythm"),
    path("plannen/", views.plan, name="plan"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/agenda/aanvullen/", views.draft, name="draft"),
    path("<int:pk>/agenda/punt/", views.item_add, name="item_add"),
    path("<int:pk>/starten/", views.start, name="start"),
    path("<int:pk>/sluiten/", views.close, name="close"),
    path("<int:pk>/verslag.pdf", views.minutes, name="minutes"),
    path("punt/<int:pk>/omhoog/", views.item_move, {"direction": "up"}, name="item_up"),
    path("punt/<int:pk>/omlaag/", views.item_move, {"direction": "down"}, name="item_down"),
    path("punt/<int:pk>/weg/", views.item_remove, name="item_remove"),
    path("punt/<int:pk>/verslag/", views.item_record, name="item_record"),
    path("punt/<int:pk>/actie/", views.item_action, name="item_action"),
    path("casus/<int:case_pk>/inbrengen/", views.put_forward, name="put_forward"),
    path("vraag/<int:pk>/intrekken/", views.question_withdraw, name="question_withdraw"),
]
