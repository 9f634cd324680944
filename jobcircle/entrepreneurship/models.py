"""创业服务: guarantee loans (创业担保贷款) with their schedule and repayments, start-ups, incubation bases and
their tenants. Write through entrepreneurship.services only (ADR docs/decisions/entrepreneurship.md)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from jobcircle.areas.querysets import AreaQuerySet
from jobcircle.common.models import TimeStampedModel
from jobcircle.common.workflow import TransitionLog

from .enums import (
    OPEN_LOAN_STATES,
    BaseKind,
    BaseLevel,
    BorrowerKind,
    LoanStatus,
    RepaymentMethod,
    ReturneeSource,
    StartupKind,
)

ZERO = Decimal("0")
MONEY = {"max_digits": 12, "decimal_places": 2}  # 元, two places


def borrower_key(*, resident_id=None, employer_id=None) -> str:
    """One key per borrower across kinds (R<id> a person, E<id> a business): "no second loan" compares it."""
    return f"R{resident_id}" if resident_id else f"E{employer_id}"


class LoanPolicy(models.Model):
    """创业担保贷款政策: cap, term, 贴息 share and the eligibility rule of one borrower kind (configurable data).

    ``rule`` is a list of conditions over subsidies.rules.VOCABULARY["loan_person" | "loan_business"];
    ``interest_policy`` is the subsidies policy the quarterly 贴息 is paid under (its ledger).
    """

    code = models.SlugField("政策代码", max_length=40, unique=True)
    name = models.CharField("政策名称", max_length=60)
    borrower_kind = models.CharField("贷款类型", max_length=16, choices=BorrowerKind.choices)
    cap_amount = models.DecimalField("贷款额度上限（元）", **MONEY)
    max_term_months = models.PositiveSmallIntegerField("最长期限（月）", default=36)
    max_rate = models.DecimalField("利率上限（年化）", max_digits=6, decimal_places=4, default=Decimal("0.0600"))
    subsidy_share = models.DecimalField("财政贴息比例", max_digits=5, decimal_places=4, help_text="0.5 即利息的50%")
    rule = models.JSONField("申请条件")
    interest_policy = models.ForeignKey(
        "subsidies.Policy", verbose_name="贴息补贴政策", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "创业担保贷款政策"
        verbose_name_plural = "创业担保贷款政策"
        ordering = ["code"]

    def __str__(self):
        return self.name


class LoanQuerySet(AreaQuerySet):
    def outstanding(self):
        return self.filter(status__in=OPEN_LOAN_STATES)


class Loan(TimeStampedModel):
    """创业担保贷款: one borrower (a person or a small business), one loan from application to settlement.

    Never two outstanding loans of one borrower (a partial unique constraint: it holds under concurrency).
    ``area_code`` is the borrower's.
    """

    policy = models.ForeignKey(LoanPolicy, verbose_name="贷款政策", on_delete=models.PROTECT, related_name="loans")
    borrower_kind = models.CharField("贷款类型", max_length=16, choices=BorrowerKind.choices)
    resident = models.ForeignKey(
        "people.Resident", verbose_name="借款人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="guarantee_loans",
    )  # fmt: skip
    employer = models.ForeignKey(
        "employers.Employer", verbose_name="借款企业", null=True, blank=True, on_delete=models.PROTECT,
        related_name="guarantee_loans",
    )  # fmt: skip
    borrower = models.CharField("借款人键", max_length=24, editable=False)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    status = models.CharField(
        "状态", max_length=16, choices=LoanStatus.choices, default=LoanStatus.APPLIED, db_index=True
    )
    purpose = models.CharField("贷款用途/创业项目", max_length=200)
    amount_applied = models.DecimalField("申请金额（元）", **MONEY)
    amount_granted = models.DecimalField("放款金额（元）", null=True, blank=True, **MONEY)
    term_months = models.PositiveSmallIntegerField("期限（月）")
    bank = models.CharField("经办银行", max_length=60, blank=True)
    guarantor = models.CharField("担保机构", max_length=60, blank=True)
    contract_no = models.CharField("借款合同号", max_length=40, null=True, blank=True, unique=True)
    annual_rate = models.DecimalField("年利率", max_digits=6, decimal_places=4, null=True, blank=True)
    subsidy_share = models.DecimalField("贴息比例", max_digits=5, decimal_places=4, null=True, blank=True)
    method = models.CharField(
        "还款方式", max_length=16, choices=RepaymentMethod.choices, default=RepaymentMethod.BULLET
    )
    disbursed_on = models.DateField("放款日期", null=True, blank=True)
    maturity_on = models.DateField("到期日期", null=True, blank=True)
    jobs_created = models.PositiveIntegerField("带动就业人数", default=0)
    credit_flags = models.JSONField("信用情况", default=list, blank=True)
    explanation = models.JSONField("条件核验", default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = LoanQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id", "employer": "employer_id"}

    class Meta:
        verbose_name = "创业担保贷款"
        verbose_name_plural = "创业担保贷款"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="loan_one_borrower",
                condition=Q(resident__isnull=False, employer__isnull=True)
                | Q(resident__isnull=True, employer__isnull=False),
            ),
            models.CheckConstraint(name="loan_amount_positive", condition=Q(amount_applied__gt=0)),
            models.UniqueConstraint(
                fields=["borrower"], condition=Q(status__in=sorted(OPEN_LOAN_STATES)), name="loan_one_outstanding"
            ),
        ]

    def __str__(self):
        return f"{self.borrower_name} {self.get_borrower_kind_display()}"

    def save(self, *args, **kwargs):
        self.borrower = borrower_key(resident_id=self.resident_id, employer_id=self.employer_id)
        super().save(*args, **kwargs)

    @property
    def borrower_name(self):
        return str(self.resident) if self.resident_id else self.employer.name


class LoanTransition(TransitionLog):
    """One step of a loan (流转记录); written only through common.workflow.transition."""

    loan = models.ForeignKey(Loan, verbose_name="贷款", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("原状态", max_length=16, choices=LoanStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=LoanStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "贷款流转记录"
        verbose_name_plural = "贷款流转记录"


class LoanEmployee(models.Model):
    """A person the loan's business employs (带动就业, named where known)."""

    loan = models.ForeignKey(Loan, verbose_name="贷款", on_delete=models.CASCADE, related_name="employees")
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("姓名", max_length=40)

    class Meta:
        verbose_name = "带动就业人员"
        verbose_name_plural = "带动就业人员"

    def __str__(self):
        return self.name


