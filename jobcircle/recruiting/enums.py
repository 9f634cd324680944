from django.db import models


class ApplicationStatus(models.TextChoices):
    """Where an application stands in the recruiting pipeline (岗位发布—招聘—面试—用工)."""

    APPLIED = "applied", "已投递"
    SCREENING = "screening", "筛选中"
    INTERVIEW = "interview", "待面试"
    INTENTION = "intention", "达成就业意向"
    OFFER = "offer", "已发录用通知"
    HIRED = "hired", "已入职"
    REJECTED = "rejected", "未录用"
    WITHDRAWN = "withdrawn", "已撤回"


S = ApplicationStatus
# The legal moves; the final states have none.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    S.APPLIED: frozenset({S.SCREENING, S.INTERVIEW, S.INTENTION, S.REJECTED, S.WITHDRAWN}),
    S.SCREENING: frozenset({S.INTERVIEW, S.INTENTION, S.REJECTED, S.WITHDRAWN}),
    S.INTERVIEW: frozenset({S.OFFER, S.INTENTION, S.REJECTED, S.WITHDRAWN}),
    S.INTENTION: frozenset({S.OFFER, S.HIRED, S.REJECTED, S.WITHDRAWN}),
    S.OFFER: frozenset({S.HIRED, S.REJECTED, S.WITHDRAWN}),
    S.HIRED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
# Only the applicant withdraws; only the employer side (employer or area staff) moves the rest.
RESIDENT_TARGETS = frozenset({S.WITHDRAWN})
EMPLOYER_SIDE_TARGETS = frozenset(set(S.values) - {S.APPLIED, S.WITHDRAWN})


class JobFairKind(models.TextChoices):
    """招聘会类型, in the bureau's words."""

    COMPREHENSIVE = "comprehensive", "综合招聘会"
    TWO_PLUS_N = "two_plus_n", "“2+N”专场招聘会"
    TOWNSHIP = "township", "乡镇专场"
    GRADUATES = "graduates", "高校毕业生专场"
    VETERANS = "veterans", "退役军人专场"
    PRIVATE_ENTERPRISE = "private_enterprise", "民营企业招聘月"
    LIVESTREAM = "livestream", "直播带岗"
    OTHER = "other", "其他"


class SignInChannel(models.TextChoices):
    QR = "qr", "扫码签到"
    STAFF = "staff", "工作人员代签"
