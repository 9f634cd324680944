"""精准送岗 records: a run per area and day, its partitions, the pushes and the seekers' inbox.

Re-running a day changes nothing: a run is unique per (day, area), a partition per (day, area),
a push per (resident, day, job) and an inbox message per (resident, kind, day).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from jobcircle.areas.querysets import AreaQuerySet


class PushRun(models.Model):
    """One push for an area on a day (``manage.py push_jobs`` or the back office)."""

    pushed_on = models.DateField("推送日期")
    area_code = models.CharField("区划代码", max_length=12)
    k = models.PositiveSmallIntegerField("每人岗位数")
    capacity_factor = models.PositiveSmallIntegerField("岗位容量系数")
    partition_level = models.CharField("分区层级", max_length=16)
    progress = models.ForeignKey(
        "common.TaskProgress", verbose_name="进度", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "精准送岗批次"
        verbose_name_plural = "精准送岗批次"
        ordering = ["-pushed_on", "area_code"]
        constraints = [models.UniqueConstraint(fields=["pushed_on", "area_code"], name="push_run_once_per_day")]

    def __str__(self):
        return f"{self.pushed_on} {self.area_code}"


class PartitionStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "计算中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class PushPartition(models.Model):
    """The seekers of one area (a county, or smaller) handled by one background task."""

    run = models.ForeignKey(PushRun, verbose_name="批次", on_delete=models.CASCADE, related_name="partitions")
    pushed_on = models.DateField("推送日期")
    area_code = models.CharField("区划代码", max_length=12)
    status = models.CharField("状态", max_length=16, choices=PartitionStatus.choices, default=PartitionStatus.PENDING)
    seekers = models.PositiveIntegerField("求职者数", default=0)
    pushes = models.PositiveIntegerField("推送岗位数", default=0)
    messages = models.PositiveIntegerField("站内信数", default=0)
    stats = models.JSONField("计算统计", default=dict, blank=True)
    worker = models.CharField("执行进程", max_length=100, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    error = models.TextField("错误", blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "送岗分区"
        verbose_name_plural = "送岗分区"
        ordering = ["pushed_on", "area_code"]
        constraints = [models.UniqueConstraint(fields=["pushed_on", "area_code"], name="push_partition_once_per_day")]

    def __str__(self):
        return f"{self.pushed_on} {self.area_code} {self.get_status_display()}"


class PushReach(models.Model):
    """Job seekers per H3 resolution-7 cell, partition and accepted distance, counted once per run.

    Every partition of the run reads the same counts to split the capacity of jobs that seekers
    of several partitions can reach (``push.partition_capacity``).
    """

    run = models.ForeignKey(PushRun, verbose_name="批次", on_delete=models.CASCADE, related_name="+")
    part = models.CharField("分区代码", max_length=12)
    h3_r5 = models.BigIntegerField("H3格网（5级）")
    h3_r7 = models.BigIntegerField("H3格网（7级）")
    max_distance_km = models.DecimalField("最远通勤距离（公里）", max_digits=4, decimal_places=1, null=True)
    seekers = models.PositiveIntegerField("求职者数")

    class Meta:
        verbose_name = "求职者分布（按格网）"
        verbose_name_plural = "求职者分布（按格网）"
        indexes = [models.Index(fields=["run", "h3_r5"])]

    def __str__(self):
        return f"{self.part} {self.h3_r7} {self.seekers}"


class InboxMessage(models.Model):
    """站内信: what a resident sees in their inbox, of any kind.

    - a job push (精准送岗) is one message a day listing its jobs (``pushes``);
    - any other kind (interview invitation, offer, fair reminder, subsidy notice…) carries its own
      ``title``, ``body`` and an optional ``link`` inside the site; the H5 shows every kind the same way.
    """

    class Kind(models.TextChoices):
        JOB_PUSH = "job_push", "岗位推送"
        INTERVIEW = "interview", "面试邀请"
        OFFER = "offer", "录用通知"
        FAIR_REMINDER = "fair_reminder", "招聘会提醒"
        SUBSIDY = "subsidy", "补贴通知"

    class SmsStatus(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        NO_PHONE = "no_phone", "无手机号"
        IN_APP = "in_app", "仅站内信"  # a text already went out this week and the person did not ask for more

    # The unique constraint below indexes resident first; no separate FK index. No database FK
    # constraint, as for JobPush: a province push writes two million of these in a day.
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", on_delete=models.CASCADE, related_name="inbox_messages", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    kind = models.CharField("类型", max_length=32, choices=Kind.choices, default=Kind.JOB_PUSH)
    pushed_on = models.DateField("日期")
    title = models.CharField("标题", max_length=100)
    # db_default too: the push writes rows with COPY naming only its own columns.
    body = models.TextField("正文", blank=True, default="", db_default="")
    link = models.CharField(
        "链接", max_length=200, blank=True, default="", db_default="", help_text="站内路径，如 /m/applications/"
    )
    area_code = models.CharField("区划代码", max_length=12)
    created_at = models.DateTimeField("创建时间")
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    sms_status = models.CharField("短信状态", max_length=16, choices=SmsStatus.choices, default=SmsStatus.PENDING)
    sms_sent_at = models.DateTimeField("短信发送时间", null=True, blank=True)

    objects = AreaQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id"}

    class Meta:
        verbose_name = "站内信"
        verbose_name_plural = "站内信"
        ordering = ["-pushed_on", "-id"]
        constraints = [
            # One push a day; other kinds (one per invitation, offer…) may come several a day.
            models.UniqueConstraint(
                fields=["resident", "kind", "pushed_on"],
                name="inbox_once_per_kind_and_day",
                condition=models.Q(kind="job_push"),
            )  # fmt: skip
        ]
        indexes = [models.Index(fields=["pushed_on", "area_code"])]

    def __str__(self):
        return self.title

    @property
    def kind_label(self):
        """The kind's Chinese label; a kind added by a newer sender than this code shows as 通知."""
        return dict(self.Kind.choices).get(self.kind, "通知")

    @property
    def pushes(self):
        return JobPush.objects.filter(resident_id=self.resident_id, pushed_on=self.pushed_on).order_by("rank")


