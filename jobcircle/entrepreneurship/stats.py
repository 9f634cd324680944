"""The entrepreneurship figures (INDICATORS.md / POLICIES.md wording), one function each, for an area and a
period; the registry (insights.figures), the API, the screens and the work report read them here.

Each function takes the area as a value (``Region`` or ``areas.codes.Area``) and the period's first and last
day (both inclusive) or the day a stock is read on. Its ``*_records`` twin lists the rows behind the count.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from jobcircle.training import stats as training_stats
from jobcircle.training.enums import ProgrammeKind

from .enums import LENT_STATES, BaseLevel, BorrowerKind, StartupKind
from .models import ZERO, IncubationBase, Loan, Startup, Tenancy
from .schedule import add_months
from .services import outstanding_principal, overdue_instalments

CENT = Decimal("0.01")
SUCCESS_MONTHS = 12  # 创业成功: a start-up registered within 12 months of the 创业培训 completion


def loans_disbursed(region, start: datetime.date, end: datetime.date):
    """Loans the bank disbursed in the period (flow) in the area: the records behind the loan figures."""
    return Loan.objects.in_area(region).filter(status__in=LENT_STATES, disbursed_on__range=(start, end))


@dataclass(frozen=True)
class LoanFigures:
    loans: int  # 发放创业担保贷款（笔）
    amount_yuan: Decimal  # 发放金额（元）
    personal_loans: int
    personal_amount_yuan: Decimal
    business_loans: int
    business_amount_yuan: Decimal
    supported_people: int  # 直接扶持创业（人）
    jobs_created: int  # 带动就业（人）


def loan_figures(region, start: datetime.date, end: datetime.date) -> LoanFigures:
    """发放创业担保贷款 in the period (flow): loans disbursed (笔) and their granted amount (元), split into 个人贷款
    and 小微企业贷款; 直接扶持创业 = distinct borrowers of those loans (人: a business loan supports its one
    entrepreneur); 带动就业 = the jobs those loans' businesses created (人, as recorded on each loan)."""
    qs = loans_disbursed(region, start, end)
    personal, business = Q(borrower_kind=BorrowerKind.PERSON), Q(borrower_kind=BorrowerKind.BUSINESS)
    row = qs.aggregate(
        loans=Count("pk"), amount=Sum("amount_granted"), p=Count("pk", filter=personal),
        pa=Sum("amount_granted", filter=personal), b=Count("pk", filter=business),
        ba=Sum("amount_granted", filter=business), people=Count("borrower", distinct=True), jobs=Sum("jobs_created"),
    )  # fmt: skip
    yuan = lambda value: (value or ZERO).quantize(CENT)  # noqa: E731 - SQLite sums lose the two places
    return LoanFigures(
        row["loans"], yuan(row["amount"]), row["p"], yuan(row["pa"]), row["b"], yuan(row["ba"]), row["people"],
        row["jobs"] or 0,
    )  # fmt: skip


def overdue_loans(region, as_of: datetime.date):
    """Disbursed loans of the area with an instalment unpaid more than the overdue days on ``as_of``."""
    ids = overdue_instalments(Loan.objects.in_area(region), as_of).values("loan_id")
    return Loan.objects.filter(pk__in=ids)


