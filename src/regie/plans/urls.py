"""The plan's pages, under /plan/: worklists, the assessment, goals and actions, the PDF, the
signature and the personal calendar. URLs carry ids and the calendar's secret token only."""

from django.urls import path

from regie.plans import views

app_name = "plans"

urlpatterns = [
    path("werk/", views.worklist, name="worklist"),
    path("werk/<int:pk>/", views.work_item, name="work_item"),
    path("werk/<int:pk>/oppakken/", views.work_accept, name="work_accept"),
    path("werk/<int:pk>/voortgang/", views.work_progress, name="work_progress"),
    path("werk/<int:pk>/afronden/", views.work_complete, name="work_complete"),
    path("casus/<int:case_pk>/zelfredzaamheid/", views.assess, name="assess"),
    path("casus/<int:case_pk>/doel/", views.goal_add, name="goal_add"),
    path("casus/<int:case_pk>/actie/", views.action_add, name="action_add"),
    path("casus/<int:case_pk>/pdf/", views.plan_pdf, name="pdf"),
    path("casus/<int:case_pk>/ondertekend/", views.plan_sign, name="sign"),
    path("doel/<int:pk>/", views.goal_edit, name="goal"),
    path("actie/<int:pk>/", views.action_page, name="action"),
    path("agenda/", views.calendar, name="calendar"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
]
