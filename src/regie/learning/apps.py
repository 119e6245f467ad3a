from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "regie.learning"
    label = "learning"
