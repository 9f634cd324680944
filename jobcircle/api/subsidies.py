"""就业补贴: the policy catalogue, 免申即享 screening, applications and their review, payout batches, figures."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from jobcircle.accounts.enums import Role
from jobcircle.accounts.permissions import (
    EMPLOYER_SELF_SERVICE,
    MANAGE_SUBSIDIES,
    RESIDENT_SELF_SERVICE,
    REVIEW_SUBSIDIES,
    VIEW_DASHBOARD,
)
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.employers.models import Employer
from jobcircle.people.models import Resident
from jobcircle.subsidies import screening as screenings
from jobcircle.subsidies import services
from jobcircle.subsidies.models import PayoutBatch, Policy, Screening, SubsidyApplication, SubsidyApplicationTransition

from .auth import access
from .schemas import AreaCode, Code, ErrorOut, InputSchema, ModelText, ObjectId, PageQuery, Text

router = Router(tags=["就业补贴 subsidies"], auth=access(REVIEW_SUBSIDIES))
APPLICANTS = access(REVIEW_SUBSIDIES, RESIDENT_SELF_SERVICE, EMPLOYER_SELF_SERVICE)
MANAGERS = access(MANAGE_SUBSIDIES)
FIGURES = access(VIEW_DASHBOARD)
Period = Text(7)


class SubsidyPolicyOut(Schema):
    code: str
    name: str
    beneficiary_kind: str
    version: int | None
    valid_from: datetime.date | None
    amount_kind: str | None
    amount: Decimal | None
    yearly_budget: Decimal | None
    review_levels: list[str]
    required_evidence: list[str]
    legal_basis: str
    conditions: list[str]


class SubsidyCheckOut(Schema):
    label: str
    holds: bool
    detail: str


class SubsidyHitOut(Schema):
    id: int
    resident_id: int | None
    employer_id: int | None
    area_code: str
    qualifies: bool
    amount: Decimal
    explanation: list[SubsidyCheckOut]
    application_id: int | None


class SubsidyScreeningOut(Schema):
    id: int
    policy: str = Field(..., alias="policy.code")
    period: str
    area_code: str
    state: str
    screened: int
    percent: int
    hits: list[SubsidyHitOut]

    @staticmethod
    def resolve_percent(obj):
        return obj.progress.percent if obj.progress_id else 100

    @staticmethod
    def resolve_hits(obj):
        return list(obj.hits.all()[:500])


class SubsidyPolicyPath(InputSchema):
    policy_code: Code  # named apart from the figures' {code}: one name per kind of path id


class SubsidyScreenIn(InputSchema):
    period: Period
    area: AreaCode | None = None
    confirm: list[ObjectId] | None = Field(None, description="确认这些筛查结果（id）生成申请；省略则发起新的筛查")
    screening_id: ObjectId | None = Field(None, description="确认时：筛查编号")


class SubsidyTransitionOut(Schema):
    from_status: str
    to_status: str
    by_id: int | None
    reason: str
    at: datetime.datetime


class SubsidyApplicationOut(Schema):
    id: int
    policy: str = Field(..., alias="policy.code")
    period: str
    beneficiary: str = Field(..., alias="beneficiary_name")
    resident_id: int | None
    employer_id: int | None
    amount: Decimal
    status: str
    status_label: str = Field(..., alias="get_status_display")
    source: str
    rule_version: int
    explanation: list[SubsidyCheckOut]
    area_code: str
    bank_account: str = Field(..., alias="bank_account_masked")
    created_at: datetime.datetime


class SubsidyApplicationDetailOut(SubsidyApplicationOut):
    transitions: list[SubsidyTransitionOut]

    @staticmethod
    def resolve_transitions(obj):
        return list(obj.transitions.all())


class SubsidyApplicationPage(Schema):
    count: int
    items: list[SubsidyApplicationOut]


class SubsidyApplicationFilters(PageQuery):
    policy: Code | None = None
    status: Code | None = None
    area: AreaCode | None = None


class SubsidyApplyIn(InputSchema):
    policy: Code
    period: Period
    resident_id: ObjectId | None = Field(None, description="工作人员代办：居民编号")
    employer_id: ObjectId | None = Field(None, description="工作人员代办：单位编号")
    bank_name: ModelText(SubsidyApplication, "bank_name") = ""
    bank_account: Text(32) = ""


class SubsidyTransitionIn(InputSchema):
    action: Code = Field(
        ..., description="approve 通过 / return 退回 / reject 不予通过 / withdraw 撤回 / resubmit 重新提交"
    )
    reason: ModelText(SubsidyApplicationTransition, "reason") = ""


class SubsidyBatchIn(InputSchema):
    policy: Code
    application_ids: list[ObjectId] = Field(..., min_length=1, max_length=2000)


class SubsidyBatchOut(Schema):
    id: int
    policy: str = Field(..., alias="policy.code")
    status: str
    area_code: str
    lines: int
    amount_yuan: Decimal
    created_at: datetime.datetime

    @staticmethod
    def resolve_lines(obj):
        return obj.lines.count()

    @staticmethod
    def resolve_amount_yuan(obj):
        return sum((line.amount for line in obj.lines.all()), Decimal(0))


class SubsidyStatisticsQuery(InputSchema):
    policy: Code
    period: Period
    area: AreaCode | None = None


class SubsidyStatisticsOut(Schema):
    policy: str
    period: str
    unit: str
    beneficiaries: int
    person_times: int
    amount_yuan: Decimal
    amount_wan: Decimal
    budget_used: Decimal
    budget: Decimal | None


def _policy(code) -> Policy:
    policy = Policy.objects.filter(code=code, is_active=True).first()
    if policy is None:
        raise Http404
    return policy


def _policy_out(policy):
    version = policy.version_on(timezone.localdate())
    return {
        "code": policy.code, "name": policy.name, "beneficiary_kind": policy.beneficiary_kind,
        "version": version and version.number, "valid_from": version and version.valid_from,
        "amount_kind": version and version.amount_kind, "amount": version and version.amount,
        "yearly_budget": version and version.yearly_budget, "review_levels": version.review_levels if version else [],
        "required_evidence": version.required_evidence if version else [],
        "legal_basis": version.legal_basis if version else "",
        "conditions": [c["label"] for c in version.rule] if version else [],
    }  # fmt: skip


@router.get("/policies", response={200: list[SubsidyPolicyOut], 403: ErrorOut}, summary="补贴政策目录（当前有效版本）")
def list_policies(request):
    return [_policy_out(p) for p in Policy.objects.filter(is_active=True).prefetch_related("versions")]


def _screening_out(screening_id):
    return Screening.objects.select_related("policy", "progress").get(pk=screening_id)


@router.post(
    "/policies/{policy_code}/screen",
    response={202: SubsidyScreeningOut, 200: list[SubsidyApplicationOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=MANAGERS,
    summary="免申即享：发起筛查（后台任务），或确认筛查结果生成申请",
    description="不带 confirm：对本辖区（或 area）发起筛查，返回筛查及进度；带 screening_id 和 confirm：确认这些结果，"
    "生成已进入审核的申请并通知本人。",
)
def screen_policy(request, path: Path[SubsidyPolicyPath], payload: SubsidyScreenIn):
    policy = _policy(path.policy_code)
    if payload.confirm is not None:
        screening = get_in_scope_or_404(Screening.objects.filter(policy=policy), request.scope, pk=payload.screening_id)
        created = screenings.confirm_hits(screening, payload.confirm, by=request.user, scope=request.scope)
        return 200, SubsidyApplication.objects.filter(pk__in=[a.pk for a in created]).select_related("policy")
    screening = screenings.start_screening(
        policy, payload.period, by=request.user, scope=request.scope, area_code=payload.area or ""
    )
    return 202, _screening_out(screening.pk)


@router.get(
    "/policies/{policy_code}/screen",
    response={200: SubsidyScreeningOut, 403: ErrorOut, 404: ErrorOut},
    auth=MANAGERS,
    summary="免申即享：最近一次筛查的结果（符合条件且未享受的对象及理由、差一项的对象）",
)
def screening_result(request, path: Path[SubsidyPolicyPath]):
    screening = Screening.objects.in_scope(request.scope).filter(policy=_policy(path.policy_code)).first()
    if screening is None:
        raise Http404
    return _screening_out(screening.pk)


def _applications():
    return SubsidyApplication.objects.select_related("policy", "resident", "employer")


@router.get(
    "/applications", response={200: SubsidyApplicationPage, 403: ErrorOut, 404: ErrorOut}, auth=APPLICANTS,
    summary="补贴申请列表（本人/本单位/本辖区），可按政策、状态、区划筛选",
)  # fmt: skip
def list_applications(request, filters: Query[SubsidyApplicationFilters]):
    qs = _applications().in_scope(request.scope)
    if filters.area:
        qs = qs.in_area(region_in_scope_or_404(request.scope, filters.area))
    if filters.policy:
        qs = qs.filter(policy__code=filters.policy)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return {"count": qs.count(), "items": filters.page(qs)}


def _beneficiary(request, policy, payload):
    """The resident or employer applying: one's own record, or (staff) one in the area."""
    user = request.user
    if user.role == Role.RESIDENT:
        beneficiary = user.resident
    elif user.role == Role.EMPLOYER:
        beneficiary = user.employer
    elif policy.beneficiary_kind == "person" and payload.resident_id:
        beneficiary = get_in_scope_or_404(Resident.objects, request.scope, pk=payload.resident_id)
    elif policy.beneficiary_kind == "employer" and payload.employer_id:
        beneficiary = get_in_scope_or_404(Employer.objects, request.scope, pk=payload.employer_id)
    else:
        raise ValidationError({"resident_id": ["申请对象：请填写居民编号或单位编号"]})
    kind_ok = (policy.beneficiary_kind == "person") == isinstance(beneficiary, Resident)
    if beneficiary is None or not kind_ok:
        raise PermissionDenied
    return beneficiary


