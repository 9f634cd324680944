"""职业技能培训 and 就业见习: programmes and their rosters, internship positions and placements, and the figures.

Two routers: ``/training/...`` and ``/internships/...``. Staff (casework) see and write in their area; a resident
sees the programmes and positions open near home and enrols themself; the statistics are the dashboard's.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from pydantic import WithJsonSchema

from jobcircle.accounts.enums import Role
from jobcircle.accounts.permissions import CASEWORK, RESIDENT_SELF_SERVICE, VIEW_DASHBOARD
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.common.pii import mask_name
from jobcircle.insights.figures import parse_period
from jobcircle.people.models import Resident
from jobcircle.training import internships, services, stats
from jobcircle.training.enums import EnrolmentSource
from jobcircle.training.models import (
    Enrolment,
    InternPlacement,
    InternshipBase,
    InternshipPosition,
    Programme,
    TrainingProvider,
)

from .auth import access
from .schemas import AreaCode, Code, CommunityCode, ErrorOut, InputSchema, ObjectId, PageQuery, Text

STAFF = access(CASEWORK)
STAFF_OR_RESIDENT = access(CASEWORK, RESIDENT_SELF_SERVICE)
FIGURES = access(VIEW_DASHBOARD)
training_router = Router(tags=["职业技能培训 training"], auth=STAFF)
internship_router = Router(tags=["就业见习 internships"], auth=STAFF)
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_YUAN = Decimal("99999999.99")
# 元 with two decimals, as a JSON number or a decimal string (the schema says both, each bounded).
Money = Annotated[
    Decimal,
    Field(ge=0, le=MAX_YUAN, decimal_places=2),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0, "maximum": float(MAX_YUAN)},
                              {"type": "string", "pattern": r"^[0-9]{1,8}(\.[0-9]{1,2})?$", "maxLength": 11}]}),
]  # fmt: skip


def _resident_of(request):
    return request.user.resident if request.user.role == Role.RESIDENT else None


# --- training ---------------------------------------------------------------------------------------------


class TrainingProgrammeOut(Schema):
    id: int
    name: str
    provider: str = Field(..., alias="provider.name")
    trade: str
    occupation_code: str | None = Field(None, alias="occupation.code")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    level: str
    places: int
    starts_on: datetime.date
    ends_on: datetime.date
    schedule: str
    venue: str
    area_code: str
    lat: float
    lng: float
    subsidy_per_head: Decimal
    min_attendance_percent: int
    status: str
    status_label: str = Field(..., alias="get_status_display")
    target_groups: list[str]

    @staticmethod
    def resolve_target_groups(obj):
        return [g.code for g in obj.target_groups.all()]


class TrainingProgrammePage(Schema):
    count: int
    items: list[TrainingProgrammeOut]


class TrainingProgrammeFilters(PageQuery):
    status: Code | None = None
    kind: Code | None = None
    area: AreaCode | None = None


class TrainingProgrammeIn(InputSchema):
    provider_id: ObjectId
    name: Text(100)
    occupation_code: Code | None = None
    special_name: Text(40) = ""
    kind: Code
    level: Code = "special"
    target_groups: list[Code] = Field([], max_length=20)
    min_age: int = Field(16, ge=16, le=70)
    max_age: int = Field(60, ge=16, le=70)
    places: int = Field(..., ge=1, le=500)
    starts_on: datetime.date
    ends_on: datetime.date
    schedule: Text(200) = ""
    venue: Text(200)
    community_code: CommunityCode
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    coord: Text(8) | None = None
    subsidy_per_head: Money = Decimal(0)
    min_attendance_percent: int = Field(80, ge=1, le=100)
    sessions: list[datetime.date] = Field([], max_length=200, description="课次日期（在开班与结业日期之间）")


class TrainingProgrammePath(InputSchema):
    programme_id: ObjectId


class TrainingEnrolmentOut(Schema):
    id: int
    programme_id: int
    resident_id: int
    resident: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    source: str
    enrolled_on: datetime.date
    completed_on: datetime.date | None
    attendance_percent: int | None
    exam_passed: bool | None
    certificate_kind: str
    certificate_number: str

    @staticmethod
    def resolve_resident(obj):
        return mask_name(obj.resident.name)


class TrainingEnrolmentPage(Schema):
    count: int
    items: list[TrainingEnrolmentOut]


class TrainingEnrolIn(InputSchema):
    resident_id: ObjectId | None = Field(None, description="工作人员代报：居民编号；居民本人报名时省略")


class TrainingStatisticsQuery(InputSchema):
    period: Text(32) | None = Field(None, description="期间：2026-03、2026-Q1、2026-H1、2026 或 2026-01-01~2026-03-31")
    area: AreaCode | None = None


class TrainingStatisticsOut(Schema):
    programmes: int = Field(..., description="开班的培训期数（期间，流量）")
    trainees: int = Field(..., description="上述各期未退出的学员（人次）")
    completed: int = Field(..., description="期间结业（人次）")
    employed_after: int = Field(..., description="期间结业、结业后6个月内就业（人次）")


def _programmes():
    return Programme.objects.select_related("provider", "occupation").prefetch_related("target_groups")


@training_router.get(
    "/programmes", response={200: TrainingProgrammePage, **ERRORS}, auth=STAFF_OR_RESIDENT,
    summary="培训项目：工作人员看本辖区（可按状态、类型、区划筛选）；居民看通勤范围内（默认3公里）正在招生的项目",
)  # fmt: skip
def list_programmes(request, filters: Query[TrainingProgrammeFilters]):
    resident = _resident_of(request)
    if resident is not None:
        rows = services.nearby_programmes(resident)
        return {"count": len(rows), "items": rows[filters.offset : filters.offset + filters.limit]}
    qs = _programmes().in_scope(request.scope)
    if filters.area:
        qs = qs.in_area(region_in_scope_or_404(request.scope, filters.area))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return {"count": qs.count(), "items": filters.page(qs)}


@training_router.post("/programmes", response={201: TrainingProgrammeOut, **ERRORS},
                      summary="开设培训项目（招生）：机构在本辖区，字段逐项校验")  # fmt: skip
def create_programme(request, payload: TrainingProgrammeIn):
    provider = get_in_scope_or_404(TrainingProvider.objects, request.scope, pk=payload.provider_id)
    data = payload.dict(exclude={"provider_id", "sessions"})
    programme = services.create_programme(provider, data, by=request.user, scope=request.scope,
                                          sessions=payload.sessions)  # fmt: skip
    return 201, _programmes().get(pk=programme.pk)


@training_router.get("/programmes/{programme_id}/enrolments", response={200: TrainingEnrolmentPage, **ERRORS},
                     summary="培训项目的学员名单（姓名脱敏）")  # fmt: skip
def list_enrolments(request, path: Path[TrainingProgrammePath], page: Query[PageQuery]):
    programme = get_in_scope_or_404(Programme.objects, request.scope, pk=path.programme_id)
    qs = Enrolment.objects.filter(programme=programme).select_related("resident")
    return {"count": qs.count(), "items": page.page(qs)}


@training_router.post(
    "/programmes/{programme_id}/enrolments", response={201: TrainingEnrolmentOut, **ERRORS}, auth=STAFF_OR_RESIDENT,
    summary="报名：居民本人报名家附近的项目，或工作人员为本辖区居民代报；不符合条件时逐条列出",
)  # fmt: skip
def enrol(request, path: Path[TrainingProgrammePath], payload: TrainingEnrolIn):
    resident = _resident_of(request)
    if resident is not None:
        programme = Programme.objects.open_for_enrolment().filter(pk=path.programme_id).first()
        if programme is None:  # not open for enrolment looks like missing
            raise Http404
        enrolment = services.enrol(programme, resident, by=request.user, source=EnrolmentSource.SELF)
    else:
        programme = get_in_scope_or_404(Programme.objects, request.scope, pk=path.programme_id)
        if payload.resident_id is None:
            raise ValidationError({"resident_id": ["居民编号：工作人员代报时必填"]})
        person = get_in_scope_or_404(Resident.objects, request.scope, pk=payload.resident_id)
        enrolment = services.enrol(programme, person, by=request.user, scope=request.scope)
    return 201, Enrolment.objects.select_related("resident").get(pk=enrolment.pk)


@training_router.get(
    "/statistics", response={200: TrainingStatisticsOut, **ERRORS}, auth=FIGURES,
    summary="培训统计：开班期数、培训人次、结业人次、结业后6个月内就业人次（本辖区，按期间）",
)  # fmt: skip
def training_statistics(request, query: Query[TrainingStatisticsQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    period = parse_period(query.period)
    return stats.training_figures(region, period.start, period.end)


# --- internships -----------------------------------------------------------------------------------------


class InternshipPositionOut(Schema):
    id: int
    title: str
    employer: str = Field(..., alias="base.employer.name")
    occupation_code: str | None = Field(None, alias="occupation.code")
    places: int
    term_months: int
    monthly_allowance: Decimal
    address: str
    area_code: str
    lat: float
    lng: float
    raised_on: datetime.date
    is_open: bool


class InternshipPositionPage(Schema):
    count: int
    items: list[InternshipPositionOut]


class InternshipPositionFilters(PageQuery):
    area: AreaCode | None = None
    is_open: bool | None = None


class InternshipPositionIn(InputSchema):
    base_id: ObjectId
    title: Text(60)
    occupation_code: Code | None = None
    places: int = Field(..., ge=1, le=500)
    term_months: int = Field(..., ge=3, le=12)
    monthly_allowance: Money
    address: Text(200)
    raised_on: datetime.date | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    coord: Text(8) | None = None


class InternshipPlacementOut(Schema):
    id: int
    position_id: int
    resident_id: int
    status: str
    status_label: str = Field(..., alias="get_status_display")
    started_on: datetime.date
    planned_end_on: datetime.date
    ended_on: datetime.date | None
    exit_reason: str
    retained: bool | None
    area_code: str


class InternshipPlacementPage(Schema):
    count: int
    items: list[InternshipPlacementOut]


class InternshipPlacementFilters(PageQuery):
    area: AreaCode | None = None
    status: Code | None = None


class InternshipPlacementIn(InputSchema):
    position_id: ObjectId
    resident_id: ObjectId
    started_on: datetime.date | None = None


class InternshipStatisticsQuery(InputSchema):
    date: datetime.date | None = Field(
        None, description="统计日（默认今天）：在岗与基地为该日时点数，岗位与留用为当年1月1日至该日"
    )
    area: AreaCode | None = None


class InternshipStatisticsOut(Schema):
    bases: int = Field(..., description="该日已认定的见习基地（个，时点）")
    positions: int = Field(..., description="当年1月1日至该日募集的见习岗位（个，流量）")
    on_post: int = Field(..., description="该日见习在岗（人，时点）")
    retained: int = Field(..., description="当年1月1日至该日见习期满留用（人，流量）")


def _positions():
    return InternshipPosition.objects.select_related("base__employer", "occupation")


@internship_router.get("/positions", response={200: InternshipPositionPage, **ERRORS}, auth=STAFF_OR_RESIDENT,
                       summary="见习岗位：工作人员看本辖区；居民看家附近3公里内招募中的岗位")  # fmt: skip
def list_positions(request, filters: Query[InternshipPositionFilters]):
    resident = _resident_of(request)
    if resident is not None:
        rows = internships.nearby_positions(resident)
        return {"count": len(rows), "items": rows[filters.offset : filters.offset + filters.limit]}
    qs = _positions().in_scope(request.scope)
    if filters.area:
        qs = qs.in_area(region_in_scope_or_404(request.scope, filters.area))
    if filters.is_open is not None:
        qs = qs.filter(is_open=filters.is_open)
    return {"count": qs.count(), "items": filters.page(qs)}


@internship_router.post("/positions", response={201: InternshipPositionOut, **ERRORS},
                        summary="募集见习岗位（见习基地在本辖区，人数不超过基地容量，期限3–12个月）")  # fmt: skip
def raise_position(request, payload: InternshipPositionIn):
    base = get_in_scope_or_404(InternshipBase.objects.select_related("employer"), request.scope, pk=payload.base_id)
    position = internships.raise_position(base, payload.dict(exclude={"base_id"}), by=request.user, scope=request.scope)
    return 201, _positions().get(pk=position.pk)


@internship_router.get("/placements", response={200: InternshipPlacementPage, **ERRORS},
                       summary="见习人员（本辖区，可按状态筛选）")  # fmt: skip
def list_placements(request, filters: Query[InternshipPlacementFilters]):
    qs = InternPlacement.objects.in_scope(request.scope)
    if filters.area:
        qs = qs.in_area(region_in_scope_or_404(request.scope, filters.area))
    if filters.status:
        qs = qs.filter(status=filters.status)
    return {"count": qs.count(), "items": filters.page(qs)}


@internship_router.post("/placements", response={201: InternshipPlacementOut, **ERRORS},
                        summary="安排见习：未就业高校毕业生或16–24岁失业青年，不符合条件时逐条列出")  # fmt: skip
def place_intern(request, payload: InternshipPlacementIn):
    position = get_in_scope_or_404(InternshipPosition.objects, request.scope, pk=payload.position_id)
    person = get_in_scope_or_404(Resident.objects, request.scope, pk=payload.resident_id)
    placement = internships.place_intern(position, person, by=request.user, scope=request.scope,
                                         started_on=payload.started_on)  # fmt: skip
    return 201, placement


@internship_router.get("/statistics", response={200: InternshipStatisticsOut, **ERRORS}, auth=FIGURES,
                       summary="见习统计：基地、募集岗位、在岗、留用（本辖区，按统计日）")  # fmt: skip
def internship_statistics(request, query: Query[InternshipStatisticsQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    day = query.date or timezone.localdate()
    if not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
        raise ValidationError({"date": ["统计日：应在2000年至2100年之间"]})
    return stats.internship_figures(region, day.replace(month=1, day=1), day, day)
