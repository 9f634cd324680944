from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jobcircle.api"
    label = "api"
    verbose_name = "接口"