class Instalment(models.Model):
    """One line of a loan's repayment schedule (还款计划): what is due on a day, and what was paid of it."""

    loan = models.ForeignKey(Loan, verbose_name="贷款", on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField("期次")
    due_on = models.DateField("应还日期")
    principal = models.DecimalField("应还本金（元）", **MONEY)
    interest = models.DecimalField("应付利息（元）", **MONEY)
    paid_principal = models.DecimalField("已还本金（元）", default=ZERO, **MONEY)
    paid_interest = models.DecimalField("已付利息（元）", default=ZERO, **MONEY)
    settled_on = models.DateField("还清日期", null=True, blank=True)

    class Meta:
        verbose_name = "还款计划"
        verbose_name_plural = "还款计划"
        ordering = ["loan", "number"]
        constraints = [models.UniqueConstraint(fields=["loan", "number"], name="instalment_once")]

    def __str__(self):
        return f"第{self.number}期 {self.due_on}"

    @property
    def due(self) -> Decimal:
        return self.principal + self.interest

    @property
    def unpaid(self) -> Decimal:
        return self.due - self.paid_principal - self.paid_interest


class Repayment(models.Model):
    """One repayment from the bank's monthly statement; ``serial`` (银行流水号) makes a re-import a no-op."""

    loan = models.ForeignKey(Loan, verbose_name="贷款", on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField("还款日期")
    principal = models.DecimalField("还款本金（元）", **MONEY)
    interest = models.DecimalField("还款利息（元）", **MONEY)
    serial = models.CharField("银行流水号", max_length=40, unique=True)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "还款记录"
        verbose_name_plural = "还款记录"
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(name="repayment_not_negative", condition=Q(principal__gte=0, interest__gte=0)),
        ]

    def __str__(self):
        return f"{self.loan} {self.paid_on}"


class InterestSubsidy(models.Model):
    """贴息: one loan's interest subsidy for one quarter, handed to the subsidies ledger once (unique)."""

    loan = models.ForeignKey(Loan, verbose_name="贷款", on_delete=models.PROTECT, related_name="interest_subsidies")
    quarter = models.CharField("季度", max_length=7, help_text="2025-Q1")
    interest_paid = models.DecimalField("当季已付利息（元）", **MONEY)
    amount = models.DecimalField("贴息金额（元）", **MONEY)
    application = models.OneToOneField(
        "subsidies.SubsidyApplication", verbose_name="补贴申请", on_delete=models.PROTECT, related_name="+"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)
    created_at = models.DateTimeField("核算时间", auto_now_add=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "创业担保贷款贴息"
        verbose_name_plural = "创业担保贷款贴息"
        ordering = ["-quarter", "id"]
        constraints = [models.UniqueConstraint(fields=["loan", "quarter"], name="interest_subsidy_once")]

    def __str__(self):
        return f"{self.loan} {self.quarter}贴息"


class Startup(TimeStampedModel):
    """A business a resident registered (个体工商户/私营企业): the market-regulation bureau's registration."""

    name = models.CharField("名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    kind = models.CharField("类型", max_length=16, choices=StartupKind.choices)
    registered_on = models.DateField("登记日期")
    resident = models.ForeignKey(
        "people.Resident", verbose_name="经营者/法定代表人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="startups",
    )  # fmt: skip
    industry = models.ForeignKey(
        "classifications.Industry", verbose_name="行业（GB/T 4754）", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    address = models.CharField("经营地址", max_length=200, blank=True)
    lat = models.FloatField("纬度（WGS-84）", null=True, blank=True)
    lng = models.FloatField("经度（WGS-84）", null=True, blank=True)
    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    jobs = models.PositiveIntegerField("带动就业人数", default=0)
    returnee_source = models.CharField(
        "返乡创业", max_length=16, choices=ReturneeSource.choices, blank=True, default=ReturneeSource.NONE
    )
    is_graduate = models.BooleanField("大学生创业", default=False)

    objects = AreaQuerySet.as_manager()
    scope_owner_fields = {"resident": "resident_id"}

    class Meta:
        verbose_name = "创业实体"
        verbose_name_plural = "创业实体"
        ordering = ["-registered_on", "-id"]

    def __str__(self):
        return self.name

    @property
    def is_returnee(self) -> bool:
        return bool(self.returnee_source)


class IncubationBase(TimeStampedModel):
    """创业孵化基地 / 返乡创业园 / 退役军人创业园地: level, certification, place, capacity."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=BaseKind.choices, default=BaseKind.INCUBATOR)
    level = models.CharField("认定级别", max_length=16, choices=BaseLevel.choices, blank=True)
    certified_on = models.DateField("认定日期", null=True, blank=True)
    operator = models.ForeignKey(
        "employers.Employer", verbose_name="运营主体", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    address = models.CharField("地址", max_length=200, blank=True)
    lat = models.FloatField("纬度（WGS-84）", null=True, blank=True)
    lng = models.FloatField("经度（WGS-84）", null=True, blank=True)
    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    floor_area = models.PositiveIntegerField("场地面积（平方米）", default=0)
    capacity = models.PositiveIntegerField("可容纳入驻实体（户）")

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "创业孵化基地"
        verbose_name_plural = "创业孵化基地"
        ordering = ["area_code", "name"]

    def __str__(self):
        return self.name


class Tenancy(models.Model):
    """A start-up's stay in a base: move-in, move-out, jobs there and the services it received."""

    base = models.ForeignKey(
        IncubationBase, verbose_name="孵化基地", on_delete=models.PROTECT, related_name="tenancies"
    )
    startup = models.ForeignKey(Startup, verbose_name="入驻实体", on_delete=models.PROTECT, related_name="tenancies")
    moved_in = models.DateField("入驻日期")
    moved_out = models.DateField("迁出日期", null=True, blank=True)
    jobs = models.PositiveIntegerField("带动就业人数", default=0)
    services = models.CharField("享受的孵化服务", max_length=200, blank=True)
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "入驻记录"
        verbose_name_plural = "入驻记录"
        ordering = ["base", "-moved_in"]
        constraints = [
            models.UniqueConstraint(
                fields=["startup"], condition=Q(moved_out__isnull=True), name="tenancy_one_current_base"
            ),
        ]

    def __str__(self):
        return f"{self.startup} @ {self.base}"


class BaseAward(models.Model):
    """A base's yearly assessment (tenants, jobs) and its 奖补, handed to the subsidies ledger once a year."""

    base = models.ForeignKey(IncubationBase, verbose_name="孵化基地", on_delete=models.PROTECT, related_name="awards")
    year = models.PositiveSmallIntegerField("年度")
    tenants = models.PositiveIntegerField("年内在孵实体（户）")
    jobs = models.PositiveIntegerField("带动就业人数")
    amount = models.DecimalField("奖补金额（元）", **MONEY)
    application = models.OneToOneField(
        "subsidies.SubsidyApplication", verbose_name="补贴申请", on_delete=models.PROTECT, related_name="+"
    )
    area_code = models.CharField("区划代码", max_length=12, db_index=True, editable=False)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "孵化基地年度奖补"
        verbose_name_plural = "孵化基地年度奖补"
        ordering = ["-year", "base"]
        constraints = [models.UniqueConstraint(fields=["base", "year"], name="base_award_once")]

    def __str__(self):
        return f"{self.base} {self.year}年奖补"