class PushSource(models.TextChoices):
    BATCH = "batch", "每日批量"
    JOB = "job", "岗位发布即推"
    SEEKER = "seeker", "求职登记即推"


class JobPush(models.Model):
    """One job pushed to one seeker on one day, with the score components that explain it."""

    # Indexed by the unique constraint (resident, day, job) and (day, area); no FK indexes.
    # No database FK constraints either (docs/decisions/matching-push.md): a province day
    # writes millions of rows and the per-row key-share checks doubled the write. Deletion still
    # cascades (Django's collector), and rows are only ever written from ids just read.
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", on_delete=models.CASCADE, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    job = models.ForeignKey(
        "employers.Job", verbose_name="岗位", on_delete=models.CASCADE, related_name="pushes", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    pushed_on = models.DateField("推送日期")
    rank = models.PositiveSmallIntegerField("排序")
    score = models.FloatField("匹配分")
    distance_m = models.FloatField("距离（米）")
    occupation_match = models.PositiveSmallIntegerField("职业匹配级别")  # 0 无, 1 同中类, 2 同小类, 3 同职业
    skill_overlap = models.PositiveSmallIntegerField("匹配技能数")
    pay_fit = models.BooleanField("薪资符合期望")
    area_code = models.CharField("区划代码", max_length=12)
    # db_default: the batch COPYs its columns and leaves this one to the database.
    source = models.CharField(
        "推送方式", max_length=8, choices=PushSource.choices, default=PushSource.BATCH, db_default=PushSource.BATCH
    )

    objects = AreaQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id", "employer": "job__employer_id"}

    class Meta:
        verbose_name = "岗位推送"
        verbose_name_plural = "岗位推送"
        ordering = ["-pushed_on", "resident", "rank"]
        # Day before job: the index also serves the history check (a resident's pushes within the
        # window), which then reads the window's entries only, not every push the resident ever had.
        constraints = [
            models.UniqueConstraint(fields=["resident", "pushed_on", "job"], name="push_once_per_day_and_job")
        ]
        # No (job, day) index: the application closes jobs and never deletes them, and maintaining
        # it was 40 % of writing a province partition's pushes (docs/decisions/matching-push.md).
        # A job's real-time pushes of a day, which its capacity shares with the batch (cadence.pushed_today).
        # Partial: the batch's rows (nearly all) skip it, so the daily COPY does not pay for it.
        indexes = [
            models.Index(fields=["pushed_on", "area_code"]),
            models.Index(fields=["pushed_on", "job"], name="push_realtime_by_job", condition=~models.Q(source="batch")),
        ]

    def __str__(self):
        return f"{self.pushed_on} {self.resident_id} → {self.job_id}"


class PushCadence(models.Model):
    """推送频次: how often a person may get a job-push message, editable per area and key group.

    - ``area_code`` "" is every area; a region's code (county, township) overrides it inside that region.
    - ``key_group_code`` "" is everyone without a rule of their own; a key group's row applies to its
      members (the shortest period among a person's groups).
    """

    area_code = models.CharField("区划代码", max_length=12, blank=True, help_text="留空：全部地区")
    key_group_code = models.CharField("重点群体", max_length=40, blank=True, help_text="留空：其他所有求职者")
    period_days = models.PositiveSmallIntegerField(
        "推送间隔（天）", validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "推送频次"
        verbose_name_plural = "推送频次"
        ordering = ["area_code", "key_group_code"]
        constraints = [
            models.UniqueConstraint(fields=["area_code", "key_group_code"], name="push_cadence_once_per_group"),
            models.CheckConstraint(
                condition=models.Q(period_days__gte=1, period_days__lte=90), name="push_cadence_period_range"
            ),
        ]

    def __str__(self):
        return f"{self.area_code or '全部'} {self.key_group_code or '默认'} {self.period_days}天"
