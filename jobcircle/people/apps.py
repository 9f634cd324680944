from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jobcircle.people"
    label = "people"
    verbose_name = "居民"
