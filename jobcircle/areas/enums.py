from django.db import models


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, "省级"
    CITY = 2, "地级"
    COUNTY = 3, "区县"
    TOWNSHIP = 4, "乡镇/街道"
    COMMUNITY = 5, "社区/村"


# How many leading digits of a 12-digit code identify a region of each level.
PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.COMMUNITY: 12,
}


class SourceCRS(models.TextChoices):
    WGS84 = "wgs84", "WGS-84（GPS）"
    GCJ02 = "gcj02", "GCJ-02（高德/腾讯/微信）"
    BD09 = "bd09", "BD-09（百度）"
