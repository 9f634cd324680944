"""The schedule as data: one entry per recurring job and county, one run row per slot (定时任务)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from jobcircle.areas.querysets import AreaQuerySet

from .enums import RunState, Trigger


class ScheduleEntry(models.Model):
    """When one job runs for one county ("" = the whole deployment: backups, purges), and whether it runs.

    ``since`` is where the schedule starts counting: slots before it are never run or caught up (a new
    entry, or one whose time was changed, does not run the slots of its old time).
    """

    job = models.CharField("任务", max_length=40)
    area_code = models.CharField("区县代码", max_length=12, blank=True, help_text="空：全系统的任务")
    cron = models.CharField("执行时间（cron 表达式）", max_length=100)
    enabled = models.BooleanField("启用", default=True)
    since = models.DateTimeField("计划起点")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = "定时任务"
        ordering = ["area_code", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "area_code"], name="scheduling_entry_one_per_county")]

    def __str__(self):
        return f"{self.job} {self.area_code or '全系统'}"


class ScheduledRun(models.Model):
    """One run of an entry: a slot (entry, scheduled time) claimed once, then queued, run and finished.

    The unique slot is what makes two schedulers, or a restart, run a slot only once: the second
    insert fails and that scheduler enqueues nothing. A manual run's slot is the moment it was asked.
    """

    entry = models.ForeignKey(ScheduleEntry, verbose_name="定时任务", on_delete=models.PROTECT, related_name="runs")
    area_code = models.CharField("区县代码", max_length=12, blank=True)
    slot = models.DateTimeField("计划时间")
    trigger = models.CharField("触发方式", max_length=16, choices=Trigger.choices, default=Trigger.SCHEDULE)
    state = models.CharField("状态", max_length=16, choices=RunState.choices, default=RunState.QUEUED)
    enqueued_at = models.DateTimeField("排队时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    summary = models.CharField("结果", max_length=500, blank=True)
    task_id = models.CharField("后台任务编号", max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"
        ordering = ["-slot", "-id"]
        constraints = [models.UniqueConstraint(fields=["entry", "slot"], name="scheduling_run_one_per_slot")]

    def __str__(self):
        return f"{self.entry} {self.slot:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        """How long the job ran (None until it has finished)."""
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def duration_text(self) -> str:
        """用时 as people read it: 不到1秒, 12秒, 3分5秒, 1时2分."""
        if self.duration is None:
            return ""
        seconds = int(self.duration.total_seconds())
        if seconds < 1:
            return "不到1秒"
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}时{minutes}分" if hours else (f"{minutes}分{seconds}秒" if minutes else f"{seconds}秒")
