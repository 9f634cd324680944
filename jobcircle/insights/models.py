from django.conf import settings
from django.db import models

from jobcircle.areas.querysets import AreaQuerySet


class PageVisitDaily(models.Model):
    """Human page views per day and area, counted server-side (bots excluded)."""

    day = models.DateField("日期")
    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    count = models.PositiveIntegerField("访问量", default=0)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "页面访问量（日）"
        verbose_name_plural = "页面访问量（日）"
        constraints = [models.UniqueConstraint(fields=["day", "area_code"], name="page_visit_one_row_per_day_area")]

    def __str__(self):
        return f"{self.day} {self.area_code} {self.count}"


class WorkReportNotes(models.Model):
    """二、存在问题 and 三、下步打算 of an area's period report, typed by staff and kept per period."""

    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    problems = models.TextField("存在问题", blank=True)
    plans = models.TextField("下步打算", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "工作报告问题与打算"
        verbose_name_plural = "工作报告问题与打算"
        constraints = [
            models.UniqueConstraint(fields=["area_code", "period_start", "period_end"], name="work_report_notes_once")
        ]

    def __str__(self):
        return f"{self.area_code} {self.period_start}~{self.period_end}"


class WorkReport(models.Model):
    """A work report (工作情况汇报) as issued: frozen figures and parameters, the .docx and the appendix."""

    class Status(models.TextChoices):
        PENDING = "pending", "生成中"
        ISSUED = "issued", "已生成"
        FAILED = "failed", "生成失败"

    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    area_name = models.CharField("区划名称", max_length=100)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    period_label = models.CharField("期间", max_length=60)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    problems = models.TextField("存在问题", blank=True)
    plans = models.TextField("下步打算", blank=True)
    paragraphs = models.JSONField("主要工作及成效", default=list, blank=True)
    moved = models.JSONField("与上次生成相比变动的指标", default=list, blank=True)
    docx = models.BinaryField("Word文档", blank=True, default=bytes)
    xlsx = models.BinaryField("附表", blank=True, default=bytes)
    progress = models.ForeignKey(
        "common.TaskProgress", verbose_name="进度", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    issued_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "工作报告"
        verbose_name_plural = "工作报告"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.area_name}{self.period_label}工作报告"


class WorkReportFigure(models.Model):
    """One figure of an issued report for one area (the report's area or a township of its appendix)."""

    report = models.ForeignKey(WorkReport, verbose_name="工作报告", on_delete=models.CASCADE, related_name="figures")
    code = models.CharField("指标代码", max_length=40)
    label = models.CharField("指标", max_length=100)
    unit = models.CharField("单位", max_length=8)
    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    area_name = models.CharField("区划名称", max_length=100)
    value = models.DecimalField("数值", max_digits=16, decimal_places=2, null=True)
    previous = models.DecimalField("上期", max_digits=16, decimal_places=2, null=True)
    last_year = models.DecimalField("去年同期", max_digits=16, decimal_places=2, null=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "工作报告指标"
        verbose_name_plural = "工作报告指标"
        constraints = [models.UniqueConstraint(fields=["report", "code", "area_code"], name="work_report_figure_once")]

    def __str__(self):
        return f"{self.area_name} {self.label} {self.value}"


# --- 目标任务 and 重点任务分工 (issue 16): written by insights.plans only --------------------------------


class Target(models.Model):
    """目标任务: the yearly target of an area for one registered figure (insights.figures); a county's
    target is split down to its townships as rows of their own (``parent`` names the row split)."""

    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    figure_code = models.CharField("指标代码", max_length=40)
    value = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    parent = models.ForeignKey(
        "self", verbose_name="分解自", null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="下达人", on_delete=models.RESTRICT)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "目标任务"
        verbose_name_plural = "目标任务"
        ordering = ["year", "figure_code", "area_code"]
        constraints = [
            models.UniqueConstraint(fields=["area_code", "year", "figure_code"], name="target_once_per_area_year"),
            models.CheckConstraint(name="target_value_positive", condition=models.Q(value__gt=0)),
        ]

    def __str__(self):
        return f"{self.area_code} {self.year}年 {self.figure_code} {self.value}"


class KeyTask(models.Model):
    """重点任务分工: a task with its deadline, responsible unit and lead, followed by dated progress notes."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未启动"
        IN_PROGRESS = "in_progress", "推进中"
        DONE = "done", "已完成"

    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    title = models.CharField("重点任务", max_length=300)
    deadline = models.DateField("完成时限")
    responsible_unit = models.CharField("责任单位", max_length=100)
    lead = models.CharField("牵头领导/责任人", max_length=50)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.RESTRICT)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "重点任务"
        verbose_name_plural = "重点任务"
        ordering = ["deadline", "id"]

    def __str__(self):
        return self.title

    def is_overdue(self, today) -> bool:
        """Past its deadline and not done."""
        return self.status != self.Status.DONE and self.deadline < today


class KeyTaskNote(models.Model):
    """A dated progress note (进展情况) of a key task; never edited."""

    task = models.ForeignKey(KeyTask, verbose_name="重点任务", on_delete=models.CASCADE, related_name="notes")
    noted_on = models.DateField("日期")
    text = models.CharField("进展情况", max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.RESTRICT)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()
    scope_area_field = "task__area_code"

    class Meta:
        verbose_name = "重点任务进展"
        verbose_name_plural = "重点任务进展"
        ordering = ["task", "noted_on", "id"]

    def __str__(self):
        return f"{self.noted_on} {self.text[:20]}"
