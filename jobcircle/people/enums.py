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


class EmploymentEndReason(models.TextChoices):
    """Why a 就业登记 ended; retirement and death are the natural attrition 城镇新增就业 subtracts."""

    LEFT = "left", "离职/失业"
    RETIRED = "retired", "退休"
    DIED = "died", "死亡"
    OTHER = "other", "其他"


NATURAL_ATTRITION = (EmploymentEndReason.RETIRED, EmploymentEndReason.DIED)


class UnemploymentEndReason(models.TextChoices):
    """Why a 失业登记 was cancelled (注销)."""

    EMPLOYED = "employed", "实现就业"
    MOVED = "moved", "迁出"
    RETIRED = "retired", "退休"
    OTHER = "other", "其他"


class DifficultyCategory(models.TextChoices):
    """就业困难人员认定类别 (the categories most provinces list)."""

    LONG_UNEMPLOYED = "long_unemployed", "长期失业人员"
    OLDER = "older", "大龄失业人员"
    DISABLED = "disabled", "残疾人"
    LOW_INCOME = "low_income", "城乡低保家庭成员"
    ZERO_EMPLOYMENT_FAMILY = "zero_employment_family", "零就业家庭成员"
    POVERTY = "poverty", "脱贫人口（含监测对象）"
    OTHER = "other", "其他"
