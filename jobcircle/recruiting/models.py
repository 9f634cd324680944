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
    interview_at = models.DateTimeField("面试时间", null=True, blank=True)
    interview_place = models.CharField("面试地点", max_length=200, blank=True)
    interview_link = models.URLField("线上面试链接", max_length=500, blank=True)
    started_on = models.DateField("入职日期", null=True, blank=True)
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


class ApplicationTransition(models.Model):
    """One step of an application through the pipeline (流转记录): who moved it, when, from where to where."""

    application = models.ForeignKey(
        Application, verbose_name="求职申请", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=16, choices=ApplicationStatus.choices)
    to_status = models.CharField("新状态", max_length=16, choices=ApplicationStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.RESTRICT)
    at = models.DateTimeField("操作时间", auto_now_add=True, db_index=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "申请流转记录"
        verbose_name_plural = "申请流转记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
