from django.db import models


class Role(models.TextChoices):
    RESIDENT = "resident", "居民"
    EMPLOYER = "employer", "用工单位"
    COMMUNITY_STAFF = "community_staff", "社区/村就业专干"
    TOWNSHIP_STAFF = "township_staff", "乡镇/街道工作人员"
    COUNTY_ADMIN = "county_admin", "区县人社局管理员"


STAFF_ROLES = {Role.COMMUNITY_STAFF, Role.TOWNSHIP_STAFF, Role.COUNTY_ADMIN}
