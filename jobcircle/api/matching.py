"""Recommendations, candidates, the resident inbox and 精准送岗 runs (matching engine)."""

from datetime import date

from ninja import Field, Query, Router, Schema

from jobcircle.accounts.permissions import CASEWORK, RESIDENT_SELF_SERVICE
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.common import pii
from jobcircle.employers.models import Job
from jobcircle.matching import services
from jobcircle.matching.models import InboxMessage, PushRun
from jobcircle.matching.push import start_push
from jobcircle.people.models import Resident

from .auth import access
from .schemas import AreaCode, ErrorOut, InputSchema, LimitQuery

router = Router(tags=["匹配 matching"], auth=access(CASEWORK))
OWN_RECORD = access(CASEWORK, RESIDENT_SELF_SERVICE)  # staff, and a resident for their own record
MAX_K = 50
PUSH_MAX_K = 10  # matching.push.start_push's own bound


class RecommendedJobOut(Schema):
    job_id: int
    score: float
    distance_m: float
    reasons: list[str]
    title: str
    employer_name: str
    occupation_code: str
    occupation_name: str
    pay_min: int
    pay_max: int
    work_type: str
    headcount: int
    work_address: str
    lat: float
    lng: float


class RecommendationsOut(Schema):
    resident_id: int
    items: list[RecommendedJobOut]


class CandidateOut(Schema):
    resident_id: int
    name: str  # masked
    phone: str  # masked
    gender: str
    age: int
    education: int
    community_name: str
    score: float
    distance_m: float
    reasons: list[str]


class CandidatesOut(Schema):
    job_id: int
    items: list[CandidateOut]


class InboxMessageOut(Schema):
    id: int
    kind: str = Field(description="消息类型代码，如 job_push（岗位推送）")
    kind_label: str = Field(description="消息类型（中文）")
    pushed_on: date
    title: str
    body: str = Field(description="正文（岗位推送为空，岗位见 items）")
    link: str = Field(description="站内链接（可为空）")
    is_read: bool
    sms_status: str
    items: list[RecommendedJobOut]


class InboxOut(Schema):
    unread: int
    items: list[InboxMessageOut]


class KQuery(InputSchema):
    k: int | None = Field(None, ge=1, le=MAX_K, description=f"推荐数量（1–{MAX_K}）")


class PushIn(InputSchema):
    """A push names its area explicitly (the county's own code for the whole county): no default area."""

    area: AreaCode
    k: int | None = Field(None, ge=1, le=PUSH_MAX_K, description=f"每人推送岗位数（1–{PUSH_MAX_K}），默认按配置")


class PushRunOut(Schema):
    id: int
    pushed_on: date
    area_code: str
    k: int
    status: str
    percent: int
    message: str
    partitions: list[dict]


def _job_item(rec):
    job = rec.item
    return {
        "job_id": job.pk, "score": rec.score, "distance_m": round(rec.distance_m, 1), "reasons": rec.reasons,
        "title": job.title, "employer_name": job.employer.name, "occupation_code": job.occupation.code,
        "occupation_name": job.occupation.name, "pay_min": job.pay_min, "pay_max": job.pay_max,
        "work_type": job.work_type, "headcount": job.headcount, "work_address": job.work_address,
        "lat": job.lat, "lng": job.lng,
    }  # fmt: skip


@router.get(
    "/residents/{int:resident_id}/recommendations", response={200: RecommendationsOut, 422: ErrorOut},
    auth=OWN_RECORD, summary="为居民推荐岗位（为你推荐）",
)  # fmt: skip
def resident_recommendations(request, resident_id: int, query: Query[KQuery]):
    resident = get_in_scope_or_404(Resident.objects.all(), request.scope, pk=resident_id)
    recs = services.recommend_jobs(resident, query.k or 10)
    return {"resident_id": resident.pk, "items": [_job_item(r) for r in recs]}


@router.get(
    "/jobs/{int:job_id}/candidates", response={200: CandidatesOut, 422: ErrorOut},
    summary="岗位的推荐求职者（仅限可见范围内的居民）",
)  # fmt: skip
def job_candidates(request, job_id: int, query: Query[KQuery]):
    job = get_in_scope_or_404(Job.objects.select_related("occupation"), request.scope, pk=job_id)
    recs = services.recommend_candidates(job, request.scope, query.k or 20)
    items = [
        {
            "resident_id": r.item.pk,
            "name": pii.mask_name(r.item.name),
            "phone": r.item.phone_masked,
            "gender": r.item.gender,
            "age": r.item.age,
            "education": r.item.education,
            "community_name": r.item.community.name,
            "score": r.score,
            "distance_m": round(r.distance_m, 1),
            "reasons": r.reasons,
        }  # fmt: skip
        for r in recs
    ]
    return {"job_id": job.pk, "items": items}


@router.get("/residents/{int:resident_id}/inbox", response=InboxOut, auth=OWN_RECORD, summary="居民站内信（各类消息）")
def resident_inbox(request, resident_id: int, query: Query[LimitQuery]):
    resident = get_in_scope_or_404(Resident.objects.all(), request.scope, pk=resident_id)
    entries = services.inbox(resident, limit=query.limit)
    unread = services.unread_count(resident.pk)
    return {
        "unread": unread,
        "items": [
            {
                "id": e.message.pk,
                "kind": e.message.kind,
                "kind_label": e.message.kind_label,
                "pushed_on": e.message.pushed_on,
                "title": e.message.title,
                "body": e.message.body,
                "link": e.message.link,
                "is_read": e.message.read_at is not None,
                "sms_status": e.message.sms_status,
                "items": [_job_item(r) for r in e.items],
            }  # fmt: skip
            for e in entries
        ],
    }


@router.post(
    "/residents/{int:resident_id}/inbox/{int:message_id}/read",
    response={200: dict},
    auth=access(RESIDENT_SELF_SERVICE),
    summary="标记站内信已读（居民本人）",
)
def read_inbox_message(request, resident_id: int, message_id: int):
    resident = get_in_scope_or_404(Resident.objects.all(), request.scope, pk=resident_id)
    message = get_in_scope_or_404(InboxMessage.objects.filter(resident=resident), request.scope, pk=message_id)
    services.mark_message_read(message, by=request.user)
    return {"id": message.pk, "is_read": True}


def _run_out(run):
    progress = run.progress
    return {
        "id": run.pk, "pushed_on": run.pushed_on, "area_code": run.area_code, "k": run.k,
        "status": progress.status if progress else "done", "percent": progress.percent if progress else 100,
        "message": progress.message if progress else "",
        "partitions": list(run.partitions.values("area_code", "status", "seekers", "pushes", "messages")),
    }  # fmt: skip


@router.post("/matching/push", response={200: PushRunOut, 422: ErrorOut}, summary="精准送岗：为辖区求职者推送岗位")
def push_jobs(request, payload: PushIn):
    """Staff start (or look up) today's push for an area inside their scope; it runs in the background."""
    region = region_in_scope_or_404(request.scope, payload.area)
    run = start_push(by=request.user, area_code=region.code, k=payload.k)
    return _run_out(PushRun.objects.select_related("progress").get(pk=run.pk))


@router.get("/matching/push-runs/{int:run_id}", response=PushRunOut, summary="精准送岗进度")
def push_run(request, run_id: int):
    return _run_out(get_in_scope_or_404(PushRun.objects.select_related("progress"), request.scope, pk=run_id))
