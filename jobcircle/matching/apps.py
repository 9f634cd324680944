from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "jobcircle.matching"
    label = "matching"
    verbose_name = "匹配"
