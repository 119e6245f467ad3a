from django.urls import path

from regie.results import views

app_name = "results"

urlpatterns: list = [
    path("", views.dashboard, name="dashboard"),
    path("afspraken/", views.agreements, name="mine"),
    path("afspraken/nieuw/", views.agreement_new, name="agreement_new"),
    path("afspraken/<int:pk>/", views.agreement_detail, name="agreement"),
    path("afspraken/<int:pk>/wijzigen/", views.agreement_edit, name="agreement_edit"),
    path("afspraken/<int:pk>/verwijderen/", views.agreement_delete, name="agreement_delete"),
    path("rapport/<int:year>.pdf", views.report_pdf, name="report_pdf"),
    path("rapport/<int:year>.xlsx", views.report_xlsx, name="report_xlsx"),
]
