from django.db import models


class PosterKind(models.TextChoices):
    """Who needs the hands: an employer, a registered individual/household, or a 零工驿站 for walk-ins."""

    EMPLOYER = "employer", "用工单位"
    RESIDENT = "resident", "个人/家庭"
    STATION = "station", "零工驿站代发"


class PayUnit(models.TextChoices):
    HOUR = "hour", "按小时"
    DAY = "day", "按天"
    PIECE = "piece", "按件"


class ContactPreference(models.TextChoices):
    PHONE = "phone", "电话联系"
    PLATFORM = "platform", "平台消息"
    STATION = "station", "经零工驿站联系"


class GigStatus(models.TextChoices):
    REVIEW = "review", "待人社部门审核"
    OPEN = "open", "招募中"
    FULL = "full", "已招满"
    ENDED = "ended", "已结束"
    CANCELLED = "cancelled", "已取消"


G = GigStatus
# A gig ends at its end time (expire_gigs, a system move) or is cancelled by its poster or staff.
GIG_TRANSITIONS = {
    G.REVIEW: {G.OPEN, G.CANCELLED},
    G.OPEN: {G.FULL, G.ENDED, G.CANCELLED},
    G.FULL: {G.OPEN, G.ENDED, G.CANCELLED},
    G.ENDED: set(),
    G.CANCELLED: set(),
}
# Gigs a worker can still sign up for (招募中) and those whose confirmed workers still work (已招满 too).
LIVE_GIG_STATUSES = (G.OPEN, G.FULL)


class SignupStatus(models.TextChoices):
    APPLIED = "applied", "已报名"
    CONFIRMED = "confirmed", "已确认"
    CHECKED_IN = "checked_in", "已签到"
    CHECKED_OUT = "checked_out", "已签退"
    COMPLETED = "completed", "已完工"
    DECLINED = "declined", "未录用"
    WITHDRAWN = "withdrawn", "已取消报名"
    NO_SHOW = "no_show", "未到岗"


S = SignupStatus
SIGNUP_TRANSITIONS = {
    S.APPLIED: {S.CONFIRMED, S.DECLINED, S.WITHDRAWN},
    S.CONFIRMED: {S.CHECKED_IN, S.WITHDRAWN, S.NO_SHOW},
    S.CHECKED_IN: {S.CHECKED_OUT},
    S.CHECKED_OUT: {S.COMPLETED},
    S.COMPLETED: set(),
    S.DECLINED: set(),
    S.WITHDRAWN: set(),
    S.NO_SHOW: set(),
}
# A place is taken from confirmation on (the headcount counts these).
TAKING_PLACE = (S.CONFIRMED, S.CHECKED_IN, S.CHECKED_OUT, S.COMPLETED)
# The two sides see each other's phone from confirmation until the work is done.
CONTACT_VISIBLE = TAKING_PLACE


class CheckMethod(models.TextChoices):
    SITE_QR = "site_qr", "现场扫码"
    STATION_QR = "station_qr", "驿站扫码"
    POSTER = "poster", "发布方确认"
    STAFF = "staff", "驿站工作人员确认"


class WalkInPurpose(models.TextChoices):
    FIND_WORK = "find_work", "找零工"
    POST_GIG = "post_gig", "发布零工需求"
    CONSULT = "consult", "政策咨询"
    DISPUTE = "dispute", "纠纷调解"


class SharingStatus(models.TextChoices):
    """An offer (余缺调剂) or a need stays open until matched or withdrawn."""

    OPEN = "open", "有效"
    CLOSED = "closed", "已关闭"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    CONSENT = "consent", "待员工确认"
    ACTIVE = "active", "履行中"
    ENDED = "ended", "已结束"
    CANCELLED = "cancelled", "已取消"


A = AgreementStatus
AGREEMENT_TRANSITIONS = {
    A.DRAFT: {A.CONSENT, A.CANCELLED},
    A.CONSENT: {A.ACTIVE, A.DRAFT, A.CANCELLED},
    A.ACTIVE: {A.ENDED},
    A.ENDED: set(),
    A.CANCELLED: set(),
}
# Agreements whose seconded people count (共享员工人次): they started.
STARTED_AGREEMENTS = (A.ACTIVE, A.ENDED)


class Party(models.TextChoices):
    LENDER = "lender", "原用工单位（调出方）"
    BORROWER = "borrower", "缺工单位（调入方）"


class Consent(models.TextChoices):
    PENDING = "pending", "待确认"
    AGREED = "agreed", "已同意"
    REFUSED = "refused", "不同意"
