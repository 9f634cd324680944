from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router

from jobcircle.accounts.permissions import CASEWORK, EMPLOYER_SELF_SERVICE
from jobcircle.areas.codes import Area
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.areas.services import resolve_location
from jobcircle.employers import services
from jobcircle.employers.models import Employer, Job
from jobcircle.matching.services import nearby_jobs

from .auth import access
from .schemas import (
    AreaCode,
    Code,
    ErrorOut,
    JobIn,
    JobOut,
    JobPage,
    JobPatch,
    NearbyPage,
    ObjectId,
    PageQuery,
    StatusIn,
    Text,
)

# Staff in their area, an employer for its own jobs; 附近岗位 is public.
router = Router(tags=["岗位 jobs"], auth=access(CASEWORK, EMPLOYER_SELF_SERVICE))


def _jobs():
    return Job.objects.select_related("employer", "occupation")


class JobFilters(PageQuery):
    area: AreaCode | None = None
    # open = 招聘中 and inside the validity; expired / not_yet_valid: open outside it; or a stored status
    status: Code | None = None
    employer_id: ObjectId | None = None
    work_type: Code | None = None
    q: Text(100) | None = None


@router.get("", response=JobPage, summary="岗位列表（本辖区/本单位）")
def list_jobs(request, filters: Query[JobFilters]):
    qs = _jobs().in_scope(request.scope)
    if filters.area:
        qs = qs.in_area(Area(filters.area))
    if filters.status is not None:
        qs = qs.shown_as(filters.status)  # 招聘中 = open today inside the validity, as every list
    for field in ("employer_id", "work_type"):
        if getattr(filters, field) is not None:
            qs = qs.filter(**{field: getattr(filters, field)})
    if filters.q:
        qs = qs.filter(title__contains=filters.q)
    return {"count": qs.count(), "items": filters.page(qs)}


class NearbyQuery(PageQuery):
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)
    radius_km: float | None = Field(None, gt=0)  # the maximum is the setting, checked by the service
    coord: Text(8) = "wgs84"
    crs: Text(8) | None = None
    work_type: Code | None = None


@router.get("/nearby", response={200: NearbyPage, 422: ErrorOut}, auth=None, summary="附近岗位（三公里）")
def jobs_nearby(request, query: Query[NearbyQuery]):
    try:
        lat, lng, _ = resolve_location(query.lat, query.lng, query.crs or query.coord)
    except ValidationError as exc:
        raise ValidationError({"lat": exc.messages}) from exc
    page = nearby_jobs(
        lat, lng, query.radius_km, limit=query.limit, offset=query.offset,
        work_type=query.work_type,
    )  # fmt: skip
    return {"count": page.count, "radius_km": page.radius_km, "items": page.items}


@router.post("", response={201: JobOut, 422: ErrorOut}, summary="发布岗位")
def create_job(request, payload: JobIn):
    employer_id = request.scope.employer_id or payload.employer_id
    if employer_id is None:
        raise ValidationError({"employer_id": ["用工单位：请指定发布岗位的单位"]})
    employers = Employer.objects.in_scope(request.scope).filter(pk=employer_id)
    employer = employers.first()
    if employer is None:
        raise ValidationError({"employer_id": ["用工单位：不存在或不在您的管辖范围内"]})
    data = payload.dict()
    data["coord"] = payload.coord or payload.crs
    job = services.post_job(by=request.user, employer=employer, data=data, publish=payload.publish)
    return 201, get_object_or_404(_jobs(), pk=job.pk)


@router.get("/{int:job_id}", response=JobOut, summary="岗位详情")
def get_job(request, job_id: int):
    return get_in_scope_or_404(_jobs(), request.scope, pk=job_id)


@router.patch("/{int:job_id}", response={200: JobOut, 422: ErrorOut}, summary="修改岗位")
def update_job(request, job_id: int, payload: JobPatch):
    job = get_in_scope_or_404(_jobs(), request.scope, pk=job_id)
    data = payload.dict(exclude_unset=True)
    data["coord"] = payload.coord or payload.crs
    services.update_job(job, by=request.user, data=data)
    return get_object_or_404(_jobs(), pk=job_id)


@router.post("/{int:job_id}/status", response={200: JobOut, 422: ErrorOut}, summary="发布/暂停/关闭/审核岗位")
def change_job_status(request, job_id: int, payload: StatusIn):
    job = get_in_scope_or_404(_jobs(), request.scope, pk=job_id)
    services.transition_job(job, payload.status, by=request.user, scope=request.scope, reason=payload.reason)
    return get_object_or_404(_jobs(), pk=job_id)
