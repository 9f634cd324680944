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
        # local import: the signals and the tasks that receive them, once the registry is ready
        from jobcircle.employers.signals import job_opened

        # local import: as above (a signal of the layer below, connected once the registry is ready)
        from jobcircle.people.signals import job_seeker_changed

        from .tasks import on_job_opened, on_job_seeker_changed  # local import: tasks read the models

        job_opened.connect(on_job_opened, dispatch_uid="matching.push_job")
        job_seeker_changed.connect(on_job_seeker_changed, dispatch_uid="matching.push_seeker")
        post_delete.connect(invalidate, sender=Job, dispatch_uid="matching.job_deleted")
