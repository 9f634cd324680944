from django.db import models


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    HMT_RESIDENCE = "hmt_residence", "港澳台居民居住证"
    FOREIGN_PERMANENT = "foreign_permanent", "外国人永久居留身份证"
    PASSPORT = "passport", "护照"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Education(models.IntegerChoices):
    """Ordered so that a job's minimum can be compared with a resident's level."""

    NONE = 0, "不限"
    PRIMARY = 10, "小学及以下"
    JUNIOR = 20, "初中"
    SENIOR = 30, "高中/中专/技校"
    COLLEGE = 40, "大专"
    BACHELOR = 50, "本科"
    MASTER = 60, "硕士"
    DOCTOR = 70, "博士"


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", "已就业"
    FLEXIBLE = "flexible", "灵活就业"
    UNEMPLOYED = "unemployed", "未就业"
    STUDENT = "student", "在校学生"
    NOT_IN_LABOUR_FORCE = "not_in_labour_force", "无劳动意愿/退休"


class WorkType(models.TextChoices):
    FULL_TIME = "full_time", "全职"
    PART_TIME = "part_time", "兼职"
    GIG = "gig", "零工"


class KeyGroupChangeSource(models.TextChoices):
    """Where a change of a resident's key groups came from (重点群体变更来源)."""

    FORM = "form", "工作台录入"
    API = "api", "接口"
    IMPORT = "import", "台账导入"
