from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "jobcircle.common"
    label = "common"
    verbose_name = "公共"
