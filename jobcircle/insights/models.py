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
