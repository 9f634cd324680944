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
