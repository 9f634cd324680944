from django.shortcuts import get_object_or_404
from ninja import Query, Router

from jobcircle.accounts.permissions import CASEWORK, EMPLOYER_SELF_SERVICE
from jobcircle.areas.codes import Area
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.employers import services
from jobcircle.employers.models import Employer

from .auth import access
from .schemas import AreaCode, Code, EmployerIn, EmployerOut, EmployerPage, EmployerPatch, ErrorOut, PageQuery, Text

router = Router(tags=["用工单位 employers"], auth=access(CASEWORK))
OWN_UNIT = access(CASEWORK, EMPLOYER_SELF_SERVICE)  # staff, and an employer for its own unit


class EmployerFilters(PageQuery):
    area: AreaCode | None = None
    q: Text(100) | None = None
    is_key_enterprise: bool | None = None
    status: Code | None = None  # active（正常）、suspended（停用）、deregistered（注销）


@router.get("", response=EmployerPage, summary="用工单位列表")
def list_employers(request, filters: Query[EmployerFilters]):
    qs = Employer.objects.in_scope(request.scope)
    if filters.area:
        qs = qs.in_area(Area(filters.area))
    if filters.q:
        qs = qs.filter(name__contains=filters.q)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.is_key_enterprise is not None:
        qs = qs.filter(is_key_enterprise=filters.is_key_enterprise)
    return {"count": qs.count(), "items": filters.page(qs.select_related("industry"))}


@router.post("", response={201: EmployerOut, 422: ErrorOut}, summary="登记用工单位")
def create_employer(request, payload: EmployerIn):
    data = payload.dict()
    data["coord"] = payload.coord or payload.crs
    return 201, services.register_employer(by=request.user, scope=request.scope, data=data)


@router.get("/{int:employer_id}", response=EmployerOut, auth=OWN_UNIT, summary="用工单位详情")
def get_employer(request, employer_id: int):
    return get_in_scope_or_404(Employer.objects.select_related("industry"), request.scope, pk=employer_id)


@router.patch("/{int:employer_id}", response={200: EmployerOut, 422: ErrorOut}, auth=OWN_UNIT, summary="修改用工单位")
def update_employer(request, employer_id: int, payload: EmployerPatch):
    employer = get_in_scope_or_404(Employer.objects.all(), request.scope, pk=employer_id)
    data = payload.dict(exclude_unset=True)
    data["coord"] = payload.coord or payload.crs
    updated = services.update_employer(employer, by=request.user, scope=request.scope, data=data)
    fresh = get_object_or_404(Employer.objects.select_related("industry"), pk=updated.pk)
    fresh.registration_warnings = updated.registration_warnings
    return fresh
