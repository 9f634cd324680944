"""Casework ledgers: monthly monitoring, assistance cases, public-welfare posts, assistance workshops.

Every area-owned row carries the 12-digit ``area_code`` of the community it belongs to and the
scoped QuerySet. Write through the seams' services (``assistance/<seam>/services.py``) only.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from jobcircle.areas.querysets import AreaQuerySet
from jobcircle.common.models import TimeStampedModel
from jobcircle.common.workflow import TransitionLog
from jobcircle.people.enums import EmploymentStatus

from .enums import (
    CaseState,
    ImportKind,
    ImportState,
    NotEmployedReason,
    PlacementExitReason,
    PostAreaType,
    ServiceKind,
    ServiceSource,
    TaskState,
    WorkLocation,
    WorkshopStatus,
)

ZERO = Decimal("0")
MONEY = {"max_digits": 12, "decimal_places": 2}


# --- monthly monitoring (每月一监测一更新) ----------------------------------------


class MonitoringPolicy(models.Model):
    """Which residents a county monitors every month; without a row the defaults apply."""

    area_code = models.CharField("区县代码", max_length=12, unique=True)
    key_groups = models.ManyToManyField("people.KeyGroup", verbose_name="监测的重点群体", related_name="+")
    min_age = models.PositiveSmallIntegerField("劳动年龄下限", default=16)
    max_age = models.PositiveSmallIntegerField("劳动年龄上限", default=60)
    due_day = models.PositiveSmallIntegerField("每月完成期限（日）", default=25)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "监测范围设置"
        verbose_name_plural = "监测范围设置"
        constraints = [
            models.CheckConstraint(name="monitoring_policy_age_range", condition=Q(min_age__lte=models.F("max_age"))),
            models.CheckConstraint(name="monitoring_policy_due_day", condition=Q(due_day__gte=1, due_day__lte=31)),
        ]

    def __str__(self):
        return f"{self.area_code} 监测范围"


class MonitoringTaskQuerySet(AreaQuerySet):
    def for_month(self, month):
        return self.filter(month=month)

    def pending(self):
        return self.filter(state=TaskState.PENDING)

    def overdue(self, today):
        """Not done and past the due date."""
        return self.filter(state=TaskState.PENDING, due_on__lt=today)

    def lived_in(self, region):
        """Tasks counted where the person lived in the task's month (issue 16 defect 7).

        - recorded: the area of that month's record (a record takes the person's community when it is
          saved, so a person who moved is counted, done, where they were checked);
        - not recorded yet: the task's own area (where the person lived when the month's tasks were made).
        The month's records ledger is filtered by the record's area, so screen and export agree.
        """
        record_area = MonitoringRecord.objects.filter(resident=OuterRef("resident_id"), month=OuterRef("month"))
        month_area = Coalesce(Subquery(record_area.values("area_code")[:1]), F("area_code"))
        return self.alias(month_area=month_area).filter(month_area__startswith=region.scope_prefix)


class MonitoringTask(models.Model):
    """One resident to be checked in one month, assigned to their community's staff."""

    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="monitoring_tasks"
    )
    month = models.DateField("监测月份", help_text="当月1日")
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    state = models.CharField("状态", max_length=16, choices=TaskState.choices, default=TaskState.PENDING)
    due_on = models.DateField("完成期限")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任专干",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitoring_tasks",
    )
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    reminded_at = models.DateTimeField("最近提醒", null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField("提醒次数", default=0)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    objects = MonitoringTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "月度监测任务"
        verbose_name_plural = "月度监测任务"
        ordering = ["-month", "area_code", "id"]
        constraints = [models.UniqueConstraint(fields=["resident", "month"], name="monitoring_task_once_a_month")]
        indexes = [models.Index(fields=["area_code", "month", "state"])]

    def __str__(self):
        return f"{self.month:%Y年%m月} {self.resident}"

    def is_overdue(self, today):
        return self.state == TaskState.PENDING and self.due_on < today


class MonitoringTaskTransition(TransitionLog):
    """Log of a monitoring task's states (created pending or done, then done); written by ``TASK_WORKFLOW``."""

    task = models.ForeignKey(
        MonitoringTask, verbose_name="监测任务", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=16, choices=TaskState.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=TaskState.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "监测任务状态变更"
        verbose_name_plural = "监测任务状态变更"
        ordering = ["task", "at", "id"]


class MonitoringRecord(models.Model):
    """What the month's check found (one per person and month); the history of a person is their records."""

    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="monitoring_records"
    )
    month = models.DateField("监测月份")
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    task = models.OneToOneField(
        MonitoringTask, verbose_name="监测任务", null=True, blank=True, on_delete=models.SET_NULL, related_name="record"
    )
    employment_status = models.CharField("就业状态", max_length=24, choices=EmploymentStatus.choices)
    work_location = models.CharField("务工地点", max_length=16, choices=WorkLocation.choices, blank=True)
    employer_name = models.CharField("就业单位", max_length=100, blank=True)
    months_worked = models.PositiveSmallIntegerField("本年务工月数", default=0)
    monthly_income = models.DecimalField("月收入（元）", default=ZERO, **MONEY)
    not_employed_reason = models.CharField("未就业原因", max_length=24, choices=NotEmployedReason.choices, blank=True)
    wants_work = models.BooleanField("有就业意愿", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    source = models.CharField("来源", max_length=16, choices=ServiceSource.choices, default=ServiceSource.STAFF)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField("记录时间", auto_now=True)

    objects = AreaQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id"}

    class Meta:
        verbose_name = "月度监测记录"
        verbose_name_plural = "月度监测记录"
        ordering = ["resident", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "month"], name="monitoring_record_once_a_month"),
            models.CheckConstraint(name="monitoring_income_not_negative", condition=Q(monthly_income__gte=0)),
            models.CheckConstraint(name="monitoring_months_worked_range", condition=Q(months_worked__lte=12)),
        ]
        indexes = [models.Index(fields=["area_code", "month"])]

    def __str__(self):
        return f"{self.month:%Y年%m月} {self.resident} {self.get_employment_status_display()}"

    @property
    def is_working_away(self):
        return self.work_location in (WorkLocation.IN_PROVINCE, WorkLocation.OUT_OF_PROVINCE)


