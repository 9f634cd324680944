"""“三公里”充分就业社区: the standard as versioned data, the communities' 专干, and the yearly certification.

- ``Standard`` is one numbered version of the criteria an area (province, city or county) applies from a
  day on; a version is not edited once a certification was decided under it: the county adds a number.
- ``Criterion`` is one line of it: the measure (``enums.Measure``), the threshold and the evidence asked.
- ``Certification`` is a community's application for a year, moved only through ``services`` (the workflow
  helper): 社区申报 → 乡镇初审 → 县审核 → 市认定 (or 退回). One per community and year.
Write through ``communities.services`` only.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from jobcircle.areas.querysets import AreaQuerySet
from jobcircle.common.models import TimeStampedModel
from jobcircle.common.workflow import TransitionLog

from .enums import CertificationStatus, Measure

MONEY = {"max_digits": 12, "decimal_places": 2}


class Standard(models.Model):
    """充分就业社区评价标准 (one version): whose it is, from when, and the yearly reward per certified community."""

    area_code = models.CharField(
        "制定区划代码", max_length=12, blank=True, db_index=True, help_text="省、市或县的12位代码；空：默认标准"
    )
    number = models.PositiveSmallIntegerField("版本号")
    name = models.CharField("标准名称", max_length=60)
    valid_from = models.DateField("生效日期")
    reward = models.DecimalField("每个认定社区年度奖补（元）", **MONEY, default=Decimal("6000.00"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "充分就业社区评价标准"
        verbose_name_plural = "充分就业社区评价标准"
        ordering = ["area_code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["area_code", "number"], name="community_standard_number_once"),
            models.CheckConstraint(name="community_standard_reward_floor", condition=Q(reward__gte=6000)),
        ]

    def __str__(self):
        return f"{self.name} 第{self.number}版"


class Criterion(models.Model):
    """One criterion of a standard: what is measured, the threshold it must meet, and the evidence asked."""

    standard = models.ForeignKey(Standard, verbose_name="评价标准", on_delete=models.CASCADE, related_name="criteria")
    measure = models.CharField("指标", max_length=24, choices=Measure.choices)
    threshold = models.DecimalField("达标值", max_digits=8, decimal_places=2)
    evidence = models.CharField("佐证材料", max_length=200)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "评价指标"
        verbose_name_plural = "评价指标"
        ordering = ["standard", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["standard", "measure"], name="community_criterion_once")]

    def __str__(self):
        return self.get_measure_display()


class CommunityOfficer(models.Model):
    """社区就业专干: the named person who runs a community's service station, with the dates they served."""

    community = models.ForeignKey(
        "areas.Region", verbose_name="社区/村", on_delete=models.PROTECT, related_name="employment_officers"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    name = models.CharField("专干姓名", max_length=50)
    appointed_on = models.DateField("到岗日期")
    left_on = models.DateField("离岗日期", null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "社区就业专干"
        verbose_name_plural = "社区就业专干"
        ordering = ["area_code", "appointed_on"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.area_code = self.community.code
        super().save(*args, **kwargs)


class CertificationQuerySet(AreaQuerySet):
    pass


class Certification(TimeStampedModel):
    """A community's 充分就业社区 application for one year and its way through the review levels.

    ``reward`` is fixed from the standard when the city certifies (元, 2 places); the payment itself belongs
    to the subsidies ledger (not written yet: see docs/decisions/communities.md).
    """

    community = models.ForeignKey(
        "areas.Region", verbose_name="社区/村", on_delete=models.PROTECT, related_name="employment_certifications"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("认定年度")
    standard = models.ForeignKey(Standard, verbose_name="评价标准", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "状态", max_length=16, choices=CertificationStatus.choices, default=CertificationStatus.DRAFT, db_index=True
    )
    statement = models.TextField("申报说明", max_length=2000, blank=True)
    evidence = models.JSONField("佐证材料清单", default=list, blank=True)
    assessment = models.JSONField("申报时的评价结果", default=list, blank=True)
    certified_on = models.DateField("认定日期", null=True, blank=True)
    reward = models.DecimalField("年度奖补（元）", null=True, blank=True, **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申报人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = "充分就业社区申报"
        verbose_name_plural = "充分就业社区申报"
        ordering = ["-year", "area_code"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="community_certification_once_a_year")
        ]

    def __str__(self):
        return f"{self.community} {self.year}年"

    def save(self, *args, **kwargs):
        self.area_code = self.community.code
        super().save(*args, **kwargs)


class CertificationTransition(TransitionLog):
    certification = models.ForeignKey(
        Certification, verbose_name="申报", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=16, blank=True, choices=CertificationStatus.choices)
    to_status = models.CharField("新状态", max_length=16, choices=CertificationStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "申报流转记录"
        verbose_name_plural = "申报流转记录"
