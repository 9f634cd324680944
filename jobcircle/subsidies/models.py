"""就业补贴: the policy catalogue (dated versions), applications with their review, payout batches and
the one payment ledger. Write through subsidies.services only (ADR docs/decisions/subsidies.md)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from jobcircle.areas.querysets import AreaQuerySet
from jobcircle.common import pii
from jobcircle.common.models import TimeStampedModel
from jobcircle.common.workflow import TransitionLog

from .enums import (
    COMMITTED_STATES,
    AmountKind,
    ApplicationSource,
    ApplicationStatus,
    BatchStatus,
    BeneficiaryKind,
    LedgerKind,
    LineResult,
    ScreeningState,
)
from .rules import validate_rule

ZERO = Decimal("0")
MONEY = {"max_digits": 12, "decimal_places": 2}  # 元, two places


def beneficiary_key(*, resident_id=None, employer_id=None) -> str:
    """The one key of a beneficiary across kinds (R<id> a person, E<id> an employer): the never-twice constraints
    compare it."""
    return f"R{resident_id}" if resident_id else f"E{employer_id}"


class Policy(models.Model):
    """补贴政策: the lasting identity (code, name, who is paid); everything that changes lives in its versions."""

    code = models.SlugField("政策代码", max_length=40, unique=True)
    name = models.CharField("政策名称", max_length=60)
    beneficiary_kind = models.CharField("补贴对象", max_length=16, choices=BeneficiaryKind.choices)
    area_code = models.CharField("发布区划", max_length=12, blank=True, help_text="空：全部区县适用")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "补贴政策"
        verbose_name_plural = "补贴政策"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def version_on(self, day):
        """The version valid on ``day`` (the latest number if two overlap), or None."""
        return (
            self.versions.filter(valid_from__lte=day)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
            .order_by("-number")
            .first()
        )


class PolicyVersion(models.Model):
    """One dated version of a policy: standard, caps, budget, review levels, evidence and eligibility rule.

    A version is never edited once an application was decided under it: the county adds a new number.
    ``rule`` is a list of conditions ``{"expr": …, "label": …, "detail": …}`` (subsidies.rules), all of
    which must hold; ``amount_fact`` names the fact that counts months, heads or the base.
    """

    policy = models.ForeignKey(Policy, verbose_name="补贴政策", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField("版本号")
    valid_from = models.DateField("生效日期")
    valid_until = models.DateField("失效日期", null=True, blank=True)
    legal_basis = models.TextField("政策依据")
    amount_kind = models.CharField("计发方式", max_length=16, choices=AmountKind.choices)
    amount = models.DecimalField("补贴标准（元）", **MONEY, help_text="定额；每月；每人；或比例（0.6 即 60%）")
    amount_fact = models.CharField("计量事实", max_length=40, blank=True, help_text="月数、人数或基数取自的事实")
    cap_months = models.PositiveSmallIntegerField("月数上限", null=True, blank=True)
    cap_amount = models.DecimalField("每期封顶（元）", null=True, blank=True, **MONEY)
    yearly_budget = models.DecimalField("年度预算（元）", null=True, blank=True, **MONEY)
    review_levels = models.JSONField("审核层级", default=list)
    required_evidence = models.JSONField("所需材料", default=list, blank=True)
    rule = models.JSONField("享受条件")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "补贴政策版本"
        verbose_name_plural = "补贴政策版本"
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policy_version_number_once"),
            models.CheckConstraint(name="policy_version_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self):
        return f"{self.policy} 第{self.number}版"

    def clean(self):
        """A rule naming an unknown fact or comparing the wrong types is refused, naming the condition."""

        if self.policy_id:
            validate_rule(self.policy.beneficiary_kind, self.rule)


class EmployerInsuranceYear(models.Model):
    """参保缴费年度数据 of an employer, as the social-insurance agency reports it (the facts of 稳岗返还)."""

    employer = models.ForeignKey(
        "employers.Employer", verbose_name="用工单位", on_delete=models.CASCADE, related_name="insurance_years"
    )
    year = models.PositiveSmallIntegerField("年度")
    insured_at_start = models.PositiveIntegerField("年初参保人数")
    layoffs = models.PositiveIntegerField("年内裁员人数", default=0)
    ui_contributions = models.DecimalField("上年度失业保险缴费（元）", default=ZERO, **MONEY)

    class Meta:
        verbose_name = "单位参保缴费年度数据"
        verbose_name_plural = "单位参保缴费年度数据"
        constraints = [models.UniqueConstraint(fields=["employer", "year"], name="insurance_year_once")]

    def __str__(self):
        return f"{self.employer} {self.year}年"


class SubsidyApplicationQuerySet(AreaQuerySet):
    def committed(self):
        return self.filter(status__in=COMMITTED_STATES)


class SubsidyApplication(TimeStampedModel):
    """补贴申请: one beneficiary, one policy, one period, decided under one rule version.

    ``area_code`` is the beneficiary's (a person's community, an employer's community). Never two committed
    (approved, batched or paid) applications for the same (policy, beneficiary, period).
    """

    policy = models.ForeignKey(Policy, verbose_name="补贴政策", on_delete=models.PROTECT, related_name="applications")
    version = models.ForeignKey(
        PolicyVersion, verbose_name="政策版本", on_delete=models.PROTECT, related_name="applications"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="申请人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="subsidy_applications",
    )  # fmt: skip
    employer = models.ForeignKey(
        "employers.Employer", verbose_name="申请单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="subsidy_applications",
    )  # fmt: skip
    beneficiary = models.CharField("补贴对象键", max_length=24, editable=False)
    period = models.CharField("补贴期间", max_length=7, help_text="年度（2025）或月份（2025-03）")
    amount = models.DecimalField("核定金额（元）", **MONEY)
    status = models.CharField(
        "状态", max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.COMMUNITY_REVIEW,
        db_index=True,
    )  # fmt: skip
    source = models.CharField("来源", max_length=16, choices=ApplicationSource.choices)
    rule_version = models.PositiveSmallIntegerField("判定规则版本")
    explanation = models.JSONField("条件核验", default=list, blank=True)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    bank_account_encrypted = models.TextField("银行账号（密文）", blank=True, editable=False)
    bank_account_masked = models.CharField("银行账号（脱敏）", max_length=32, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = SubsidyApplicationQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id", "employer": "employer_id"}

    class Meta:
        verbose_name = "补贴申请"
        verbose_name_plural = "补贴申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="subsidy_application_one_beneficiary",
                condition=Q(resident__isnull=False, employer__isnull=True)
                | Q(resident__isnull=True, employer__isnull=False),
            ),
            models.CheckConstraint(name="subsidy_application_amount_positive", condition=Q(amount__gt=0)),
            models.UniqueConstraint(
                fields=["policy", "beneficiary", "period"],
                condition=Q(status__in=sorted(COMMITTED_STATES)),
                name="subsidy_application_committed_once",
            ),
        ]
        indexes = [models.Index(fields=["policy", "period", "status"])]

    def __str__(self):
        return f"{self.policy} {self.period} {self.beneficiary_name}"

    def save(self, *args, **kwargs):
        self.beneficiary = beneficiary_key(resident_id=self.resident_id, employer_id=self.employer_id)
        super().save(*args, **kwargs)

    @property
    def beneficiary_name(self):
        return str(self.resident) if self.resident_id else self.employer.name

    def set_bank_account(self, account: str):
        self.bank_account_encrypted = pii.encrypt(account) if account else ""
        self.bank_account_masked = pii.mask_bank_account(account) if account else ""


class SubsidyApplicationTransition(TransitionLog):
    """One step of a subsidy application (流转记录); written only through common.workflow.transition."""

    application = models.ForeignKey(
        SubsidyApplication, verbose_name="补贴申请", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=24, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=24, choices=ApplicationStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "补贴申请流转记录"
        verbose_name_plural = "补贴申请流转记录"


class PayoutBatch(models.Model):
    """发放批次: approved applications of one policy sent to the bank in one file."""

    policy = models.ForeignKey(Policy, verbose_name="补贴政策", on_delete=models.PROTECT, related_name="batches")
    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    status = models.CharField("状态", max_length=16, choices=BatchStatus.choices, default=BatchStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "发放批次"
        verbose_name_plural = "发放批次"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.policy} 第{self.pk}批"


class PayoutLine(models.Model):
    """One application in a batch and the bank's answer for it; a failed line lets the application go into a
    later batch."""

    batch = models.ForeignKey(PayoutBatch, verbose_name="发放批次", on_delete=models.PROTECT, related_name="lines")
    application = models.ForeignKey(
        SubsidyApplication, verbose_name="补贴申请", on_delete=models.PROTECT, related_name="payout_lines"
    )
    amount = models.DecimalField("金额（元）", **MONEY)
    result = models.CharField("发放结果", max_length=16, choices=LineResult.choices, default=LineResult.PENDING)
    failure_reason = models.CharField("失败原因", max_length=200, blank=True)
    recorded_at = models.DateTimeField("回盘时间", null=True, blank=True)

    class Meta:
        verbose_name = "发放明细"
        verbose_name_plural = "发放明细"
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "application"], name="payout_line_once_per_batch"),
            models.UniqueConstraint(
                fields=["application"], condition=~Q(result=LineResult.FAILED), name="payout_line_one_live"
            ),
        ]

    def __str__(self):
        return f"{self.batch} {self.application}"


class Payment(models.Model):
    """补贴发放台账: every yuan paid (positive) and clawed back (negative, pointing at what it reverses).

    Entries are never edited or deleted. At most one payment per (policy, beneficiary, period); at most one
    clawback per payment. Figures sum ``amount``, so clawbacks are netted.
    """

    policy = models.ForeignKey(Policy, verbose_name="补贴政策", on_delete=models.PROTECT, related_name="payments")
    version = models.ForeignKey(PolicyVersion, verbose_name="政策版本", on_delete=models.PROTECT, related_name="+")
    rule_version = models.PositiveSmallIntegerField("判定规则版本")
    application = models.ForeignKey(
        SubsidyApplication, verbose_name="补贴申请", null=True, blank=True, on_delete=models.PROTECT,
        related_name="payments", help_text="空：按月拨付、无需申请的补贴（公益性岗位补贴）",
    )  # fmt: skip
    line = models.ForeignKey(
        PayoutLine, verbose_name="发放明细", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        "employers.Employer", verbose_name="用工单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    beneficiary = models.CharField("补贴对象键", max_length=24)
    period = models.CharField("补贴期间", max_length=7)
    kind = models.CharField("类型", max_length=16, choices=LedgerKind.choices, default=LedgerKind.PAYMENT)
    amount = models.DecimalField("金额（元）", **MONEY)
    reverses = models.OneToOneField(
        "self", verbose_name="追回的发放", null=True, blank=True, on_delete=models.PROTECT, related_name="clawback"
    )
    reason = models.CharField("说明", max_length=200, blank=True)
    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    paid_on = models.DateField("发放/追回日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.RESTRICT,
        related_name="+", help_text="空：系统记账（迁移的公益性岗位补贴拨付记录、演示数据）",
    )  # fmt: skip
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id", "employer": "employer_id"}

    class Meta:
        verbose_name = "补贴发放台账"
        verbose_name_plural = "补贴发放台账"
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "beneficiary", "period"],
                condition=Q(kind=LedgerKind.PAYMENT),
                name="subsidy_paid_once",
            ),  # fmt: skip
            models.CheckConstraint(
                name="subsidy_ledger_sign",
                condition=Q(kind=LedgerKind.PAYMENT, amount__gt=0, reverses__isnull=True)
                | Q(kind=LedgerKind.CLAWBACK, amount__lt=0, reverses__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["policy", "period"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}元"


class Screening(models.Model):
    """One 免申即享 screening run of a policy version over an area for a period; its hits are the result."""

    policy = models.ForeignKey(Policy, verbose_name="补贴政策", on_delete=models.CASCADE, related_name="screenings")
    version = models.ForeignKey(PolicyVersion, verbose_name="政策版本", on_delete=models.CASCADE, related_name="+")
    period = models.CharField("补贴期间", max_length=7)
    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    state = models.CharField("状态", max_length=16, choices=ScreeningState.choices, default=ScreeningState.RUNNING)
    progress = models.ForeignKey(
        "common.TaskProgress", verbose_name="进度", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    screened = models.PositiveIntegerField("筛查对象数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "免申即享筛查"
        verbose_name_plural = "免申即享筛查"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.policy} {self.period} 筛查"


class ScreeningHit(models.Model):
    """One beneficiary a screening found: qualifying (and unpaid) or a near miss (exactly one condition fails)."""

    screening = models.ForeignKey(Screening, verbose_name="筛查", on_delete=models.CASCADE, related_name="hits")
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    employer = models.ForeignKey(
        "employers.Employer", verbose_name="用工单位", null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    qualifies = models.BooleanField("符合条件")
    amount = models.DecimalField("测算金额（元）", default=ZERO, **MONEY)
    explanation = models.JSONField("条件核验", default=list)
    application = models.OneToOneField(
        SubsidyApplication, verbose_name="生成的申请", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "筛查结果"
        verbose_name_plural = "筛查结果"
        ordering = ["screening", "-qualifies", "area_code", "id"]

    def __str__(self):
        return f"{self.screening} {'符合' if self.qualifies else '差一项'}"
