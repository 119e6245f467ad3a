from django.urls import path

from regie.signalling import views_import as views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/voortgang/", views.import_progress, name="progress"),
    path("<int:pk>/bevestigen/", views.import_confirm_view, name="confirm"),
    path("<int:pk>/annuleren/", views.import_cancel_view, name="cancel"),
    path("<int:pk>/bestand/<str:name>", views.import_download, name="download"),
]
