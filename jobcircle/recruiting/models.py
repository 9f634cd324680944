from django.conf import settings
from django.db import models

from jobcircle.areas.scoping import ScopedQuerySet
from jobcircle.common.models import TimeStampedModel

from .enums import ApplicationStatus


class ApplicationQuerySet(ScopedQuerySet):
    pass


class Application(TimeStampedModel):
    """A resident's application to a job (求职申请). Write through recruiting.services only.

    ``area_code`` is the job's (its employer's community), so staff see the applications to
    jobs in their area; residents see their own and employers those to their jobs.
    """

    resident = models.ForeignKey(
        "people.Resident", verbose_name="求职者", on_delete=models.PROTECT, related_name="applications"
    )
    job = models.ForeignKey("employers.Job", verbose_name="岗位", on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        "状态", max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED, db_index=True
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = ApplicationQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id", "employer": "job__employer_id"}

    class Meta:
        verbose_name = "求职申请"
        verbose_name_plural = "求职申请"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["resident", "job"], name="application_once_per_job")]

    def __str__(self):
        return f"{self.resident} → {self.job}"
