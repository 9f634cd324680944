from django.db import models
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from .codes import prefix_of
from .enums import RegionLevel, SourceCRS
from .geo.cells import cells_for, covering_cells
from .geo.distance import EARTH_RADIUS_M
from .querysets import AreaQuerySet


class RegionQuerySet(AreaQuerySet):
    def current(self):
        return self.filter(valid_to__isnull=True)

    def communities(self):
        return self.filter(level=RegionLevel.COMMUNITY)


class Region(models.Model):
    """An administrative division, 省 → 市 → 区县 → 乡镇/街道 → 社区/村, by 12-digit statistical code."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级区划", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField("启用日期", null=True, blank=True)
    valid_to = models.DateField("撤销日期", null=True, blank=True)
    source = models.CharField("数据来源", max_length=200, blank=True)
    # The region's centre (WGS-84), where known: it stands in for a community without a service station.
    centroid_lat = models.FloatField("中心点纬度（WGS-84）", null=True, blank=True)
    centroid_lng = models.FloatField("中心点经度（WGS-84）", null=True, blank=True)

    objects = RegionQuerySet.as_manager()
    scope_area_field = "code"  # in_area(region): the region and every region inside it

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def code6(self):
        return self.code[:6]

    @property
    def scope_prefix(self):
        """Codes of everything inside this region start with these digits."""
        return prefix_of(self.code)

    @property
    def full_name(self):
        names, node = [], self
        while node is not None and node.level >= RegionLevel.COUNTY:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class LocatedQuerySet(AreaQuerySet):
    def within(self, lat, lng, radius_m):
        """Rows within ``radius_m`` metres of the point, annotated with ``distance_m``.

        H3 cells prefilter on an index; the haversine expression, evaluated by the
        database, decides exactly (the same formula as geo.distance.haversine_m).
        """
        column, cells = covering_cells(lat, lng, radius_m)
        return (
            self.filter(**{f"{column}__in": cells})
            .annotate(distance_m=haversine_expression(lat, lng))
            .filter(distance_m__lte=radius_m)
        )


def haversine_expression(lat, lng):
    lat1, lng1 = Radians(models.Value(float(lat))), Radians(models.Value(float(lng)))
    lat2, lng2 = Radians("lat"), Radians("lng")
    a = Power(Sin((lat2 - lat1) / 2), 2) + Cos(lat1) * Cos(lat2) * Power(Sin((lng2 - lng1) / 2), 2)
    return models.ExpressionWrapper(2 * EARTH_RADIUS_M * ASin(Sqrt(a)), output_field=models.FloatField())


class LocatedModel(models.Model):
    """A point stored in WGS-84 with its H3 cells; set it through ``set_location``."""

    lat = models.FloatField("纬度（WGS-84）")
    lng = models.FloatField("经度（WGS-84）")
    source_crs = models.CharField("原始坐标系", max_length=8, choices=SourceCRS.choices, default=SourceCRS.WGS84)
    h3_r5 = models.BigIntegerField("H3格网（5级）", db_index=True, editable=False)
    h3_r7 = models.BigIntegerField("H3格网（7级）", db_index=True, editable=False)

    class Meta:
        abstract = True

    def set_location(self, lat, lng, source_crs=SourceCRS.WGS84):
        """Store a WGS-84 point (callers convert at the boundary) and its cells."""
        self.lat, self.lng, self.source_crs = float(lat), float(lng), source_crs
        self.h3_r5, self.h3_r7 = cells_for(self.lat, self.lng)


class ServiceStation(LocatedModel):
    """就业服务站/驿站: a community's circle is everything within 3 km of its stations."""

    community = models.ForeignKey(Region, verbose_name="所属社区/村", on_delete=models.PROTECT, related_name="stations")
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    name = models.CharField("服务站名称", max_length=100)
    address = models.CharField("地址", max_length=200)

    objects = LocatedQuerySet.as_manager()

    class Meta:
        verbose_name = "就业服务站"
        verbose_name_plural = "就业服务站"
        ordering = ["area_code", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.area_code = self.community.code
        super().save(*args, **kwargs)
