from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "jobcircle.risk"
    label = "risk"
    verbose_name = "规模性失业与防返贫监测预警"
