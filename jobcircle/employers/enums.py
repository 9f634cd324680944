from django.db import models


class EmployerType(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    SOLE_PROPRIETOR = "sole_proprietor", "个体工商户"
    COLLECTIVE = "collective", "农村集体经济组织"
    INSTITUTION = "institution", "机关事业单位"
    SOCIAL_ORGANISATION = "social_organisation", "社会组织"


class EmployerSize(models.TextChoices):
    MICRO = "micro", "微型"
    SMALL = "small", "小型"
    MEDIUM = "medium", "中型"
    LARGE = "large", "大型"


class EmployerStatus(models.TextChoices):
    """An employer's standing: only 正常 ones post jobs and count as 注册用工单位."""

    ACTIVE = "active", "正常"
    DEREGISTERED = "deregistered", "注销"
    SUSPENDED = "suspended", "停用"


class JobStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEW = "review", "待人社部门审核"
    OPEN = "open", "招聘中"
    PAUSED = "paused", "已暂停"
    FILLED = "filled", "已招满"
    CLOSED = "closed", "已关闭"


# What lists, exports and the API show and filter by: 招聘中 is only a job open today inside its validity
# (``Job.is_open`` / ``Job.objects.open()``); an open job outside it is shown as 已过期 or 未到有效期.
EXPIRED, NOT_YET_VALID = "expired", "not_yet_valid"
SHOWN_JOB_STATUSES = [
    *JobStatus.choices[:3],
    (NOT_YET_VALID, "未到有效期"),
    (EXPIRED, "已过期"),
    *JobStatus.choices[3:],
]


class ReviewResult(models.TextChoices):
    PASSED = "passed", "审核通过"
    HELD = "held", "待人工复核"
    APPROVED = "approved", "人工复核通过"
    BLOCKED = "blocked", "违规已拦截"