def overdue_rate(region, as_of: datetime.date) -> Decimal:
    """逾期率 (%, stock on ``as_of``): principal outstanding of overdue loans ÷ principal outstanding of every
    disbursed, unsettled loan of the area × 100, two decimals; 0 when nothing is outstanding."""
    live = Loan.objects.in_area(region).filter(status__in=LENT_STATES, disbursed_on__lte=as_of)
    total = outstanding_principal(live)
    if total <= 0:
        return Decimal("0.00")
    overdue = outstanding_principal(overdue_loans(region, as_of))
    return (overdue * 100 / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def startups_registered(region, start: datetime.date, end: datetime.date):
    return Startup.objects.in_area(region).filter(registered_on__range=(start, end))


@dataclass(frozen=True)
class StartupFigures:
    startups: int  # 新增创业实体（户）
    sole: int  # 个体工商户
    private: int  # 私营企业
    returnee: int  # 其中返乡创业
    graduate: int  # 其中大学生创业


def startup_figures(region, start: datetime.date, end: datetime.date) -> StartupFigures:
    """新增私营企业、个体工商户 (flow): start-ups registered in the period, by kind; 返乡创业 = those whose person
    returned from working away (monitoring) or declared it; 大学生创业 = those of a 高校毕业生."""
    row = startups_registered(region, start, end).aggregate(
        n=Count("pk"), sole=Count("pk", filter=Q(kind=StartupKind.SOLE)),
        private=Count("pk", filter=Q(kind=StartupKind.PRIVATE)), returnee=Count("pk", filter=~Q(returnee_source="")),
        graduate=Count("pk", filter=Q(is_graduate=True)),
    )  # fmt: skip
    return StartupFigures(row["n"], row["sole"], row["private"], row["returnee"], row["graduate"])


def bases_on(region, as_of: datetime.date):
    """Bases and parks of the area certified (any level) on ``as_of``."""
    return IncubationBase.objects.in_area(region).exclude(level=BaseLevel.NONE).filter(certified_on__lte=as_of)


def tenants_on(region, as_of: datetime.date):
    """Tenancies of the area's bases running on ``as_of`` (在孵实体)."""
    return (
        Tenancy.objects.in_area(region)
        .filter(moved_in__lte=as_of)
        .filter(Q(moved_out__isnull=True) | Q(moved_out__gt=as_of))
    )


@dataclass(frozen=True)
class BaseFigures:
    bases: int  # 认定的创业孵化基地（园区）（个）
    provincial: int  # 其中省级
    tenants: int  # 在孵实体（户）
    tenant_jobs: int  # 在孵实体带动就业（人）


def base_figures(region, as_of: datetime.date) -> BaseFigures:
    """创业孵化基地 (stock on ``as_of``): certified bases and parks, of which provincial; tenants in them and the
    jobs those tenants created."""
    bases = bases_on(region, as_of)
    tenants = tenants_on(region, as_of)
    return BaseFigures(
        bases.count(), bases.filter(level=BaseLevel.PROVINCE).count(), tenants.count(),
        tenants.aggregate(j=Sum("jobs"))["j"] or 0,
    )  # fmt: skip


@dataclass(frozen=True)
class SuccessRate:
    trainees: int  # 创业培训结业（人）
    succeeded: int  # 其中成功创业（人）
    rate: Decimal  # 创业成功率（%）


def success_rate(completions: Iterable[tuple[int, datetime.date]]) -> SuccessRate:
    """创业成功率 (POLICIES.md): of the people who completed 创业培训 (the cohort given as (resident id, completion
    date) pairs), those who registered a start-up on or after the completion and within 12 months of it,
    ÷ the people completed, × 100, two decimals. A person is counted once (success by any completion).

    The pairs come from ``entrepreneurship_training_completions`` (the training app's 创业培训 programmes)."""
    pairs = list(completions)
    people = {pk for pk, _ in pairs}
    registered = {}
    for pk, day in Startup.objects.filter(resident_id__in=people).values_list("resident_id", "registered_on"):
        registered.setdefault(pk, []).append(day)
    succeeded = {
        pk
        for pk, done in pairs
        if any(done <= day <= add_months(done, SUCCESS_MONTHS) for day in registered.get(pk, ()))
    }
    rate = (Decimal(len(succeeded) * 100) / len(people)).quantize(Decimal("0.01"), ROUND_HALF_UP) if people else ZERO
    return SuccessRate(len(people), len(succeeded), rate)


# 创业培训: the kinds of training programme whose completions count for the 创业成功率.
ENTREPRENEURSHIP_TRAINING = (ProgrammeKind.SYB, ProgrammeKind.GYB, ProgrammeKind.IYB)


def entrepreneurship_training_completions(region, start, end):
    """创业培训结业 (flow): enrolments completed in the period in 创业培训 (SYB/GYB/IYB) programmes whose venue is in
    the area (training.stats.completed, the same definition the training figures use)."""
    return training_stats.completed(region, start, end).filter(programme__kind__in=ENTREPRENEURSHIP_TRAINING)


def training_success(region, start, end) -> SuccessRate:
    """创业成功率 of the people who completed 创业培训 in the period in the area (see ``success_rate``)."""
    return success_rate(
        entrepreneurship_training_completions(region, start, end).values_list("resident_id", "completed_on")
    )
