from django.urls import path

from regie.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("signalen/", views.signals, name="signals"),
    path("persoon/", views.person, name="person"),
    path("incidenten/<int:pk>/afgehandeld/", views.incident_resolve_view, name="incident_resolve"),
]
