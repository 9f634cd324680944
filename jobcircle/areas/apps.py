from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "jobcircle.areas"
    label = "areas"
    verbose_name = "行政区划与服务站"
