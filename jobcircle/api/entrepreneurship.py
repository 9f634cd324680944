"""创业服务: guarantee loans (apply, review, disburse), start-ups, incubation bases and the figures."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema

from jobcircle.accounts.enums import Role
from jobcircle.accounts.permissions import CASEWORK, EMPLOYER_SELF_SERVICE, RESIDENT_SELF_SERVICE, VIEW_DASHBOARD
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.employers.models import Employer
from jobcircle.entrepreneurship import services, stats
from jobcircle.entrepreneurship.enums import LoanStatus
from jobcircle.entrepreneurship.models import IncubationBase, Loan, LoanPolicy, LoanTransition, Startup
from jobcircle.insights.figures import parse_period
from jobcircle.people.models import Resident

from .auth import access
from .schemas import AreaCode, Code, ErrorOut, InputSchema, ModelText, ObjectId, PageQuery, Text

router = Router(tags=["创业服务 entrepreneurship"], auth=access(CASEWORK))
BORROWERS = access(CASEWORK, RESIDENT_SELF_SERVICE, EMPLOYER_SELF_SERVICE)
FIGURES = access(VIEW_DASHBOARD)
# Money and rates travel as decimal text (the services make them Decimal): no float rounding on the way in.
Yuan = Annotated[str, Field(pattern=r"^[0-9]{1,10}(\.[0-9]{1,2})?$", description="金额（元，最多两位小数）")]
Rate = Annotated[str, Field(pattern=r"^0\.[0-9]{1,4}$", description="年利率（如 0.0385）")]


class LoanTransitionOut(Schema):
    from_status: str
    to_status: str
    by_id: int | None
    reason: str
    at: datetime.datetime


class LoanInstalmentOut(Schema):
    number: int
    due_on: datetime.date
    principal: Decimal
    interest: Decimal
    paid_principal: Decimal
    paid_interest: Decimal
    settled_on: datetime.date | None


class LoanOut(Schema):
    id: int
    policy: str = Field(..., alias="policy.code")
    borrower_kind: str
    borrower: str = Field(..., alias="borrower_name")
    resident_id: int | None
    employer_id: int | None
    area_code: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    purpose: str
    amount_applied: Decimal
    amount_granted: Decimal | None
    term_months: int
    bank: str
    guarantor: str
    contract_no: str | None
    annual_rate: Decimal | None
    subsidy_share: Decimal | None
    method: str
    disbursed_on: datetime.date | None
    maturity_on: datetime.date | None
    jobs_created: int
    credit_flags: list[str]
    created_at: datetime.datetime


class LoanDetailOut(LoanOut):
    transitions: list[LoanTransitionOut]
    instalments: list[LoanInstalmentOut]

    @staticmethod
    def resolve_transitions(obj):
        return list(obj.transitions.all())

    @staticmethod
    def resolve_instalments(obj):
        return list(obj.instalments.all())


class LoanPage(Schema):
    count: int
    items: list[LoanOut]


class LoanFilters(PageQuery):
    status: Code | None = None
    borrower_kind: Code | None = None
    area: AreaCode | None = None


class LoanApplyIn(InputSchema):
    policy: Code = Field(..., description="贷款政策代码：personal 个人贷款 / business 小微企业贷款")
    amount: Yuan
    term_months: int = Field(..., ge=3, le=120, description="期限（月，3的倍数）")
    purpose: ModelText(Loan, "purpose")
    jobs_created: int = Field(0, ge=0, le=100000, description="带动就业人数")
    resident_id: ObjectId | None = Field(None, description="工作人员代办：居民编号")
    employer_id: ObjectId | None = Field(None, description="工作人员代办：单位编号")


class LoanTransitionIn(InputSchema):
    action: Code = Field(..., description="local_pass 初审通过 / approve 人社审核通过 / guarantee 担保机构同意 / "
                         "disburse 银行放款 / reject 不予通过 / withdraw 撤回 / compensate 代偿")  # fmt: skip
    reason: ModelText(LoanTransition, "reason") = ""
    credit_flags: list[Code] | None = Field(None, max_length=10, description="初审：信用情况代码")
    guarantor: Text(60) = ""
    amount: Yuan | None = None
    annual_rate: Rate | None = None
    bank: Text(60) = ""
    contract_no: Text(40) = ""
    disbursed_on: datetime.date | None = None
    method: Code = "bullet"


class StartupOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str
    registered_on: datetime.date
    resident_id: int | None
    industry_code: str | None = Field(None, alias="industry.code")
    area_code: str
    jobs: int
    returnee: bool = Field(..., alias="is_returnee")
    returnee_source: str
    graduate: bool = Field(..., alias="is_graduate")


class StartupPage(Schema):
    count: int
    items: list[StartupOut]


class StartupFilters(PageQuery):
    kind: Code | None = None
    returnee: bool | None = None
    area: AreaCode | None = None


class BaseOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    certified_on: datetime.date | None
    area_code: str
    address: str
    lat: float | None
    lng: float | None
    capacity: int
    tenants: int

    @staticmethod
    def resolve_tenants(obj):
        return obj.tenancies.filter(moved_out__isnull=True).count()


class BaseFilters(InputSchema):
    area: AreaCode | None = None


class EntrepreneurshipStatisticsQuery(InputSchema):
    period: Text(21) | None = Field(None, description="统计期间：2026-03、2026-Q2、2026-H2、2026 或 起~止；省略为本月")
    area: AreaCode | None = None


class EntrepreneurshipStatisticsOut(Schema):
    period: str
    loans: int
    loan_amount_yuan: Decimal
    supported_people: int
    jobs_created: int
    startups: int
    returnee_startups: int


def _loans():
    return Loan.objects.select_related("policy", "resident", "employer")


@router.get("/loans", response={200: LoanPage, 403: ErrorOut, 404: ErrorOut}, auth=BORROWERS,
            summary="创业担保贷款列表（本人/本单位/本辖区），可按状态、类型、区划筛选")  # fmt: skip
def list_loans(request, filters: Query[LoanFilters]):
    qs = _loans().in_scope(request.scope)
    if filters.area:
        qs = qs.in_area(region_in_scope_or_404(request.scope, filters.area))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.borrower_kind:
        qs = qs.filter(borrower_kind=filters.borrower_kind)
    return {"count": qs.count(), "items": filters.page(qs)}


def _borrower(request, policy, payload):
    """The borrower: one's own record (resident, employer), or (staff) one of the area."""
    user = request.user
    if user.role == Role.RESIDENT:
        borrower = user.resident
    elif user.role == Role.EMPLOYER:
        borrower = user.employer
    elif policy.borrower_kind == "person" and payload.resident_id:
        borrower = get_in_scope_or_404(Resident.objects, request.scope, pk=payload.resident_id)
    elif policy.borrower_kind == "business" and payload.employer_id:
        borrower = get_in_scope_or_404(Employer.objects, request.scope, pk=payload.employer_id)
    else:
        raise ValidationError({"resident_id": ["借款人：请填写居民编号（个人贷款）或单位编号（小微企业贷款）"]})
    if borrower is None:
        raise PermissionDenied
    return borrower