class MigrationBaseline(models.Model):
    """An officially reported count of people working away (外出务工) at a date, e.g. last year-end.

    Used as the comparison base when the system holds no monitoring records for that month.
    """

    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    as_of = models.DateField("统计时点")
    away_count = models.PositiveIntegerField("外出务工人数")
    source = models.CharField("数据来源", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "外出务工基数"
        verbose_name_plural = "外出务工基数"
        constraints = [models.UniqueConstraint(fields=["area_code", "as_of"], name="migration_baseline_once")]

    def __str__(self):
        return f"{self.area_code} {self.as_of} {self.away_count}人"


# --- assistance cases (一对一帮扶) --------------------------------------------------


class AssistanceCaseQuerySet(AreaQuerySet):
    def open(self):
        return self.filter(state=CaseState.OPEN)


class AssistanceCase(TimeStampedModel):
    """One-on-one assistance for a person who wants work but has none; state changes through ``transition``."""

    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="assistance_cases"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    state = models.CharField("状态", max_length=16, choices=CaseState.choices, default=CaseState.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="帮扶责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistance_cases",
    )
    opened_on = models.DateField("立案日期")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    opened_reason = models.CharField("立案原因", max_length=200, blank=True)

    objects = AssistanceCaseQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id"}

    class Meta:
        verbose_name = "帮扶对象"
        verbose_name_plural = "帮扶对象"
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(state=CaseState.OPEN), name="one_open_assistance_case_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.resident} 帮扶（{self.get_state_display()}）"


class CaseTransition(TransitionLog):
    """Log of every state change of a case (who, when, from, to, why); written by ``CASE_WORKFLOW``."""

    case = models.ForeignKey(
        AssistanceCase, verbose_name="帮扶对象", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=16, choices=CaseState.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=CaseState.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "帮扶状态变更"
        verbose_name_plural = "帮扶状态变更"
        ordering = ["case", "at", "id"]


class CaseService(models.Model):
    """A service given to a person under assistance: guidance, a job pushed, a training referral, a post offered."""

    case = models.ForeignKey(AssistanceCase, verbose_name="帮扶对象", on_delete=models.CASCADE, related_name="services")
    kind = models.CharField("服务类型", max_length=16, choices=ServiceKind.choices)
    provided_on = models.DateField("服务日期")
    note = models.CharField("服务内容", max_length=300, blank=True)
    job = models.ForeignKey(
        "employers.Job", verbose_name="推送岗位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField("来源", max_length=16, choices=ServiceSource.choices, default=ServiceSource.STAFF)
    reference = models.CharField("来源编号", max_length=64, blank=True, help_text="推送记录等外部编号，防止重复记录")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮扶服务"
        verbose_name_plural = "帮扶服务"
        ordering = ["case", "provided_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "source", "reference"], condition=~Q(reference=""), name="case_service_reference_once"
            ),
        ]

    def __str__(self):
        return f"{self.provided_on} {self.get_kind_display()}"


# --- public-welfare posts (公益性岗位) ---------------------------------------------


class WelfarePost(TimeStampedModel):
    """A public-welfare post developed by the bureau: where, which unit, how many, pay and subsidy, term."""

    code = models.CharField("岗位编号", max_length=32, unique=True)
    name = models.CharField("岗位名称", max_length=100)
    area_type = models.CharField("岗位类别", max_length=16, choices=PostAreaType.choices)
    community = models.ForeignKey(
        "areas.Region", verbose_name="所在社区/村", on_delete=models.PROTECT, related_name="welfare_posts"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    unit_name = models.CharField("用人单位", max_length=100)
    headcount = models.PositiveSmallIntegerField("岗位数（人）")
    monthly_pay = models.DecimalField("月工资（元）", **MONEY)
    monthly_subsidy = models.DecimalField("月岗位补贴（元）", **MONEY)
    term_start = models.DateField("开发日期")
    term_end = models.DateField("岗位期满日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "公益性岗位"
        verbose_name_plural = "公益性岗位"
        ordering = ["area_code", "code"]
        constraints = [
            models.CheckConstraint(name="welfare_post_headcount_positive", condition=Q(headcount__gte=1)),
            models.CheckConstraint(name="welfare_post_pay_not_negative", condition=Q(monthly_pay__gte=0)),
            models.CheckConstraint(name="welfare_post_subsidy_not_negative", condition=Q(monthly_subsidy__gte=0)),
            models.CheckConstraint(name="welfare_post_term_order", condition=Q(term_end__gte=models.F("term_start"))),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class WelfarePlacementQuerySet(AreaQuerySet):
    def active(self):
        return self.filter(exited_on__isnull=True)

    def on_duty_between(self, start, end):
        """Placements that were on the post at some time between the two dates (inclusive)."""
        return self.filter(started_on__lte=end).filter(Q(exited_on__isnull=True) | Q(exited_on__gte=start))


class WelfarePlacement(TimeStampedModel):
    """A person placed on a public-welfare post; active until ``exited_on`` is set. One active per person."""

    post = models.ForeignKey(
        WelfarePost, verbose_name="公益性岗位", on_delete=models.PROTECT, related_name="placements"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="welfare_placements"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    started_on = models.DateField("上岗日期")
    planned_end_on = models.DateField("协议期满日期")
    exited_on = models.DateField("离岗日期", null=True, blank=True)
    exit_reason = models.CharField("离岗原因", max_length=16, choices=PlacementExitReason.choices, blank=True)
    monthly_subsidy = models.DecimalField("月岗位补贴（元）", **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = WelfarePlacementQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id"}

    class Meta:
        verbose_name = "公益性岗位安置"
        verbose_name_plural = "公益性岗位安置"
        ordering = ["area_code", "-started_on", "id"]
        constraints = [
            # SEC-32: a person holds at most one public-welfare post at a time.
            models.UniqueConstraint(
                fields=["resident"], condition=Q(exited_on__isnull=True), name="one_active_welfare_placement_per_person"
            ),
            models.UniqueConstraint(fields=["resident", "post", "started_on"], name="welfare_placement_once_per_start"),
            models.CheckConstraint(name="welfare_placement_subsidy_not_negative", condition=Q(monthly_subsidy__gte=0)),
            models.CheckConstraint(
                name="welfare_placement_exit_after_start",
                condition=Q(exited_on__isnull=True) | Q(exited_on__gte=models.F("started_on")),
            ),
            models.CheckConstraint(
                name="welfare_placement_term_order", condition=Q(planned_end_on__gte=models.F("started_on"))
            ),
        ]

    def __str__(self):
        return f"{self.resident} @ {self.post}"

    @property
    def is_active(self):
        return self.exited_on is None


class WelfareSubsidyPayment(models.Model):
    """The post subsidy disbursed for one placement and month (never twice: unique per placement and month)."""

    placement = models.ForeignKey(
        WelfarePlacement, verbose_name="安置记录", on_delete=models.PROTECT, related_name="payments"
    )
    month = models.DateField("补贴月份")
    amount = models.DecimalField("金额（元）", **MONEY)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    paid_on = models.DateField("拨付日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "公益性岗位补贴拨付"
        verbose_name_plural = "公益性岗位补贴拨付"
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="welfare_payment_once_a_month"),
            models.CheckConstraint(name="welfare_payment_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self):
        return f"{self.month:%Y年%m月} {self.amount}元"


# --- assistance workshops (就业帮扶车间) ---------------------------------------------


class Workshop(TimeStampedModel):
    """A certified assistance workshop; ``status`` follows its latest monthly check."""

    code = models.CharField("车间编号", max_length=32, unique=True)
    name = models.CharField("车间名称", max_length=100)
    community = models.ForeignKey(
        "areas.Region", verbose_name="所在社区/村", on_delete=models.PROTECT, related_name="workshops"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    operator_name = models.CharField("经营主体", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    certified_on = models.DateField("认定日期")
    status = models.CharField("运行状态", max_length=16, choices=WorkshopStatus.choices, default=WorkshopStatus.NORMAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "就业帮扶车间"
        verbose_name_plural = "就业帮扶车间"
        ordering = ["area_code", "code"]

    def __str__(self):
        return self.name


class WorkshopCheck(models.Model):
    """The monthly check of a workshop: operating status, workers, poverty-alleviated and monitored workers
    (reports say "其中脱贫人口和监测对象", the sum of the two), subsidy."""

    workshop = models.ForeignKey(Workshop, verbose_name="帮扶车间", on_delete=models.CASCADE, related_name="checks")
    month = models.DateField("检查月份")
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    status = models.CharField("运行状态", max_length=16, choices=WorkshopStatus.choices)
    workers = models.PositiveIntegerField("务工人数")
    poverty_workers = models.PositiveIntegerField("其中脱贫人口")
    monitored_workers = models.PositiveIntegerField("其中监测对象", default=0)
    subsidy_granted = models.DecimalField("本月补贴（元）", default=ZERO, **MONEY)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField("记录时间", auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "帮扶车间月度检查"
        verbose_name_plural = "帮扶车间月度检查"
        ordering = ["workshop", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "month"], name="workshop_check_once_a_month"),
            models.CheckConstraint(
                name="workshop_poverty_within_workers", condition=Q(poverty_workers__lte=models.F("workers"))
            ),
            models.CheckConstraint(
                name="workshop_key_workers_within_workers",
                condition=Q(poverty_workers__lte=models.F("workers") - models.F("monitored_workers")),
            ),
            models.CheckConstraint(name="workshop_subsidy_not_negative", condition=Q(subsidy_granted__gte=0)),
        ]

    def __str__(self):
        return f"{self.workshop} {self.month:%Y年%m月}"


# --- Excel imports ------------------------------------------------------------------


class ImportBatch(models.Model):
    """One uploaded ledger file: checked (dry run), then applied in one transaction (SEC-34).

    Keyed by the file's SHA-256: the same file applied twice is recognised and changes nothing.
    """

    kind = models.CharField("台账类型", max_length=24, choices=ImportKind.choices)
    state = models.CharField("状态", max_length=16, choices=ImportState.choices, default=ImportState.QUEUED)
    sha256 = models.CharField("文件摘要", max_length=64, db_index=True)
    original_name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField("存储名", max_length=64, editable=False)
    size = models.PositiveIntegerField("文件大小（字节）", default=0)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT)
    progress = models.ForeignKey(
        "common.TaskProgress", verbose_name="进度", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("无变化", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    error_file = models.CharField("错误清单文件", max_length=64, blank=True, editable=False)
    message = models.CharField("说明", max_length=500, blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name="与之相同的批次", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "台账导入批次"
        verbose_name_plural = "台账导入批次"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "sha256"], condition=Q(state=ImportState.APPLIED), name="import_file_applied_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def is_finished(self):
        return self.state not in (ImportState.QUEUED, ImportState.CHECKING, ImportState.APPLYING)
