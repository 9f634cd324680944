from django.apps import AppConfig


class GigsConfig(AppConfig):
    name = "jobcircle.gigs"
    verbose_name = "零工市场与共享员工"
