from django.urls import path

from regie.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.requests, name="requests"),
    path("verzoeken/nieuw/", views.request_new, name="request_new"),
    path("verzoeken/<int:pk>/", views.request_detail, name="request"),
    path("verzoeken/<int:pk>/status/", views.request_status, name="request_status"),
    path("verzoeken/<int:pk>/verlengen/", views.request_extend, name="request_extend"),
    path("verzoeken/<int:pk>/wissen/", views.request_erase, name="request_erase"),
    path("verzoeken/<int:pk>/export.<str:fmt>", views.request_export, name="request_export"),
    path("blokkades/", views.holds, name="holds"),
    path("blokkades/<int:pk>/opheffen/", views.hold_lift, name="hold_lift"),
    path("bewaartermijnen/", views.retention, name="retention"),
    path("bewaartermijnen/<int:pk>/", views.rule_edit, name="rule_edit"),
]
