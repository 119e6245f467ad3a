from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "regie.housing"
    label = "housing"
