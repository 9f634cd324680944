from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jobcircle.demo"
    label = "demo"
    verbose_name = "演示数据"
