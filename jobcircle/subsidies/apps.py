from django.apps import AppConfig


class SubsidiesConfig(AppConfig):
    name = "jobcircle.subsidies"
    verbose_name = "就业补贴"
