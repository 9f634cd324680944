from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "jobcircle.assistance"
    label = "assistance"
    verbose_name = "就业帮扶"
