from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "regie.plans"
    label = "plans"
