from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "jobcircle.employers"
    label = "employers"
    verbose_name = "用工单位与岗位"
