from django.apps import AppConfig


class ClassificationsConfig(AppConfig):
    name = "jobcircle.classifications"
    label = "classifications"
    verbose_name = "分类代码"
