from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "regie.results"
    label = "results"
