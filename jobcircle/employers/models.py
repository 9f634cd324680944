import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from jobcircle.areas.models import LocatedModel, LocatedQuerySet
from jobcircle.common import pii
from jobcircle.common.models import TimeStampedModel
from jobcircle.common.workflow import TransitionLog
from jobcircle.people.enums import Education, WorkType

from .enums import (
    EXPIRED,
    NOT_YET_VALID,
    SHOWN_JOB_STATUSES,
    EmployerSize,
    EmployerStatus,
    EmployerType,
    JobStatus,
    ReviewResult,
)


class EmployerQuerySet(LocatedQuerySet):
    def active(self):
        """Employers in standing (正常): what reports count as 注册用工单位; only they post jobs."""
        return self.filter(status=EmployerStatus.ACTIVE)


class Employer(TimeStampedModel, LocatedModel):
    """用工单位 (enterprise, 个体工商户, village collective …), identified by its 统一社会信用代码."""

    name = models.CharField("单位名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    employer_type = models.CharField(
        "单位类型", max_length=24, choices=EmployerType.choices, default=EmployerType.ENTERPRISE
    )
    industry = models.ForeignKey(
        "classifications.Industry",
        verbose_name="所属行业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employers",
    )
    size = models.CharField("企业规模", max_length=16, choices=EmployerSize.choices, default=EmployerSize.SMALL)
    address = models.CharField("单位地址", max_length=200)
    community = models.ForeignKey(
        "areas.Region", verbose_name="所属社区/村", on_delete=models.PROTECT, related_name="employers"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone_encrypted = models.TextField("联系电话（密文）", editable=False)
    contact_phone_hash = models.CharField("联系电话索引", max_length=64, db_index=True, editable=False)
    contact_phone_masked = models.CharField("联系电话（脱敏）", max_length=16, editable=False)
    is_key_enterprise = models.BooleanField("重点企业（白名单）", default=False)
    # Changed only by ``employers.services.transition_employer`` (the workflow helper, with its log).
    status = models.CharField(
        "单位状态", max_length=16, choices=EmployerStatus.choices, default=EmployerStatus.ACTIVE, db_index=True
    )

    objects = EmployerQuerySet.as_manager()
    scope_owner_fields = {"employer": "pk"}

    class Meta:
        verbose_name = "用工单位"
        verbose_name_plural = "用工单位"
        ordering = ["area_code", "id"]

    def __str__(self):
        return self.name

    set_contact_phone = pii.PIIField("contact_phone", kind="phone", mask=pii.mask_phone)  # common.pii.PIIField

    @property
    def is_active(self) -> bool:
        return self.status == EmployerStatus.ACTIVE


class JobQuerySet(LocatedQuerySet):
    def open(self, today=None):
        """Jobs a resident can apply to: open, and today inside their validity (SEC-40)."""
        today = today or timezone.localdate()
        return self.filter(status=JobStatus.OPEN, valid_from__lte=today, valid_until__gte=today)

    def with_published_at(self):
        """Annotate ``published_at``: the job's first publication (its first JobTransition to 招聘中), or None.

        A job paused and re-opened, or re-opened after review, is published once, when it first opened.
        """
        first = JobTransition.objects.filter(job=models.OuterRef("pk"), to_status=JobStatus.OPEN).order_by("at", "id")
        return self.annotate(published_at=models.Subquery(first.values("at")[:1]))

    def published_between(self, start, end):
        """Jobs first published between two dates (both inclusive, local days): 发布岗位 for a period."""
        moments = [timezone.make_aware(datetime.datetime.combine(day, datetime.time())) for day in (start, end)]
        return self.with_published_at().filter(
            published_at__gte=moments[0], published_at__lt=moments[1] + datetime.timedelta(days=1)
        )

    def shown_as(self, shown_status, today=None):
        """Jobs a list shows with ``shown_status`` (enums.SHOWN_JOB_STATUSES): the one meaning of 招聘中.

        - 招聘中 (open) → ``open()``: status open and today inside the validity;
        - 已过期 → status open, validity ended; 未到有效期 → status open, validity not begun;
        - any other status → that stored status.
        """
        today = today or timezone.localdate()
        if shown_status == JobStatus.OPEN:
            return self.open(today)
        if shown_status == EXPIRED:
            return self.filter(status=JobStatus.OPEN, valid_until__lt=today)
        if shown_status == NOT_YET_VALID:
            return self.filter(status=JobStatus.OPEN, valid_from__gt=today)
        return self.filter(status=shown_status)


class Job(TimeStampedModel, LocatedModel):
    """岗位. Every mandatory posting element (SEC-40) is a required field."""

    employer = models.ForeignKey(Employer, verbose_name="用工单位", on_delete=models.PROTECT, related_name="jobs")
    title = models.CharField("岗位名称", max_length=100)
    occupation = models.ForeignKey(
        "classifications.Occupation", verbose_name="职业", on_delete=models.PROTECT, related_name="jobs"
    )
    headcount = models.PositiveIntegerField("招聘人数")
    pay_min = models.PositiveIntegerField("月薪下限（元）")
    pay_max = models.PositiveIntegerField("月薪上限（元）")
    work_type = models.CharField("工作类型", max_length=16, choices=WorkType.choices, default=WorkType.FULL_TIME)
    education_min = models.PositiveSmallIntegerField("最低学历", choices=Education.choices, default=Education.NONE)
    age_min = models.PositiveSmallIntegerField("最低年龄", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("最高年龄", null=True, blank=True)
    skills = models.JSONField("技能要求", default=list, blank=True)
    description = models.TextField("工作内容", max_length=5000)
    requirements = models.TextField("招聘条件", max_length=5000)
    benefits = models.TextField("福利待遇", max_length=2000, blank=True)
    work_address = models.CharField("工作地点", max_length=200)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期止")
    status = models.CharField("状态", max_length=16, choices=JobStatus.choices, default=JobStatus.DRAFT, db_index=True)
    review_result = models.CharField(
        "合规审查结果", max_length=16, choices=ReviewResult.choices, default=ReviewResult.PASSED
    )
    review_hits = models.JSONField("合规审查命中", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = JobQuerySet.as_manager()
    scope_owner_fields = {"employer": "employer_id"}

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        ordering = ["-valid_from", "id"]
        indexes = [models.Index(fields=["status", "h3_r7"]), models.Index(fields=["status", "h3_r5"])]
        constraints = [
            models.CheckConstraint(name="job_headcount_positive", condition=models.Q(headcount__gt=0)),
            models.CheckConstraint(name="job_pay_range", condition=models.Q(pay_max__gte=models.F("pay_min"))),
            models.CheckConstraint(name="job_valid_range", condition=models.Q(valid_until__gte=models.F("valid_from"))),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        today = timezone.localdate()
        return self.status == JobStatus.OPEN and self.valid_from <= today <= self.valid_until

    @property
    def shown_status(self) -> str:
        """The status lists show (``JobQuerySet.shown_as``): an open job outside its validity is not 招聘中."""
        if self.status != JobStatus.OPEN:
            return self.status
        today = timezone.localdate()
        return EXPIRED if self.valid_until < today else NOT_YET_VALID if self.valid_from > today else self.status

    def get_shown_status_display(self) -> str:
        return dict(SHOWN_JOB_STATUSES)[self.shown_status]


class JobTransition(TransitionLog):
    """One change of a job's status (发布、送审、审核通过、退回、暂停、关闭…), written only by
    ``employers.services.transition_job`` through the one workflow helper (common.workflow)."""

    job = models.ForeignKey(Job, verbose_name="岗位", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("原状态", max_length=16, choices=JobStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=JobStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "岗位状态变更"
        verbose_name_plural = "岗位状态变更"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.job_id}: {self.from_status} → {self.to_status}"


class EmployerTransition(TransitionLog):
    """One change of an employer's status (停用、注销、恢复正常), written only by
    ``employers.services.transition_employer`` through the one workflow helper (common.workflow)."""

    employer = models.ForeignKey(
        Employer, verbose_name="用工单位", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=16, choices=EmployerStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=EmployerStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "用工单位状态变更"
        verbose_name_plural = "用工单位状态变更"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.employer_id}: {self.from_status} → {self.to_status}"
