from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router

from jobcircle.accounts.permissions import CASEWORK, RESIDENT_SELF_SERVICE, REVEAL_PII
from jobcircle.areas.codes import Area
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.matching.services import nearby_jobs_for_resident
from jobcircle.people import services
from jobcircle.people.enums import KeyGroupChangeSource
from jobcircle.people.models import Resident

from .auth import access
from .schemas import (
    AreaCode,
    Code,
    ErrorOut,
    InputSchema,
    NearbyPage,
    PageQuery,
    ResidentDetailOut,
    ResidentIn,
    ResidentPage,
    ResidentPatch,
    Text,
)

router = Router(tags=["居民 residents"], auth=access(CASEWORK))
OWN_RECORD = access(CASEWORK, RESIDENT_SELF_SERVICE)  # staff, and a resident for their own record


def _residents(request):
    return Resident.objects.select_related("community", "intention").prefetch_related(
        "occupations", "key_groups", "status_history", "intention__occupations"
    )


class ResidentFilters(PageQuery):
    area: AreaCode | None = None
    key_group: Code | None = None
    is_job_seeking: bool | None = None
    employment_status: Code | None = None
    q: Text(50) | None = None


@router.get("", response=ResidentPage, summary="居民列表")
def list_residents(request, filters: Query[ResidentFilters]):
    qs = Resident.objects.in_scope(request.scope).filter_by(
        area=Area(filters.area) if filters.area else None,
        key_group=filters.key_group,
        is_job_seeking=filters.is_job_seeking,
        employment_status=filters.employment_status,
        q=filters.q,
    )
    page = qs.select_related("community").prefetch_related("occupations", "key_groups")
    return {"count": qs.count(), "items": filters.page(page)}


@router.post("", response={201: ResidentDetailOut, 422: ErrorOut}, summary="登记居民")
def create_resident(request, payload: ResidentIn):
    data = payload.dict()
    data["coord"] = payload.coord or payload.crs
    resident = services.register_resident(
        by=request.user, scope=request.scope, data=data, source=KeyGroupChangeSource.API
    )
    fresh = get_object_or_404(_residents(request), pk=resident.pk)
    fresh.registration_warnings = resident.registration_warnings
    return 201, fresh


@router.get("/{int:resident_id}", response=ResidentDetailOut, auth=OWN_RECORD, summary="居民详情")
def get_resident(request, resident_id: int):
    return get_in_scope_or_404(_residents(request), request.scope, pk=resident_id)


@router.patch(
    "/{int:resident_id}", response={200: ResidentDetailOut, 422: ErrorOut}, auth=OWN_RECORD, summary="修改居民信息"
)
def update_resident(request, resident_id: int, payload: ResidentPatch):
    resident = get_in_scope_or_404(Resident.objects.all(), request.scope, pk=resident_id)
    data = payload.dict(exclude_unset=True)
    data["coord"] = payload.coord or payload.crs
    updated = services.update_resident(
        resident, by=request.user, scope=request.scope, data=data, source=KeyGroupChangeSource.API
    )
    fresh = get_object_or_404(_residents(request), pk=updated.pk)
    fresh.registration_warnings = updated.registration_warnings
    return fresh


class NearbyFilters(PageQuery):
    radius_km: float | None = Field(None, gt=0)  # the maximum is the setting, checked by the service


@router.get(
    "/{int:resident_id}/nearby-jobs", response={200: NearbyPage, 422: ErrorOut}, auth=OWN_RECORD, summary="居民附近岗位"
)
def resident_nearby_jobs(request, resident_id: int, query: Query[NearbyFilters]):
    resident = get_in_scope_or_404(Resident.objects.select_related("intention"), request.scope, pk=resident_id)
    page = nearby_jobs_for_resident(resident, query.radius_km, limit=query.limit, offset=query.offset)
    return {"count": page.count, "radius_km": page.radius_km, "items": page.items}


class RevealIn(InputSchema):
    fields: list[Code] = Field(..., max_length=2)
    reason: Text(200)


@router.post(
    "/{int:resident_id}/reveal",
    response={200: dict, 422: ErrorOut},
    auth=access(REVEAL_PII),
    summary="查看完整证件号码/手机号（需填写原因，留痕）",
)
def reveal_resident(request, resident_id: int, payload: RevealIn):
    resident = get_in_scope_or_404(Resident.objects.all(), request.scope, pk=resident_id)
    return services.reveal_resident_pii(
        resident, by=request.user, scope=request.scope, fields=payload.fields, reason=payload.reason
    )


class LookupIn(InputSchema):
    id_number: Text(40)


@router.post(
    "/lookup", response={200: ResidentPage, 422: ErrorOut}, summary="按身份证号查找（号码放在请求体，不进URL）"
)
def lookup_resident(request, payload: LookupIn):
    try:
        matches = services.find_by_id_number(Resident.objects.in_scope(request.scope), payload.id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    items = list(matches.select_related("community").prefetch_related("occupations", "key_groups"))
    return {"count": len(items), "items": items}
