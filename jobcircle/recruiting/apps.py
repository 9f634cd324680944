from django.apps import AppConfig


class RecruitingConfig(AppConfig):
    name = "jobcircle.recruiting"
    label = "recruiting"
    verbose_name = "招聘"
