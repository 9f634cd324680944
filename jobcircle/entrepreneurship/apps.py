from django.apps import AppConfig


class EntrepreneurshipConfig(AppConfig):
    name = "jobcircle.entrepreneurship"
    verbose_name = "创业服务"
