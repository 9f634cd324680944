"""Reference catalogues: 职业分类大典 (2022年版) occupations and GB/T 4754-2017 industries.

Both are shipped as CSV under ``data/`` (provenance and counts in ``data/SOURCES.md``), loaded
into every database by migration 0002 and kept in sync by ``manage.py load_classifications``.
"""

from django.db import models


class OccupationLevel(models.IntegerChoices):
    MAJOR = 1, "大类"
    MIDDLE = 2, "中类"
    MINOR = 3, "小类"
    OCCUPATION = 4, "职业"


class IndustryLevel(models.IntegerChoices):
    SECTION = 1, "门类"
    DIVISION = 2, "大类"
    GROUP = 3, "中类"
    CLASS = 4, "小类"


class ClassificationQuerySet(models.QuerySet):
    def leaves(self):
        """The finest level: 职业 (occupations) or 小类 (industries).

        Note that 68 职业分类 小类 (the "其他…" ones, e.g. ``2-01-99``) have no 职业 under them.
        """
        return self.filter(level=4)

    def roots(self):
        return self.filter(parent__isnull=True)

    def at_level(self, level):
        return self.filter(level=level)


class Occupation(models.Model):
    """职业分类大典 (2022年版) entry: 大类 "4", 中类 "4-10", 小类 "4-10-01", 职业 "4-10-01-05"."""

    code = models.CharField("职业代码", max_length=11, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=OccupationLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_digital = models.BooleanField("数字职业（S）", default=False)
    is_green = models.BooleanField("绿色职业（L）", default=False)
    version = models.CharField("版本", max_length=20, default="2022")

    objects = ClassificationQuerySet.as_manager()

    class Meta:
        verbose_name = "职业"
        verbose_name_plural = "职业分类"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Industry(models.Model):
    """GB/T 4754-2017 国民经济行业分类: 门类 "A", 大类 "01", 中类 "011", 小类 "0111"."""

    code = models.CharField("行业代码", max_length=4, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=IndustryLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    version = models.CharField("版本", max_length=40, default="GB/T 4754-2017")

    objects = ClassificationQuerySet.as_manager()

    class Meta:
        verbose_name = "行业"
        verbose_name_plural = "行业分类"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"
