from django.db import models


class BorrowerKind(models.TextChoices):
    PERSON = "person", "个人贷款"
    BUSINESS = "business", "小微企业贷款"


class LoanStatus(models.TextChoices):
    """创业担保贷款的流程：申请 → 社区/乡镇初审 → 人社审核 → 担保机构审核 → 银行放款 → 还款中 → 结清 / 逾期 / 代偿."""

    APPLIED = "applied", "已申请（待社区/乡镇初审）"
    LOCAL_PASSED = "local_passed", "初审通过（待人社审核）"
    BUREAU_APPROVED = "bureau_approved", "人社审核通过（待担保机构审核）"
    GUARANTEED = "guaranteed", "担保机构同意（待银行放款）"
    DISBURSED = "disbursed", "银行已放款"
    REPAYING = "repaying", "还款中"
    SETTLED = "settled", "已结清"
    OVERDUE = "overdue", "逾期"
    COMPENSATED = "compensated", "已代偿"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


# A borrower with a loan in one of these states has an outstanding guarantee loan: no second one.
# 代偿 counts: the borrower still owes the guarantee fund.
CLOSED_LOAN_STATES = frozenset({LoanStatus.SETTLED, LoanStatus.REJECTED, LoanStatus.WITHDRAWN})
OPEN_LOAN_STATES = frozenset(set(LoanStatus) - CLOSED_LOAN_STATES)
# Disbursed money: counted by the loan figures.
LENT_STATES = frozenset({LoanStatus.DISBURSED, LoanStatus.REPAYING, LoanStatus.SETTLED, LoanStatus.OVERDUE,
                         LoanStatus.COMPENSATED})  # fmt: skip


class RepaymentMethod(models.TextChoices):
    BULLET = "bullet", "按季付息、到期还本"
    EQUAL_PRINCIPAL = "equal_principal", "按季等额本金"


class CreditFlag(models.TextChoices):
    """Credit flags staff enter from the bank's or the credit bureau's answer."""

    BAD_RECORD = "bad_record", "有不良信用记录"
    DISHONEST = "dishonest", "失信被执行人"
    OTHER_DEBT = "other_debt", "其他逾期债务"


class StartupKind(models.TextChoices):
    SOLE = "sole", "个体工商户"
    PRIVATE = "private", "私营企业"


class ReturneeSource(models.TextChoices):
    NONE = "", "否"
    MONITORING = "monitoring", "监测记录（曾外出务工）"
    DECLARED = "declared", "本人申报"


class BaseKind(models.TextChoices):
    INCUBATOR = "incubator", "创业孵化基地"
    RETURNEE_PARK = "returnee_park", "返乡创业园"
    VETERAN_PARK = "veteran_park", "退役军人创业园地"


class BaseLevel(models.TextChoices):
    NONE = "", "未认定"
    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
