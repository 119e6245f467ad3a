from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "regie.meetings"
    label = "meetings"
