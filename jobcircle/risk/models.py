"""Risk warnings (规模性失业风险 / 防返贫 监测预警): one row per condition found, worked to its resolution.

``condition_key`` names the condition (rule kind, subject and the episode that began it: the status
change, the 零就业 spell, the year): the daily run inserts a warning once per key, never again while the
same episode lasts, whether or not the earlier one is resolved. Moved only through ``risk.services``.
"""

from django.conf import settings
from django.db import models

from jobcircle.areas.querysets import AreaQuerySet
from jobcircle.common.models import TimeStampedModel
from jobcircle.common.workflow import TransitionLog

from .enums import Level, SubjectKind, WarningKind, WarningStatus


class RiskWarning(TimeStampedModel):
    kind = models.CharField("预警类型", max_length=24, choices=WarningKind.choices, db_index=True)
    level = models.PositiveSmallIntegerField("预警等级", choices=Level.choices)
    subject_kind = models.CharField("预警对象类型", max_length=16, choices=SubjectKind.choices)
    subject_id = models.PositiveBigIntegerField("预警对象编号")
    subject_label = models.CharField("预警对象", max_length=100)
    condition_key = models.CharField("预警条件键", max_length=80, unique=True)
    detail = models.CharField("预警说明", max_length=200)
    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    status = models.CharField(
        "状态", max_length=16, choices=WarningStatus.choices, default=WarningStatus.OPEN, db_index=True
    )
    raised_on = models.DateField("预警日期")
    due_on = models.DateField("处置期限")
    escalated_on = models.DateField("升级日期", null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    case = models.ForeignKey(
        "assistance.AssistanceCase", verbose_name="帮扶案件", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    resolution = models.CharField("解除说明", max_length=200, blank=True)
    resolved_on = models.DateField("解除日期", null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "风险预警"
        verbose_name_plural = "风险预警"
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["area_code", "status", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.subject_label}"


class RiskWarningTransition(TransitionLog):
    warning = models.ForeignKey(RiskWarning, verbose_name="预警", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("原状态", max_length=16, blank=True, choices=WarningStatus.choices)
    to_status = models.CharField("新状态", max_length=16, choices=WarningStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "预警流转记录"
        verbose_name_plural = "预警流转记录"
