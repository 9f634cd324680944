from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "jobcircle.communities"
    label = "communities"
    verbose_name = "“三公里”充分就业社区"
