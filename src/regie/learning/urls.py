"""The lessons and obstacles pages, under /leren/. URLs carry ids only."""

from django.urls import path

from regie.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.lesson_list, name="lessons"),
    path("nieuw/", views.lesson_new, name="lesson_new"),
    path("<int:pk>/", views.lesson_detail, name="lesson"),
    path("<int:pk>/bewerken/", views.lesson_edit, name="lesson_edit"),
    path("casus/<int:pk>/", views.case_lessons, name="case_lessons"),
    path("knelpunten/", views.obstacle_list, name="obstacles"),
    path("knelpunten/nieuw/", views.obstacle_new, name="obstacle_new"),
    path("knelpunten/<int:pk>/", views.obstacle_detail, name="obstacle"),
    path("knelpunten/<int:pk>/status/", views.obstacle_transition, name="obstacle_transition"),
    path("knelpunten/<int:pk>/stap/", views.obstacle_step, name="obstacle_step"),
    path("knelpunten/<int:pk>/stap/<int:step_pk>/klaar/", views.obstacle_step_done, name="obstacle_step_done"),
    path("knelpunten/<int:pk>/eigenaar/", views.obstacle_assign, name="obstacle_assign"),
    path("knelpunten/<int:pk>/casussen/", views.obstacle_link, name="obstacle_link"),
]
