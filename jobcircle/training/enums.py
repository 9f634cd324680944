from django.db import models


class ProviderKind(models.TextChoices):
    INSTITUTION = "institution", "定点培训机构"
    ENTERPRISE = "enterprise", "企业"
    TECHNICAL_SCHOOL = "technical_school", "技工院校"


class ProviderStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    SUSPENDED = "suspended", "暂停"


class ProgrammeKind(models.TextChoices):
    PRE_JOB = "pre_job", "岗前技能培训"
    EMPLOYMENT = "employment", "就业技能培训"
    UPGRADING = "upgrading", "技能提升培训"
    WORK_FOR_TRAINING = "work_for_training", "以工代训"
    SYB = "syb", "创业培训（SYB）"
    GYB = "gyb", "创业培训（GYB）"
    IYB = "iyb", "创业培训（IYB）"
    AGRICULTURE = "agriculture", "农业技术培训"


class SkillLevel(models.TextChoices):
    """The level a programme trains to: the once-a-year rule for subsidised training counts per level."""

    SPECIAL = "special", "专项能力"
    LEVEL_5 = "level5", "五级/初级工"
    LEVEL_4 = "level4", "四级/中级工"
    LEVEL_3 = "level3", "三级/高级工"
    LEVEL_2 = "level2", "二级/技师"
    LEVEL_1 = "level1", "一级/高级技师"


class ProgrammeStatus(models.TextChoices):
    RECRUITING = "recruiting", "招生"
    RUNNING = "running", "开班"
    FINISHED = "finished", "结业"
    VERIFIED = "verified", "核验"
    CLAIMED = "claimed", "补贴申领"
    CANCELLED = "cancelled", "取消"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "在训"
    COMPLETED = "completed", "结业"
    FAILED = "failed", "出勤不足未结业"
    WITHDRAWN = "withdrawn", "退出"


# Enrolments that hold a place and count against the once-a-year rule.
ACTIVE_ENROLMENT = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


class EnrolmentSource(models.TextChoices):
    SELF = "self", "本人报名（社区快聘）"
    STAFF = "staff", "工作人员代报"
    IMPORT = "import", "花名册导入"


class CertificateKind(models.TextChoices):
    SKILL_LEVEL = "skill_level", "职业技能等级证书"
    SPECIAL = "special", "专项职业能力证书"
    TRAINING = "training", "培训合格证书"


class BaseStatus(models.TextChoices):
    CERTIFIED = "certified", "已认定"
    REVOKED = "revoked", "已撤销"


class PlacementStatus(models.TextChoices):
    ON_POST = "on_post", "在岗见习"
    COMPLETED = "completed", "见习期满"
    EXITED = "exited", "提前退出"


class ExitReason(models.TextChoices):
    EMPLOYED_ELSEWHERE = "employed_elsewhere", "已在其他单位就业"
    STUDY = "study", "升学"
    PERSONAL = "personal", "个人原因"
    DISMISSED = "dismissed", "违反见习协议"
    OTHER = "other", "其他"
