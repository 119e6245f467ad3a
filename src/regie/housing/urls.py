from django.urls import path

from regie.housing import views

app_name = "housing"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.household, name="household"),
]