@router.post("/loans", response={201: LoanDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, auth=BORROWERS,
             summary="申请创业担保贷款（本人/本单位，或工作人员代办）：按政策条件与额度核验")  # fmt: skip
def apply(request, payload: LoanApplyIn):
    policy = LoanPolicy.objects.filter(code=payload.policy, is_active=True).first()
    if policy is None:
        raise ValidationError({"policy": [f"贷款政策：无效的取值“{payload.policy}”"]})
    loan = services.apply_for_loan(
        policy, _borrower(request, policy, payload), amount=payload.amount, term_months=payload.term_months,
        purpose=payload.purpose, by=request.user, jobs_created=payload.jobs_created,
    )  # fmt: skip
    return 201, _loans().get(pk=loan.pk)


@router.get("/loans/{int:loan_id}", response={200: LoanDetailOut, 403: ErrorOut, 404: ErrorOut}, auth=BORROWERS,
            summary="创业担保贷款详情（含流转记录和还款计划）")  # fmt: skip
def get_loan(request, loan_id: int):
    return get_in_scope_or_404(_loans(), request.scope, pk=loan_id)


ACTIONS = {"local_pass": LoanStatus.LOCAL_PASSED, "approve": LoanStatus.BUREAU_APPROVED,
           "guarantee": LoanStatus.GUARANTEED, "reject": LoanStatus.REJECTED, "withdraw": LoanStatus.WITHDRAWN,
           "compensate": LoanStatus.COMPENSATED}  # fmt: skip


@router.post(
    "/loans/{int:loan_id}/transition",
    response={200: LoanDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=BORROWERS,
    summary="办理创业担保贷款：初审、人社审核、担保机构审核、银行放款、不予通过、撤回、代偿",
    description="还款中、逾期、结清由还款记录自动变更，不能在此操作。",
)
def transition_loan(request, loan_id: int, payload: LoanTransitionIn):
    loan = get_in_scope_or_404(_loans(), request.scope, pk=loan_id)
    if payload.action == "disburse":
        if payload.amount is None or payload.annual_rate is None or payload.disbursed_on is None:
            raise ValidationError({"amount": ["银行放款：请填写放款金额、年利率和放款日期"]})
        services.disburse_loan(
            loan, by=request.user, scope=request.scope, amount=payload.amount, annual_rate=payload.annual_rate,
            bank=payload.bank, contract_no=payload.contract_no, disbursed_on=payload.disbursed_on,
            method=payload.method,
        )  # fmt: skip
    elif payload.action in ACTIONS:
        services.move_loan(
            loan, ACTIONS[payload.action], by=request.user, scope=request.scope, reason=payload.reason,
            credit_flags=payload.credit_flags, guarantor=payload.guarantor,
        )  # fmt: skip
    else:
        raise ValidationError({"action": [f"操作：无效的取值“{payload.action}”"]})
    return _loans().get(pk=loan_id)


@router.get("/startups", response={200: StartupPage, 403: ErrorOut, 404: ErrorOut},
            summary="创业实体（个体工商户、私营企业）：本辖区，可按类型、返乡创业、区划筛选")  # fmt: skip
def list_startups(request, filters: Query[StartupFilters]):
    qs = Startup.objects.in_scope(request.scope).select_related("industry")
    if filters.area:
        qs = qs.in_area(region_in_scope_or_404(request.scope, filters.area))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.returnee is not None:
        qs = qs.exclude(returnee_source="") if filters.returnee else qs.filter(returnee_source="")
    return {"count": qs.count(), "items": filters.page(qs)}


@router.get("/bases", response={200: list[BaseOut], 403: ErrorOut, 404: ErrorOut},
            summary="创业孵化基地（园区）：本辖区，含在孵实体数")  # fmt: skip
def list_bases(request, filters: Query[BaseFilters]):
    qs = IncubationBase.objects.in_scope(request.scope)
    if filters.area:
        qs = qs.in_area(region_in_scope_or_404(request.scope, filters.area))
    return list(qs[:200])


@router.get(
    "/statistics",
    response={200: EntrepreneurshipStatisticsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=FIGURES,
    summary="创业服务统计：发放贷款笔数与金额（元）、直接扶持创业人数、带动就业人数、新增创业实体与返乡创业，本辖区",
)
def statistics(request, query: Query[EntrepreneurshipStatisticsQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    period = parse_period(query.period)
    loans = stats.loan_figures(region, period.start, period.end)
    startups = stats.startup_figures(region, period.start, period.end)
    return {
        "period": period.label, "loans": loans.loans, "loan_amount_yuan": loans.amount_yuan,
        "supported_people": loans.supported_people, "jobs_created": loans.jobs_created,
        "startups": startups.startups, "returnee_startups": startups.returnee,
    }  # fmt: skip
