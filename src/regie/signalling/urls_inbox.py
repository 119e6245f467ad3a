from django.urls import path

from regie.signalling import views_inbox as views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("detectie/", views.inbox_run, name="run"),
    path("<int:pk>/", views.inbox_detail, name="detail"),
    path("<int:pk>/casus/", views.inbox_open, name="open"),
    path("<int:pk>/afwijzen/", views.inbox_dismiss, name="dismiss"),
    path("<int:pk>/toewijzen/", views.inbox_assign, name="assign"),
    path("<int:pk>/koppelen/", views.inbox_link, name="link"),
    path("casussignaal/<int:pk>/gezien/", views.signal_acknowledge, name="acknowledge"),
]
