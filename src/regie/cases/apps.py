from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "regie.cases"
    label = "cases"
