"""零工市场 (/api/v1/gigs) and 共享员工 (/api/v1/sharing): thin handlers over jobcircle.gigs."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import WithJsonSchema

from jobcircle.accounts.enums import Role
from jobcircle.accounts.permissions import CASEWORK, EMPLOYER_SELF_SERVICE, RESIDENT_SELF_SERVICE, VIEW_DASHBOARD
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.areas.services import resolve_location
from jobcircle.common import pii
from jobcircle.employers.models import Employer
from jobcircle.gigs import services, sharing, stats
from jobcircle.gigs.enums import SignupStatus
from jobcircle.gigs.models import (
    Gig,
    GigSignup,
    GigStation,
    SharingAgreement,
    SharingNeed,
    SharingOffer,
)
from jobcircle.insights.figures import parse_period
from jobcircle.people.models import Resident

from .auth import access
from .schemas import AreaCode, Code, ErrorOut, InputSchema, ModelText, ObjectId, PageQuery, Text

EVERYONE = access(RESIDENT_SELF_SERVICE, EMPLOYER_SELF_SERVICE, CASEWORK)
router = Router(tags=["零工市场 gigs"], auth=EVERYONE)
sharing_router = Router(tags=["共享员工 sharing"], auth=access(EMPLOYER_SELF_SERVICE, CASEWORK))
# 元 with at most two decimals, as a number or a decimal string (the string form has a pattern: SEC-29).
MONEY_SCHEMA = {"anyOf": [{"type": "number", "minimum": 0, "maximum": 100000},
                          {"type": "string", "pattern": r"^[0-9]{1,6}(\.[0-9]{1,2})?$", "maxLength": 9}]}  # fmt: skip
Money = Annotated[Decimal, Field(ge=0, le=100000, max_digits=8, decimal_places=2), WithJsonSchema(MONEY_SCHEMA)]
Period = Text(40)


# --- schemas ------------------------------------------------------------------------------------


class GigOut(Schema):
    id: int
    title: str
    description: str
    requirements: str
    occupation_code: str = Field(..., alias="occupation.code")
    occupation_name: str = Field(..., alias="occupation.name")
    poster_kind: str
    poster_name: str = Field(..., description="发布方（个人发布时姓名已脱敏）")
    station: str | None = Field(None, description="服务的零工驿站")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    address: str
    lat: float
    lng: float
    pay_unit: str
    pay_rate: Decimal
    headcount: int
    contact_preference: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    area_code: str
    distance_m: float | None = None

    @staticmethod
    def resolve_station(obj):
        return obj.gig_station.station.name if obj.gig_station_id else None


class GigPage(Schema):
    count: int
    items: list[GigOut]


class GigNearbyQuery(PageQuery):
    lat: float | None = Field(
        None, ge=-90, le=90, description="纬度；与经度一起给出时查附近零工，否则列出本人/本单位/本辖区发布的零工"
    )
    lng: float | None = Field(None, ge=-180, le=180)
    radius_km: float | None = Field(None, gt=0, le=50, description="半径（公里，默认3）")
    coord: Text(8) = "wgs84"
    day: Text(10) | None = Field(None, description="today 今天 / tomorrow 明天 / 2026-05-01；省略则不限日期")


class GigIn(InputSchema):
    title: ModelText(Gig, "title")
    description: ModelText(Gig, "description", multiline=True)
    requirements: ModelText(Gig, "requirements", multiline=True) = ""
    occupation_code: Code
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    address: ModelText(Gig, "address")
    pay_unit: Code = Field(..., description="hour 按小时 / day 按天 / piece 按件")
    pay_rate: Money
    headcount: int = Field(..., ge=1, le=services.MAX_HEADCOUNT)
    contact_preference: Code = "phone"
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    coord: Text(8) | None = None
    employer_id: ObjectId | None = Field(None, description="工作人员代发：本辖区用工单位编号")
    station_id: ObjectId | None = Field(None, description="工作人员代发：本辖区零工驿站编号（为来访者发布）")


class GigSignupOut(Schema):
    id: int
    gig_id: int
    worker_id: int
    worker_name: str = Field(..., description="零工姓名（脱敏）")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    confirmed_at: datetime.datetime | None
    checked_in_at: datetime.datetime | None
    check_in_method: str
    checked_out_at: datetime.datetime | None
    completed_on: datetime.date | None
    days_worked: int | None
    quantity: Decimal | None
    pay_amount: Decimal | None
    worker_score: int | None
    poster_score: int | None
    disputed: bool

    @staticmethod
    def resolve_worker_name(obj):
        return pii.mask_name(obj.worker.name)


class GigSignupIn(InputSchema):
    resident_id: ObjectId | None = Field(None, description="工作人员代为报名（驿站来访者）：本辖区居民编号")


class GigSignupTransitionIn(InputSchema):
    action: Code = Field(
        ...,
        description="confirm 确认 / decline 不录用 / withdraw 取消报名 / check_in 签到 / check_out 签退 / "
        "scan 扫码签到或签退（带 token）/ complete 完工并记录报酬 / no_show 未到岗 / rate 评价 / dispute 反映争议 / "
        "resolve 驿站处理争议",
    )
    token: Text(200) | None = Field(None, description="扫码得到的签到码")
    quantity: Money | None = Field(None, description="计酬数量（小时/天/件，大于0）")
    pay_amount: Money | None = None
    days_worked: int | None = Field(None, ge=1, le=services.MAX_GIG_DAYS)
    score: int | None = Field(None, ge=1, le=5)
    reason: Text(200) = ""


class GigStatisticsQuery(InputSchema):
    period: Period | None = Field(
        None, description="期间：2026-03、2026-Q1、2026-H1、2026 或 2026-01-01~2026-03-31；默认本月"
    )
    area: AreaCode | None = None


class GigStationRow(Schema):
    station: str
    gigs: int
    places: int
    deals: int
    income_yuan: Decimal


class GigStatisticsOut(Schema):
    period: str
    area_code: str
    gigs: int = Field(..., description="发布零工（个，期间内首次发布）")
    places: int = Field(..., description="发布零工名额（人）")
    signups: int = Field(..., description="零工服务（人次，期间内报名）")
    deals: int = Field(..., description="零工达成（人次，期间内确认录用）")
    income_yuan: Decimal = Field(..., description="零工报酬（元，期间内完工记录）")
    walk_ins: int = Field(..., description="驿站来访（人次）")
    sharing_person_times: int = Field(..., description="共享员工（人次）")
    sharing_enterprises: int = Field(..., description="共享员工涉及企业（家）")
    by_station: list[GigStationRow]


class SharingMatchOut(Schema):
    id: int
    employer_name: str
    headcount: int
    start_date: datetime.date
    end_date: datetime.date
    distance_m: float
    fit: str


class SharingPostOut(Schema):
    id: int
    employer_id: int
    employer_name: str = Field(..., alias="employer.name")
    headcount: int
    occupation_code: str = Field(..., alias="occupation.code")
    skills: list[str]
    start_date: datetime.date
    end_date: datetime.date
    conditions: str
    status: str
    area_code: str
    matches: list[SharingMatchOut]

    @staticmethod
    def resolve_matches(obj):
        return [
            {"id": m.pk, "employer_name": m.employer.name, "headcount": m.headcount, "start_date": m.start_date,
             "end_date": m.end_date, "distance_m": m.distance_m, "fit": m.fit}
            for m in sharing.matches_for(obj, limit=5)
        ]  # fmt: skip


class SharingPostPage(Schema):
    count: int
    items: list[SharingPostOut]


class SharingPostIn(InputSchema):
    employer_id: ObjectId | None = Field(None, description="工作人员代为登记：本辖区单位编号")
    headcount: int = Field(..., ge=1, le=sharing.MAX_PEOPLE)
    occupation_code: Code
    skills: list[Text(30)] = Field([], max_length=20)
    start_date: datetime.date
    end_date: datetime.date
    conditions: ModelText(SharingOffer, "conditions", multiline=True) = ""


class SharingWorkerOut(Schema):
    resident_id: int
    name: str
    consent: str

    @staticmethod
    def resolve_name(obj):
        return pii.mask_name(obj.resident.name)


class SharingAgreementOut(Schema):
    id: int
    lender_id: int
    lender_name: str = Field(..., alias="lender.name")
    borrower_id: int
    borrower_name: str = Field(..., alias="borrower.name")
    start_date: datetime.date
    end_date: datetime.date
    pay_arrangement: str
    payer: str
    insurance_party: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    area_code: str
    workers: list[SharingWorkerOut]

    @staticmethod
    def resolve_workers(obj):
        return list(obj.workers.all())


class SharingAgreementPage(Schema):
    count: int
    items: list[SharingAgreementOut]


class SharingAgreementIn(InputSchema):
    lender_id: ObjectId
    borrower_id: ObjectId
    resident_ids: list[ObjectId] = Field(..., min_length=1, max_length=sharing.MAX_PEOPLE)
    start_date: datetime.date
    end_date: datetime.date
    pay_arrangement: ModelText(SharingAgreement, "pay_arrangement")
    payer: Code = Field(..., description="lender 调出方 / borrower 调入方")
    insurance_party: Code = Field(..., description="lender 调出方 / borrower 调入方")
    offer_id: ObjectId | None = None
    need_id: ObjectId | None = None


class SharingListQuery(PageQuery):
    area: AreaCode | None = None


# --- gigs ---------------------------------------------------------------------------------------


def _gigs():
    return Gig.objects.select_related("occupation", "employer", "poster_resident", "gig_station__station")


def _day(text):
    if not text:
        return None
    today = timezone.localdate()
    named = {"today": today, "tomorrow": today + datetime.timedelta(days=1)}
    if text in named:
        return named[text]
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({"day": ["日期：应为 today、tomorrow 或 2026-05-01 这样的日期"]}) from None


@router.get(
    "", response={200: GigPage, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="附近零工（按开始时间、距离排序），或本人/本单位/本辖区发布的零工",
)  # fmt: skip
def list_gigs(request, query: Query[GigNearbyQuery]):
    if (query.lat is None) != (query.lng is None):
        raise ValidationError({"lat": ["经纬度：请同时填写纬度和经度"]})
    if query.lat is not None:
        try:
            lat, lng, _ = resolve_location(query.lat, query.lng, query.coord)
        except ValidationError as exc:
            raise ValidationError({"lat": exc.messages}) from exc
        rows = services.nearby_gigs(lat, lng, query.radius_km, day=_day(query.day))
        return {"count": len(rows), "items": rows[query.offset : query.offset + query.limit]}
    qs = _gigs().in_scope(request.scope).order_by("-starts_at", "-id")
    day = _day(query.day)
    if day is not None:
        start, end = services.day_window(day)
        qs = qs.filter(starts_at__lt=end, ends_at__gt=start)
    return {"count": qs.count(), "items": query.page(qs)}


def _poster(request, payload):
    scope = request.scope
    if scope.role == Role.EMPLOYER:
        return services.poster_for(scope, employer=Employer.objects.get(pk=scope.employer_id))
    if scope.role == Role.RESIDENT:
        return services.poster_for(scope, resident=Resident.objects.get(pk=scope.resident_id))
    if payload.station_id:
        station = GigStation.objects.in_scope(scope).filter(pk=payload.station_id).first()
        if station is None:
            raise ValidationError({"station_id": ["零工驿站：不存在或不在您的管辖范围内"]})
        return services.poster_for(scope, gig_station=station)
    employer = Employer.objects.in_scope(scope).filter(pk=payload.employer_id or 0).first()
    if employer is None:
        raise ValidationError({"employer_id": ["发布方：请填写本辖区的用工单位编号或零工驿站编号"]})
    return services.poster_for(scope, employer=employer)


@router.post(
    "", response={201: GigOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="发布零工（用工单位、已验证手机号的个人/家庭，或工作人员为驿站来访者代发）；合规审查同岗位",
)  # fmt: skip
def create_gig(request, payload: GigIn):
    data = payload.dict()
    gig = services.post_gig(by=request.user, poster=_poster(request, payload), data=data)
    return 201, _gigs().get(pk=gig.pk)


def _visible_gig(request, gig_id):
    """A gig the caller may open: staff in their area, a poster their own, a resident an open one or one
    they signed up for."""
    scope = request.scope
    qs = _gigs()
    if scope.role == Role.RESIDENT:
        mine = Q(poster_resident_id=scope.resident_id) | Q(signups__worker_id=scope.resident_id)
        gig = qs.filter(mine | Q(pk__in=Gig.objects.open().values("pk")), pk=gig_id).distinct().first()
        if gig is None:
            raise Http404
        return gig
    return get_in_scope_or_404(qs, scope, pk=gig_id)


def _signups():
    return GigSignup.objects.select_related("worker", "gig")


@router.get(
    "/{int:gig_id}/signups", response={200: list[GigSignupOut], 403: ErrorOut, 404: ErrorOut},
    summary="零工的报名：发布方和工作人员看全部，零工只看本人的",
)  # fmt: skip
def list_signups(request, gig_id: int):
    gig = _visible_gig(request, gig_id)
    rows = _signups().filter(gig=gig).in_scope(request.scope)
    return list(rows.order_by("created_at", "id")[:500])


@router.post(
    "/{int:gig_id}/signups", response={201: GigSignupOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=access(RESIDENT_SELF_SERVICE, CASEWORK), summary="一键报名（居民本人；工作人员为驿站来访者代报）",
)  # fmt: skip
def create_signup(request, gig_id: int, payload: GigSignupIn):
    gig = _visible_gig(request, gig_id)
    if request.scope.role == Role.RESIDENT:
        worker = Resident.objects.get(pk=request.scope.resident_id)
    elif payload.resident_id:
        worker = get_in_scope_or_404(Resident.objects, request.scope, pk=payload.resident_id)
    else:
        raise ValidationError({"resident_id": ["零工人员：请填写本辖区居民编号"]})
    signup = services.sign_up(gig, worker, by=request.user)
    return 201, _signups().get(pk=signup.pk)


S = SignupStatus
MOVES = {"confirm": S.CONFIRMED, "decline": S.DECLINED, "withdraw": S.WITHDRAWN, "check_in": S.CHECKED_IN,
         "check_out": S.CHECKED_OUT, "no_show": S.NO_SHOW}  # fmt: skip


@router.post(
    "/{int:gig_id}/signups/{int:signup_id}/transition",
    response={200: GigSignupOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="报名流转：确认（不超过需要人数）、签到签退（扫码或发布方确认）、完工记录报酬、评价、未到岗与争议",
)
def transition_signup(request, gig_id: int, signup_id: int, payload: GigSignupTransitionIn):
    signup = get_in_scope_or_404(_signups().filter(gig_id=gig_id), request.scope, pk=signup_id)
    by, scope, action = request.user, request.scope, payload.action
    if action in MOVES:
        services.transition_signup(signup, MOVES[action], by=by, scope=scope, reason=payload.reason)
    elif action == "scan":
        services.check_by_qr(signup, payload.token or "", by=by, scope=scope)
    elif action == "complete":
        data = {"quantity": payload.quantity, "pay_amount": payload.pay_amount, "days_worked": payload.days_worked}
        services.complete_signup(signup, by=by, scope=scope, data=data)
    elif action == "rate":
        services.rate(signup, by=by, scope=scope, score=payload.score, reason=payload.reason)
    elif action == "dispute":
        services.flag_dispute(signup, by=by, scope=scope, note=payload.reason)
    elif action == "resolve":
        services.resolve_dispute(signup, by=by, scope=scope, resolution=payload.reason)
    else:
        raise ValidationError({"action": [f"操作：无效的取值“{action}”"]})
    return _signups().get(pk=signup.pk)


@router.get(
    "/statistics", response={200: GigStatisticsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=access(VIEW_DASHBOARD),
    summary="零工与共享员工统计：发布、名额、服务人次、达成、报酬，按驿站；共享员工人次与企业数",
)  # fmt: skip
def gig_statistics(request, query: Query[GigStatisticsQuery]):
    region = region_in_scope_or_404(request.scope, query.area)
    period = parse_period(query.period)
    figures = stats.gig_figures(region, period.start, period.end)
    shared = stats.sharing_figures(region, period.start, period.end)
    return {
        "period": period.label, "area_code": region.code, **figures.__dict__,
        "sharing_person_times": shared.person_times, "sharing_enterprises": shared.enterprises,
        "by_station": stats.by_station(region, period.start, period.end),
    }  # fmt: skip


# --- sharing ------------------------------------------------------------------------------------


def _posts(model, request, query):
    qs = model.objects.in_scope(request.scope).select_related("employer", "occupation")
    if query.area:
        qs = qs.in_area(region_in_scope_or_404(request.scope, query.area))
    return {"count": qs.count(), "items": query.page(qs.order_by("start_date", "id"))}


def _declare(model, request, payload):
    employer_id = request.scope.employer_id or payload.employer_id
    employer = Employer.objects.in_scope(request.scope).filter(pk=employer_id or 0).first()
    if employer is None:
        raise ValidationError({"employer_id": ["用工单位：不存在或不在您的管辖范围内"]})
    post = sharing.declare(model, employer, by=request.user, scope=request.scope, data=payload.dict())
    return 201, model.objects.select_related("employer", "occupation").get(pk=post.pk)


POST_RESPONSES = {201: SharingPostOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@sharing_router.get("/offers", response={200: SharingPostPage, 403: ErrorOut, 404: ErrorOut},
                    summary="富余员工登记（可共享的人员），每条附最匹配的缺工需求")  # fmt: skip
def list_offers(request, query: Query[SharingListQuery]):
    return _posts(SharingOffer, request, query)


@sharing_router.post(
    "/offers", response=POST_RESPONSES, summary="登记富余员工（停产、淡季可共享的人数、工种、期间、条件）"
)
def create_offer(request, payload: SharingPostIn):
    return _declare(SharingOffer, request, payload)


@sharing_router.get("/needs", response={200: SharingPostPage, 403: ErrorOut, 404: ErrorOut},
                    summary="缺工需求登记，每条附最匹配的富余员工")  # fmt: skip
def list_needs(request, query: Query[SharingListQuery]):
    return _posts(SharingNeed, request, query)


@sharing_router.post("/needs", response=POST_RESPONSES, summary="登记缺工需求（人数、工种、期间、条件）")
def create_need(request, payload: SharingPostIn):
    return _declare(SharingNeed, request, payload)


def _agreements():
    return SharingAgreement.objects.select_related("lender", "borrower").prefetch_related("workers__resident")


@sharing_router.get("/agreements", response={200: SharingAgreementPage, 403: ErrorOut, 404: ErrorOut},
                    summary="共享用工协议（本单位为调出或调入方的，或本辖区的）")  # fmt: skip
def list_agreements(request, query: Query[SharingListQuery]):
    qs = _agreements().in_scope(request.scope)
    if query.area:
        qs = qs.in_area(region_in_scope_or_404(request.scope, query.area))
    return {"count": qs.count(), "items": query.page(qs.order_by("-start_date", "-id"))}


@sharing_router.post(
    "/agreements", response={201: SharingAgreementOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=access(CASEWORK), summary="草拟共享用工协议（工作人员撮合）：调出、调入单位，列明员工（各自在手机上确认）",
)  # fmt: skip
def create_agreement(request, payload: SharingAgreementIn):
    scope = request.scope
    employers = Employer.objects.filter(pk__in=[payload.lender_id, payload.borrower_id]).in_bulk()
    people = list(Resident.objects.in_scope(scope).filter(pk__in=payload.resident_ids))
    if len(people) != len(set(payload.resident_ids)):
        raise ValidationError({"resident_ids": ["共享员工：含不存在或不在您管辖范围内的居民"]})
    offer = SharingOffer.objects.filter(pk=payload.offer_id or 0).first()
    need = SharingNeed.objects.filter(pk=payload.need_id or 0).first()
    parties = {"lender": employers.get(payload.lender_id), "borrower": employers.get(payload.borrower_id)}
    data = {**payload.dict(), **parties, "people": people, "offer": offer, "need": need}
    agreement = sharing.draft_agreement(by=request.user, scope=scope, data=data)
    return 201, _agreements().get(pk=agreement.pk)
