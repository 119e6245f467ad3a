from django.apps import AppConfig


class MandateConfig(AppConfig):
    name = "regie.mandate"
    label = "mandate"
