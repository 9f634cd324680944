from django.conf import settings
from django.db import models

from jobcircle.areas.querysets import AreaQuerySet
from jobcircle.common.models import TimeStampedModel
from jobcircle.common.workflow import TransitionLog

from .enums import APPLICATION_TRANSITIONS, EMPLOYER_SIDE_TARGETS, ApplicationStatus, JobFairKind, SignInChannel


class ApplicationQuerySet(AreaQuerySet):
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
    fair = models.ForeignKey(
        "recruiting.JobFair",
        verbose_name="来源招聘会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        help_text="在招聘会上达成就业意向的申请；之后的录用计入该招聘会。",
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

    @property
    def employer_next_states(self):
        """The moves the employer side may offer from here, as (value, label) in pipeline order."""
        allowed = APPLICATION_TRANSITIONS[self.status] & EMPLOYER_SIDE_TARGETS
        return [(value, label) for value, label in ApplicationStatus.choices if value in allowed]


class ApplicationTransition(TransitionLog):
    """One step of an application through the pipeline (流转记录): who moved it, when, from where to where;
    written only by ``recruiting.services.transition`` through the one workflow helper (common.workflow)."""

    application = models.ForeignKey(
        Application, verbose_name="求职申请", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=16, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=ApplicationStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "申请流转记录"
        verbose_name_plural = "申请流转记录"

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class JobFairQuerySet(AreaQuerySet):
    def in_period(self, date_from=None, date_to=None):
        qs = self
        if date_from:
            qs = qs.filter(starts_at__date__gte=date_from)
        if date_to:
            qs = qs.filter(starts_at__date__lte=date_to)
        return qs


class JobFair(TimeStampedModel):
    """A job fair (招聘会) organised by an area: on site, or online as 直播带岗 with a stream link.

    ``area_code`` is the organising area; staff of that area (and above) see and run it.
    ``sign_in_token`` is in the fair's QR code: residents scan it to sign in from the H5.
    """

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=24, choices=JobFairKind.choices, default=JobFairKind.COMPREHENSIVE)
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间")
    venue = models.CharField("举办地点", max_length=200, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    stream_link = models.URLField("直播链接", max_length=500, blank=True)
    area_code = models.CharField("主办区划代码", max_length=12, db_index=True)
    sign_in_token = models.CharField("签到码", max_length=32, unique=True, editable=False)
    closed_at = models.DateTimeField("结束签到时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = JobFairQuerySet.as_manager()

    class Meta:
        verbose_name = "招聘会"
        verbose_name_plural = "招聘会"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="job_fair_ends_after_start", condition=models.Q(ends_at__gte=models.F("starts_at"))
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_online(self):
        return self.kind == JobFairKind.LIVESTREAM

    @property
    def is_closed(self):
        return self.closed_at is not None


class FairEmployer(models.Model):
    """An employer taking part in a fair (参会企业) and the jobs it brings."""

    fair = models.ForeignKey(JobFair, verbose_name="招聘会", on_delete=models.CASCADE, related_name="participants")
    employer = models.ForeignKey(
        "employers.Employer", verbose_name="参会企业", on_delete=models.PROTECT, related_name="fair_entries"
    )
    jobs = models.ManyToManyField("employers.Job", verbose_name="带来的岗位", blank=True, related_name="fair_entries")
    booth = models.CharField("展位号", max_length=20, blank=True)

    class Meta:
        verbose_name = "参会企业"
        verbose_name_plural = "参会企业"
        constraints = [models.UniqueConstraint(fields=["fair", "employer"], name="fair_employer_once")]

    def __str__(self):
        return f"{self.fair} · {self.employer}"


class FairAttendance(models.Model):
    """A resident signed in at a fair (签到), by QR scan or by staff for a walk-in; once per fair."""

    fair = models.ForeignKey(JobFair, verbose_name="招聘会", on_delete=models.CASCADE, related_name="attendances")
    resident = models.ForeignKey(
        "people.Resident", verbose_name="求职者", on_delete=models.PROTECT, related_name="fair_attendances"
    )
    channel = models.CharField("签到方式", max_length=8, choices=SignInChannel.choices)
    signed_in_at = models.DateTimeField("签到时间", auto_now_add=True)
    signed_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签到操作人", on_delete=models.RESTRICT)

    class Meta:
        verbose_name = "招聘会签到"
        verbose_name_plural = "招聘会签到"
        ordering = ["signed_in_at", "id"]
        constraints = [models.UniqueConstraint(fields=["fair", "resident"], name="fair_sign_in_once")]

    def __str__(self):
        return f"{self.fair} · {self.resident}"


class LiaisonAssignmentQuerySet(AreaQuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)


class LiaisonAssignment(TimeStampedModel):
    """A liaison officer (人社服务专员) assigned to serve a key enterprise (包保).

    The officer is a staff user covering the enterprise's area; ``area_code`` is the enterprise's,
    so staff see the assignments in their area. Ending an assignment keeps its history.
    """

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人社服务专员",
        on_delete=models.RESTRICT,
        related_name="liaison_assignments",
    )
    employer = models.ForeignKey(
        "employers.Employer", verbose_name="包保企业", on_delete=models.PROTECT, related_name="liaison_assignments"
    )
    started_on = models.DateField("包保开始日期")
    ended_on = models.DateField("包保结束日期", null=True, blank=True)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="指派人", on_delete=models.RESTRICT, related_name="+"
    )

    objects = LiaisonAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "专员包保"
        verbose_name_plural = "专员包保"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "employer"], condition=models.Q(ended_on__isnull=True), name="liaison_active_once"
            )
        ]

    def __str__(self):
        return f"{self.officer} · {self.employer}"


class LiaisonVisit(models.Model):
    """A visit to an assigned enterprise (走访), with the hiring need found (用工需求)."""

    assignment = models.ForeignKey(
        LiaisonAssignment, verbose_name="专员包保", on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField("走访日期")
    needed_headcount = models.PositiveIntegerField("用工需求人数", default=0)
    needs = models.CharField("用工需求", max_length=500, blank=True)
    notes = models.CharField("走访记录", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.RESTRICT)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()
    scope_area_field = "assignment__area_code"  # the enterprise's area, through the assignment

    class Meta:
        verbose_name = "企业走访"
        verbose_name_plural = "企业走访"
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.assignment.employer} · {self.visited_on}"


class LiaisonRecommendation(models.Model):
    """A candidate the officer recommended to an assigned enterprise (推荐用工)."""

    assignment = models.ForeignKey(
        LiaisonAssignment, verbose_name="专员包保", on_delete=models.PROTECT, related_name="recommendations"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="推荐人选", on_delete=models.PROTECT, related_name="liaison_recommendations"
    )
    job = models.ForeignKey(
        "employers.Job", verbose_name="推荐岗位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommended_on = models.DateField("推荐日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.RESTRICT)

    objects = AreaQuerySet.as_manager()
    scope_area_field = "assignment__area_code"  # the enterprise's area, through the assignment

    class Meta:
        verbose_name = "推荐用工"
        verbose_name_plural = "推荐用工"
        ordering = ["-recommended_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "resident"], name="liaison_recommend_once"),
        ]

    def __str__(self):
        return f"{self.resident} → {self.assignment.employer}"
