from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "jobcircle.matching"
    label = "matching"
    verbose_name = "匹配"

    def ready(self):
        # local import: models (and the signals that name them) load only once the app registry is ready
        from django.db.models.signals import post_delete, post_save

        # local import: models load only once the app registry is ready (AppConfig.ready)
        from jobcircle.employers.models import Job

        from .index import invalidate  # local import: the index reads the models too

        post_save.connect(invalidate, sender=Job, dispatch_uid="matching.job_saved")
        post_delete.connect(invalidate, sender=Job, dispatch_uid="matching.job_deleted")
