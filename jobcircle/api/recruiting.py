"""Recruiting pipeline: applications, their moves (面试、录用、入职) and the staff funnel."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from jobcircle.accounts.permissions import (
    CASEWORK,
    EMPLOYER_SELF_SERVICE,
    RESIDENT_SELF_SERVICE,
    VIEW_DASHBOARD,
)
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.common import pii
from jobcircle.employers.models import Employer, Job
from jobcircle.people.models import Resident
from jobcircle.recruiting import services
from jobcircle.recruiting.enums import ApplicationStatus
from jobcircle.recruiting.models import (
    Application,
    ApplicationTransition,
    FairEmployer,
    JobFair,
    LiaisonAssignment,
    LiaisonVisit,
)

from .auth import access
from .schemas import INT_MAX, AreaCode, Code, ErrorOut, InputSchema, ModelText, ObjectId, PageQuery, Text

# Fairs and liaison officers are casework; the pipeline is shared with its applicants and employers;
# administrators (系统/审计/安全) have no part in recruiting.
router = Router(tags=["招聘 recruiting"], auth=access(CASEWORK))
PIPELINE = access(CASEWORK, RESIDENT_SELF_SERVICE, EMPLOYER_SELF_SERVICE)
RESIDENTS = access(RESIDENT_SELF_SERVICE)
FIGURES = access(VIEW_DASHBOARD)


class TransitionOut(Schema):
    from_status: str
    to_status: str
    by_id: int | None  # None: a move the system made (creation rows of imports and demo data, hires)
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


class ApplyIn(InputSchema):
    job_id: ObjectId


class TransitionIn(InputSchema):
    status: Code
    interview_at: datetime.datetime | None = None
    interview_place: ModelText(Application, "interview_place") = ""
    interview_link: ModelText(Application, "interview_link") = ""
    started_on: datetime.date | None = None
    note: ModelText(ApplicationTransition, "reason") = ""


class ApplicationFilters(PageQuery):
    job_id: ObjectId | None = None
    status: Code | None = None


class FunnelQuery(InputSchema):
    area: AreaCode | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


class FunnelOut(Schema):
    area_code: str
    counts: dict[str, int]
    labels: dict[str, str]


def _applications():
    return Application.objects.select_related("job__employer", "resident")


@router.get(
    "/applications",
    response={200: ApplicationPage, 403: ErrorOut},
    auth=PIPELINE,
    summary="求职申请列表（本人/本单位/本辖区）",
)
def list_applications(request, filters: Query[ApplicationFilters]):
    qs = _applications().in_scope(request.scope)
    if filters.job_id is not None:
        qs = qs.filter(job_id=filters.job_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return {"count": qs.count(), "items": filters.page(qs)}


@router.post(
    "/applications",
    response={201: ApplicationOut, 403: ErrorOut, 422: ErrorOut},
    auth=RESIDENTS,
    summary="居民投递岗位",
)
def apply(request, payload: ApplyIn):
    if request.user.resident is None:  # a resident login whose record was anonymised
        raise PermissionDenied
    job = Job.objects.open().filter(pk=payload.job_id).first()  # a resident sees open jobs only
    if job is None:
        raise ValidationError({"job_id": ["岗位：不存在或已停止招聘"]})
    application = services.apply_to_job(request.user.resident, job, by=request.user)
    return 201, _applications().get(pk=application.pk)


@router.get("/applications/{int:application_id}", response={200: ApplicationDetailOut, 403: ErrorOut, 404: ErrorOut},
            auth=PIPELINE, summary="求职申请详情（含流转记录）")  # fmt: skip
def get_application(request, application_id: int):
    return get_in_scope_or_404(_applications().prefetch_related("transitions"), request.scope, pk=application_id)


@router.post(
    "/applications/{int:application_id}/transition",
    response={200: ApplicationDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=PIPELINE,
    summary="推进申请状态：筛选、面试、达成意向、录用、入职、不录用、撤回",
    description="入职（hired）会登记平台就业、将居民设为已就业并扣减岗位名额；名额已被他人占用时返回 409。",
)
def transition_application(request, application_id: int, payload: TransitionIn):
    application = get_in_scope_or_404(_applications(), request.scope, pk=application_id)
    details = payload.dict(exclude={"status", "note"})
    try:
        services.transition(
            application, payload.status, by=request.user, scope=request.scope, note=payload.note, **details
        )
    except services.NoPlacesLeft as exc:
        raise HttpError(409, services.NoPlacesLeft.message) from exc
    return _applications().prefetch_related("transitions").get(pk=application_id)


@router.get(
    "/funnel", response={200: FunnelOut, 403: ErrorOut, 404: ErrorOut}, auth=FIGURES, summary="招聘漏斗（按区划、时段）"
)
def application_funnel(request, query: Query[FunnelQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    return {
        "area_code": region.code,
        "counts": services.funnel(region, query.date_from, query.date_to),
        "labels": {**dict(ApplicationStatus.choices), "total": "合计"},
    }


# ── Job fairs (招聘会) ──────────────────────────────────────────────────────────


class FairIn(InputSchema):
    name: ModelText(JobFair, "name")
    kind: Code = "comprehensive"
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: ModelText(JobFair, "venue") = ""
    stream_link: ModelText(JobFair, "stream_link") = ""
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    area_code: AreaCode


class FairOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: str
    stream_link: str
    area_code: str
    closed_at: datetime.datetime | None


class FairReportOut(Schema):
    enterprises: int
    positions: int
    attendees: int
    intentions: int
    hires: int


class FairDetailOut(FairOut):
    report: FairReportOut
    sign_in_token: str


class FairPage(Schema):
    count: int
    items: list[FairOut]


class FairEmployerIn(InputSchema):
    employer_id: ObjectId
    job_ids: list[ObjectId] = Field([], max_length=200)
    booth: ModelText(FairEmployer, "booth") = ""


class FairEmployerOut(Schema):
    employer_id: int
    job_ids: list[int]
    booth: str

    @staticmethod
    def resolve_job_ids(obj):
        return sorted(obj.jobs.values_list("pk", flat=True))


class ResidentRef(InputSchema):
    resident_id: ObjectId


class TokenIn(InputSchema):
    token: Text(64)


class AttendanceOut(Schema):
    fair_id: int
    resident_id: int
    channel: str
    signed_in_at: datetime.datetime
    already_signed_in: bool = False


class FairIntentionIn(InputSchema):
    resident_id: ObjectId
    job_id: ObjectId
    note: Text(200) = ""


class FairStatsQuery(InputSchema):
    area: AreaCode | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    kind: Code | None = None


class FairStatsOut(FairReportOut):
    area_code: str
    fairs: int
    sentence: str


WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _fair_or_404(request, fair_id):
    return get_in_scope_or_404(JobFair.objects.all(), request.scope, pk=fair_id)


def _in_area_or_422(queryset, request, field, label, ids):
    """The records behind ``ids``, each resolved through the caller's area (SEC-09): one missing or
    outside it is 422 naming ``field``, the same answer for both."""
    wanted = set(ids)
    found = list(queryset.in_scope(request.scope).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({field: [services.NOT_IN_AREA.format(label=label)]})
    return found


def _one_in_area_or_422(queryset, request, field, label, pk):
    return _in_area_or_422(queryset, request, field, label, [pk])[0]


def _resident_or_422(request, resident_id):
    return _one_in_area_or_422(Resident.objects.all(), request, "resident_id", "求职者", resident_id)


@router.get("/fairs", response={200: FairPage, 403: ErrorOut}, summary="招聘会列表（本辖区）")
def list_fairs(request, query: Query[FairStatsQuery]):
    qs = JobFair.objects.in_scope(request.scope).in_period(query.date_from, query.date_to)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    return {"count": qs.count(), "items": list(qs[:200])}


@router.post("/fairs", response={201: FairDetailOut, 403: ErrorOut, 422: ErrorOut}, summary="创建招聘会")
def create_fair(request, payload: FairIn):
    fair = services.create_job_fair(by=request.user, scope=request.scope, data=payload.dict())
    fair.report = services.fair_report(fair)
    return 201, fair


@router.get(
    "/fairs/statistics",
    response={200: FairStatsOut, 403: ErrorOut, 404: ErrorOut},
    auth=FIGURES,
    summary="招聘会统计（按区划、时段、类型）",
    description="返回“组织各类招聘会N场，参会企业N家，提供岗位N个，达成就业意向N人”及签到、录用人数。",
)
def fair_statistics(request, query: Query[FairStatsQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    stats = services.fair_statistics(region, query.date_from, query.date_to, query.kind)
    return {"area_code": region.code, **stats}


@router.post(
    "/fairs/sign-in",
    response={200: AttendanceOut, **WRITE_ERRORS},
    auth=RESIDENTS,
    summary="居民扫码签到",
)
def sign_in_by_qr(request, payload: TokenIn):
    if request.user.resident is None:  # a resident login whose record was anonymised
        raise PermissionDenied
    fair = JobFair.objects.filter(sign_in_token=payload.token).first()
    if fair is None:
        raise Http404
    attendance, created = services.sign_in_at_fair(fair, request.user.resident, by=request.user, scope=request.scope)
    attendance.already_signed_in = not created
    return attendance


@router.get(
    "/fairs/{int:fair_id}", response={200: FairDetailOut, 403: ErrorOut, 404: ErrorOut}, summary="招聘会详情与成效"
)
def get_fair(request, fair_id: int):
    fair = _fair_or_404(request, fair_id)
    fair.report = services.fair_report(fair)
    return fair


@router.put("/fairs/{int:fair_id}", response={200: FairDetailOut, **WRITE_ERRORS},
            summary="修改招聘会（签到码不变）")  # fmt: skip
def update_fair(request, fair_id: int, payload: FairIn):
    fair = services.update_job_fair(
        _fair_or_404(request, fair_id), by=request.user, scope=request.scope, data=payload.dict()
    )
    fair.report = services.fair_report(fair)
    return fair


@router.post("/fairs/{int:fair_id}/close", response={200: FairDetailOut, 403: ErrorOut, 404: ErrorOut},
             summary="结束签到（结束后不再接受新的签到）")  # fmt: skip
def close_fair(request, fair_id: int):
    fair = services.close_job_fair(_fair_or_404(request, fair_id), by=request.user, scope=request.scope)
    fair.report = services.fair_report(fair)
    return fair


@router.post(
    "/fairs/{int:fair_id}/employers", response={200: FairEmployerOut, **WRITE_ERRORS}, summary="登记参会企业及其岗位"
)
def add_fair_employer(request, fair_id: int, payload: FairEmployerIn):
    fair = _fair_or_404(request, fair_id)
    employer = _one_in_area_or_422(Employer.objects.all(), request, "employer_id", "参会企业", payload.employer_id)
    jobs = _in_area_or_422(Job.objects.all(), request, "job_ids", "岗位", payload.job_ids)
    return services.add_fair_employer(
        fair, employer, by=request.user, scope=request.scope, jobs=jobs, booth=payload.booth
    )


@router.post(
    "/fairs/{int:fair_id}/attendees", response={200: AttendanceOut, **WRITE_ERRORS}, summary="工作人员为现场求职者签到"
)
def sign_in_walk_in(request, fair_id: int, payload: ResidentRef):
    fair = _fair_or_404(request, fair_id)
    resident = _resident_or_422(request, payload.resident_id)
    attendance, created = services.sign_in_at_fair(
        fair, resident, by=request.user, scope=request.scope, channel="staff"
    )
    attendance.already_signed_in = not created
    return attendance


@router.post(
    "/fairs/{int:fair_id}/intentions",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="登记招聘会现场达成的就业意向",
)
def record_intention(request, fair_id: int, payload: FairIntentionIn):
    fair = _fair_or_404(request, fair_id)
    resident = _resident_or_422(request, payload.resident_id)
    job = _one_in_area_or_422(Job.objects.all(), request, "job_id", "岗位", payload.job_id)
    application = services.record_fair_intention(
        fair, resident, job, by=request.user, scope=request.scope, note=payload.note
    )
    return _applications().get(pk=application.pk)


# ── Liaison officers (人社服务专员) ───────────────────────────────────────────────


class AssignmentIn(InputSchema):
    officer_id: ObjectId
    employer_id: ObjectId
    started_on: datetime.date | None = None


class AssignmentOut(Schema):
    id: int
    officer_id: int
    officer_name: str = Field(..., alias="officer.username")
    employer_id: int
    employer_name: str = Field(..., alias="employer.name")
    started_on: datetime.date
    ended_on: datetime.date | None
    area_code: str


class AssignmentPage(Schema):
    count: int
    items: list[AssignmentOut]


class VisitIn(InputSchema):
    visited_on: datetime.date
    needed_headcount: int = Field(0, ge=0, le=INT_MAX)
    needs: ModelText(LiaisonVisit, "needs", multiline=True) = ""
    notes: ModelText(LiaisonVisit, "notes", multiline=True) = ""


class VisitOut(Schema):
    id: int
    assignment_id: int
    visited_on: datetime.date
    needed_headcount: int
    needs: str
    notes: str


class RecommendationIn(InputSchema):
    resident_id: ObjectId
    job_id: ObjectId | None = None


class RecommendationOut(Schema):
    id: int
    assignment_id: int
    resident_id: int
    job_id: int | None
    recommended_on: datetime.date
    already_recommended: bool = False


class PeriodQuery(InputSchema):
    area: AreaCode | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


class LiaisonStatsOut(Schema):
    area_code: str
    officers: int
    enterprises: int
    recommended: int
    visits: int
    needed_headcount: int
    sentence: str


def _assignment_or_404(request, assignment_id):
    qs = LiaisonAssignment.objects.select_related("officer", "employer")
    return get_in_scope_or_404(qs, request.scope, pk=assignment_id)


@router.get("/liaison/assignments", response={200: AssignmentPage, 403: ErrorOut}, summary="专员包保列表（本辖区）")
def list_assignments(request, active: bool = True):
    qs = LiaisonAssignment.objects.in_scope(request.scope).select_related("officer", "employer")
    if active:
        qs = qs.active()
    return {"count": qs.count(), "items": list(qs[:500])}


@router.post(
    "/liaison/assignments", response={201: AssignmentOut, **WRITE_ERRORS}, summary="为重点企业配备人社服务专员"
)
def assign_officer(request, payload: AssignmentIn):
    employer = _one_in_area_or_422(Employer.objects.all(), request, "employer_id", "包保企业", payload.employer_id)
    officer = services.liaison_officer_candidates(scope=request.scope).filter(pk=payload.officer_id).first()
    if officer is None:  # the service answers an officer of another area, or an inactive one, the same way
        raise ValidationError({"officer_id": [services.OFFICER_NOT_ELIGIBLE]})
    assignment = services.assign_liaison_officer(
        officer, employer, by=request.user, scope=request.scope, started_on=payload.started_on
    )
    return 201, assignment


@router.post("/liaison/assignments/{int:assignment_id}/visits", response={201: VisitOut, **WRITE_ERRORS},
             summary="记录企业走访与用工需求")  # fmt: skip
def record_visit(request, assignment_id: int, payload: VisitIn):
    assignment = _assignment_or_404(request, assignment_id)
    return 201, services.record_liaison_visit(assignment, by=request.user, scope=request.scope, **payload.dict())


@router.post("/liaison/assignments/{int:assignment_id}/recommendations",
             response={200: RecommendationOut, **WRITE_ERRORS}, summary="向包保企业推荐用工")  # fmt: skip
def recommend(request, assignment_id: int, payload: RecommendationIn):
    assignment = _assignment_or_404(request, assignment_id)
    resident = _resident_or_422(request, payload.resident_id)
    job = None
    if payload.job_id is not None:
        job = _one_in_area_or_422(Job.objects.all(), request, "job_id", "推荐岗位", payload.job_id)
    recommendation, created = services.recommend_candidate(
        assignment, resident, by=request.user, scope=request.scope, job=job
    )
    recommendation.already_recommended = not created
    return recommendation


@router.get("/liaison/statistics", response={200: LiaisonStatsOut, 403: ErrorOut, 404: ErrorOut}, auth=FIGURES,
            summary="专员工作统计：配备人社服务专员N人，包保企业N家，推荐用工N人")  # fmt: skip
def liaison_statistics(request, query: Query[PeriodQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    stats = services.liaison_statistics(region, query.date_from, query.date_to)
    return {"area_code": region.code, **stats}
