"""风险预警 (issue 19): the area's warnings, and the staff's 签收, 处置 (with a case) and 解除 (with a note).

Read and moved through the caller's scope: another area's warning is 404; moves go through risk.services.
"""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from jobcircle.accounts.permissions import CASEWORK
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.assistance.models import AssistanceCase
from jobcircle.risk import services
from jobcircle.risk.enums import WarningKind, WarningStatus
from jobcircle.risk.models import RiskWarning

from .auth import access
from .schemas import AreaCode, ErrorOut, InputSchema, ObjectId, PageQuery, Text

router = Router(tags=["风险预警 warnings"], auth=access(CASEWORK))


class RiskWarningListQuery(PageQuery):
    area: AreaCode | None = None
    kind: WarningKind | None = Field(None, description="预警类型")
    status: WarningStatus | None = Field(None, description="状态")


class RiskWarningOut(Schema):
    id: int
    kind: str
    kind_label: str
    level: int
    subject_kind: str
    subject_id: int
    subject_label: str = Field(description="对象（姓名已脱敏）")
    detail: str
    area_code: str
    status: str
    raised_on: datetime.date
    due_on: datetime.date
    escalated_on: datetime.date | None
    case_id: int | None
    resolution: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()


class RiskWarningPage(Schema):
    count: int
    items: list[RiskWarningOut]


class RiskWarningWorkIn(InputSchema):
    case_id: ObjectId


class RiskWarningResolveIn(InputSchema):
    note: Text(200) = Field(description="解除说明（2–200字）")


def _warning(request, warning_id):
    return get_in_scope_or_404(RiskWarning.objects.all(), request.scope, pk=warning_id)


@router.get("/warnings", response=RiskWarningPage, summary="风险预警列表（按区域、类型、状态）")
def risk_warning_list(request, query: Query[RiskWarningListQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    warnings = RiskWarning.objects.in_scope(request.scope).in_area(region)
    if query.kind:
        warnings = warnings.filter(kind=query.kind)
    if query.status:
        warnings = warnings.filter(status=query.status)
    warnings = warnings.order_by("-level", "due_on", "id")
    return {"count": warnings.count(), "items": query.page(warnings)}


@router.post("/warnings/{int:warning_id}/acknowledge", response={200: RiskWarningOut, 422: ErrorOut},
             summary="签收预警")  # fmt: skip
def risk_warning_acknowledge(request, warning_id: ObjectId):
    return 200, services.acknowledge(_warning(request, warning_id), by=request.user, scope=request.scope)


@router.post("/warnings/{int:warning_id}/work", response={200: RiskWarningOut, 422: ErrorOut},
             summary="处置预警（关联帮扶案件）")  # fmt: skip
def risk_warning_work(request, warning_id: ObjectId, payload: RiskWarningWorkIn):
    warning = _warning(request, warning_id)
    case = get_object_or_404(AssistanceCase.objects.in_scope(request.scope), pk=payload.case_id)
    return 200, services.work(warning, case, by=request.user, scope=request.scope)


@router.post("/warnings/{int:warning_id}/resolve", response={200: RiskWarningOut, 422: ErrorOut},
             summary="解除预警（填写解除说明）")  # fmt: skip
def risk_warning_resolve(request, warning_id: ObjectId, payload: RiskWarningResolveIn):
    return 200, services.resolve(_warning(request, warning_id), payload.note, by=request.user, scope=request.scope)
