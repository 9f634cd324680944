from django.db import models


class BeneficiaryKind(models.TextChoices):
    PERSON = "person", "个人"
    EMPLOYER = "employer", "用工单位"


class AmountKind(models.TextChoices):
    """How a policy's amount is computed (the standard itself is data on the policy version)."""

    FIXED = "fixed", "定额（每人/每户每期）"
    PER_MONTH = "per_month", "按月（每月标准×月数，月数封顶）"
    PER_HEAD = "per_head", "按人头（每人标准×人数，单位封顶）"
    PERCENT = "percent", "按比例（基数×比例，封顶）"
    POST_MONTH = "post_month", "按岗位月补贴（按在岗天数折算，按月拨付）"


class ReviewLevel(models.TextChoices):
    COMMUNITY = "community", "社区/村审核"
    TOWNSHIP = "township", "乡镇/街道审核"
    COUNTY = "county", "县级审核"


class ApplicationStatus(models.TextChoices):
    COMMUNITY_REVIEW = "community_review", "待社区/村审核"
    TOWNSHIP_REVIEW = "township_review", "待乡镇/街道审核"
    COUNTY_REVIEW = "county_review", "待县级审核"
    APPROVED = "approved", "已核定"
    BATCHED = "batched", "已编入发放批次"
    PAID = "paid", "已发放"
    RETURNED = "returned", "已退回"
    REJECTED = "rejected", "不予通过"
    WITHDRAWN = "withdrawn", "已撤回"


# The review state of each level, in order.
LEVEL_STATE = {
    ReviewLevel.COMMUNITY: ApplicationStatus.COMMUNITY_REVIEW,
    ReviewLevel.TOWNSHIP: ApplicationStatus.TOWNSHIP_REVIEW,
    ReviewLevel.COUNTY: ApplicationStatus.COUNTY_REVIEW,
}
REVIEW_STATES = frozenset(LEVEL_STATE.values())
# States in which the money is committed: they count against the budget and block a second application.
COMMITTED_STATES = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.BATCHED, ApplicationStatus.PAID})
CLOSED_STATES = frozenset({ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN})


class ApplicationSource(models.TextChoices):
    SCREENING = "screening", "免申即享筛查"
    SELF = "self", "本人/本单位申请"
    STAFF = "staff", "工作人员代办"


class LedgerKind(models.TextChoices):
    PAYMENT = "payment", "发放"
    CLAWBACK = "clawback", "追回"


class BatchStatus(models.TextChoices):
    OPEN = "open", "待发放"
    CLOSED = "closed", "已办结"


class LineResult(models.TextChoices):
    PENDING = "pending", "待回盘"
    PAID = "paid", "发放成功"
    FAILED = "failed", "发放失败"


class ScreeningState(models.TextChoices):
    RUNNING = "running", "筛查中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