@router.post(
    "/applications",
    response={201: SubsidyApplicationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=APPLICANTS,
    summary="申请补贴（本人/本单位，或工作人员代办）：提交时按享受条件核验，不符合时列出未满足的条件",
)  # fmt: skip
def apply(request, payload: SubsidyApplyIn):
    policy = _policy(payload.policy)
    beneficiary = _beneficiary(request, policy, payload)
    source = "staff" if request.user.role not in (Role.RESIDENT, Role.EMPLOYER) else "self"
    application = services.submit_application(
        policy, beneficiary, payload.period, by=request.user, scope=request.scope, bank_name=payload.bank_name,
        bank_account=payload.bank_account, source=source,
    )  # fmt: skip
    return 201, _applications().get(pk=application.pk)


@router.get(
    "/applications/{int:application_id}", response={200: SubsidyApplicationDetailOut, 403: ErrorOut, 404: ErrorOut},
    auth=APPLICANTS, summary="补贴申请详情（含条件核验和流转记录）",
)  # fmt: skip
def get_application(request, application_id: int):
    return get_in_scope_or_404(_applications().prefetch_related("transitions"), request.scope, pk=application_id)


@router.post(
    "/applications/{int:application_id}/transition",
    response={200: SubsidyApplicationDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=APPLICANTS,
    summary="审核补贴申请：通过（进入下一级或核定）、退回、不予通过；申请人撤回或重新提交",
)
def transition_application(request, application_id: int, payload: SubsidyTransitionIn):
    application = get_in_scope_or_404(_applications(), request.scope, pk=application_id)
    if payload.action in ("approve", "return", "reject"):
        services.review_application(
            application, payload.action, by=request.user, scope=request.scope, reason=payload.reason
        )
    elif payload.action == "withdraw":
        services.move_application(application, "withdrawn", by=request.user, scope=request.scope, reason=payload.reason)
    elif payload.action == "resubmit":
        first = services.review_states(application.version)[0]
        services.move_application(application, first, by=request.user, scope=request.scope, reason=payload.reason)
    else:
        raise ValidationError({"action": [f"操作：无效的取值“{payload.action}”"]})
    return _applications().prefetch_related("transitions").get(pk=application_id)


@router.get(
    "/batches", response={200: list[SubsidyBatchOut], 403: ErrorOut}, auth=MANAGERS, summary="发放批次（本辖区）"
)
def list_batches(request):
    return list(PayoutBatch.objects.in_scope(request.scope).select_related("policy").prefetch_related("lines")[:100])


@router.post(
    "/batches", response={201: SubsidyBatchOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, auth=MANAGERS,
    summary="将已核定的申请编入发放批次",
)  # fmt: skip
def create_batch(request, payload: SubsidyBatchIn):
    policy = _policy(payload.policy)
    return 201, services.create_batch(policy, payload.application_ids, by=request.user, scope=request.scope)


@router.get(
    "/statistics", response={200: SubsidyStatisticsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, auth=FIGURES,
    summary="补贴发放统计：受益人数（人/家）、人次、金额（元，扣除追回），按政策和期间，本辖区",
)  # fmt: skip
def statistics(request, query: Query[SubsidyStatisticsQuery]):
    prefix = region_in_scope_or_404(request.scope, query.area).scope_prefix
    services.period_year(query.period)
    return services.statistics(_policy(query.policy), query.period, area_prefix=prefix)
