"""Recruiting pipeline: applications, their moves (面试、录用、入职) and the staff funnel."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from jobcircle.areas.scoping import area_prefix_in_scope_or_404, get_in_scope_or_404
from jobcircle.common import pii
from jobcircle.employers.models import Job
from jobcircle.recruiting import services
from jobcircle.recruiting.enums import ApplicationStatus
from jobcircle.recruiting.models import Application

from .schemas import ErrorOut

router = Router(tags=["招聘 recruiting"])


class TransitionOut(Schema):
    from_status: str
    to_status: str
    by_id: int
    at: datetime.datetime


class ApplicationOut(Schema):
    id: int
    job_id: int
    job_title: str = Field(..., alias="job.title")
    employer_name: str = Field(..., alias="job.employer.name")
    resident_id: int
    resident_name: str
    resident_phone: str = Field(..., alias="resident.phone_masked")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    interview_at: datetime.datetime | None
    interview_place: str
    interview_link: str
    started_on: datetime.date | None
    area_code: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_resident_name(obj):
        return pii.mask_name(obj.resident.name)


class ApplicationDetailOut(ApplicationOut):
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_transitions(obj):
        return list(obj.transitions.all())


class ApplicationPage(Schema):
    count: int
    items: list[ApplicationOut]


class ApplyIn(Schema):
    job_id: int


class TransitionIn(Schema):
    status: str
    interview_at: datetime.datetime | None = None
    interview_place: str = ""
    interview_link: str = ""
    started_on: datetime.date | None = None
    note: str = ""


class ApplicationFilters(Schema):
    job_id: int | None = None
    status: str | None = None
    limit: int = 20
    offset: int = 0


class FunnelQuery(Schema):
    area: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


class FunnelOut(Schema):
    area_code: str
    counts: dict[str, int]
    labels: dict[str, str]


def _applications():
    return Application.objects.select_related("job__employer", "resident")


def _require_pipeline_role(scope):
    # Administrators (系统/审计/安全) have no part in recruiting.
    if not (scope.is_staff or scope.resident_id or scope.employer_id):
        raise PermissionDenied


@router.get(
    "/applications", response={200: ApplicationPage, 403: ErrorOut}, summary="求职申请列表（本人/本单位/本辖区）"
)
def list_applications(request, filters: Query[ApplicationFilters]):
    _require_pipeline_role(request.scope)
    qs = _applications().in_scope(request.scope)
    if filters.job_id is not None:
        qs = qs.filter(job_id=filters.job_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    limit = max(1, min(filters.limit, 100))
    offset = max(0, filters.offset)
    return {"count": qs.count(), "items": list(qs[offset : offset + limit])}


@router.post("/applications", response={201: ApplicationOut, 403: ErrorOut, 422: ErrorOut}, summary="居民投递岗位")
def apply(request, payload: ApplyIn):
    if not request.scope.resident_id or request.user.resident is None:
        raise PermissionDenied
    job = Job.objects.filter(pk=payload.job_id).first()
    if job is None:
        raise ValidationError({"job_id": ["岗位：不存在"]})
    application = services.apply_to_job(request.user.resident, job, by=request.user)
    return 201, _applications().get(pk=application.pk)


@router.get("/applications/{int:application_id}", response={200: ApplicationDetailOut, 403: ErrorOut, 404: ErrorOut},
            summary="求职申请详情（含流转记录）")  # fmt: skip
def get_application(request, application_id: int):
    _require_pipeline_role(request.scope)
    return get_in_scope_or_404(_applications().prefetch_related("transitions"), request.scope, pk=application_id)


@router.post(
    "/applications/{int:application_id}/transition",
    response={200: ApplicationDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="推进申请状态：筛选、面试、达成意向、录用、入职、不录用、撤回",
    description="入职（hired）会登记平台就业、将居民设为已就业并扣减岗位名额；名额已被他人占用时返回 409。",
)
def transition_application(request, application_id: int, payload: TransitionIn):
    _require_pipeline_role(request.scope)
    application = get_in_scope_or_404(_applications(), request.scope, pk=application_id)
    details = payload.dict(exclude={"status", "note"})
    try:
        services.transition(application, payload.status, by=request.user, note=payload.note, **details)
    except services.NoPlacesLeft as exc:
        raise HttpError(409, services.NoPlacesLeft.message) from exc
    return _applications().prefetch_related("transitions").get(pk=application_id)


@router.get("/funnel", response={200: FunnelOut, 403: ErrorOut, 404: ErrorOut}, summary="招聘漏斗（按区划、时段）")
def application_funnel(request, query: Query[FunnelQuery]):
    if not request.scope.is_staff:
        raise PermissionDenied
    prefix = area_prefix_in_scope_or_404(request.scope, query.area)
    return {
        "area_code": prefix.ljust(12, "0"),
        "counts": services.funnel(prefix, query.date_from, query.date_to),
        "labels": {**dict(ApplicationStatus.choices), "total": "合计"},
    }
