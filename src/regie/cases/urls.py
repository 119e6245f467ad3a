from django.urls import path

from regie.cases import views, views_emergency

app_name = "cases"
urlpatterns = [
    path("", views.caseload_view, name="caseload"),
    path("noodtoegang/", views_emergency.emergency, name="emergency"),
    path("openen/<int:household_pk>/", views.open_case, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.transition, name="transition"),
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("<int:pk>/regie/", views.transfer, name="transfer"),
    path("<int:pk>/team/", views.member_add, name="member_add"),
    path("<int:pk>/team/<int:member_pk>/verwijderen/", views.member_remove, name="member_remove"),
    path("<int:pk>/vraag/", views.question, name="question"),
    path("<int:pk>/volgende-stap/", views.next_step, name="next_step"),
]
