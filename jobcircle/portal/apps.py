from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jobcircle.portal"
    label = "portal"
    verbose_name = "门户"
