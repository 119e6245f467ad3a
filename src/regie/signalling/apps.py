from django.apps import AppConfig


class SignallingConfig(AppConfig):
    name = "regie.signalling"
    label = "signalling"
