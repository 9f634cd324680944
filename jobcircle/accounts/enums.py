from django.db import models


class Role(models.TextChoices):
    RESIDENT = "resident", "居民"
    EMPLOYER = "employer", "用工单位"
    COMMUNITY_STAFF = "community_staff", "社区/村就业专干"
    TOWNSHIP_STAFF = "township_staff", "乡镇/街道工作人员"
    COUNTY_ADMIN = "county_admin", "区县人社局管理员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"


# Roles that serve an area and see its people (scoped by area code).
STAFF_ROLES = {Role.COMMUNITY_STAFF, Role.TOWNSHIP_STAFF, Role.COUNTY_ADMIN}
# Administrator roles (separation of duties); they see no residents.
ADMIN_ROLES = {Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.SECURITY_ADMIN}
