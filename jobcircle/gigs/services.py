"""零工: 零工驿站 and their walk-in register, posting gigs (with the jobs' compliance review), workers opting
in, signing up, confirming up to the headcount, check-in and check-out, completion with the pay recorded,
ratings, no-show and dispute flags, and the 灵活就业 effect on the worker's status history.

Every state change goes through the one workflow helper (common.workflow): GIG_WORKFLOW, SIGNUP_WORKFLOW.
The system records the pay agreed; it does not pay.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from jobcircle.accounts.enums import STAFF_ROLES, Role
from jobcircle.accounts.permissions import CASEWORK
from jobcircle.areas.models import Region, ServiceStation
from jobcircle.areas.services import location_from_input
from jobcircle.classifications.models import Occupation
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import validate_text
from jobcircle.common.workflow import Move, Workflow, moves_from, transition
from jobcircle.employers.compliance import has_blocking, review_posting
from jobcircle.employers.enums import EmployerStatus
from jobcircle.employers.services import _text  # the one free-text field rule of postings (jobs and gigs)
from jobcircle.matching.reasons import distance_text
from jobcircle.matching.services import clean_radius_km
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import EmploymentStatusChange, Resident
from jobcircle.people.services import record_employment_status

from . import checkin
from .enums import (
    GIG_TRANSITIONS,
    SIGNUP_TRANSITIONS,
    TAKING_PLACE,
    CheckMethod,
    ContactPreference,
    GigStatus,
    PayUnit,
    PosterKind,
    SignupStatus,
    WalkInPurpose,
)
from .models import Gig, GigSignup, GigSignupTransition, GigStation, GigTransition, GigWorker, WalkIn

NOT_IN_AREA = "{label}：不存在或不在您的管辖范围内"
REVIEWED_FIELDS = {"title": "零工任务", "description": "工作内容", "requirements": "要求"}
MAX_GIG_DAYS = 7  # a gig is one day or a few; longer work is a job
MAX_HEADCOUNT = 200
MAX_PAY_RATE = Decimal("100000")
CHECK_IN_EARLY = datetime.timedelta(hours=1)  # a worker may check in up to an hour before the start
FLEXIBLE_NOTE = "零工"  # the status-history note of a month's first completed gig starts with this


# --- small input helpers ------------------------------------------------------------------------


def _choice(errors, data, field, label, choices, default=None):
    value = data.get(field) or default
    if value not in choices.values:
        errors.add(field, f"{label}：取值无效（{'/'.join(choices.values)}）")
        return default
    return value


def _int(errors, data, field, label, *, minimum, maximum, required=True, default=None):
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors.add(field, f"{label}：不能为空")
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, f"{label}：应为整数")
        return default
    if not minimum <= number <= maximum:
        errors.add(field, f"{label}：应在{minimum}到{maximum}之间")
        return default
    return number


def _money(errors, data, field, label, *, maximum=MAX_PAY_RATE, required=True):
    """元 with at most 2 decimals, not negative, bounded (SEC-25)."""
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors.add(field, f"{label}：不能为空")
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add(field, f"{label}：应为金额（元）")
        return None
    if not amount.is_finite() or amount < 0 or amount > maximum or amount != amount.quantize(Decimal("0.01")):
        errors.add(field, f"{label}：应为0到{maximum}元之间、最多两位小数的金额")
        return None
    return amount.quantize(Decimal("0.01"))


def _moment(errors, data, field, label):
    value = data.get(field)
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime.datetime):
        errors.add(field, f"{label}：请填写日期和时间，如2026-05-01T08:00")
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _skills(errors, data, field="skills", label="技能"):
    skills = [str(s).strip() for s in (data.get(field) or []) if str(s).strip()]
    if len(skills) > 20:
        errors.add(field, f"{label}：最多20项")
    for skill in skills[:20]:
        errors.capture(field, validate_text, skill, label=label, max_length=30)
    return skills[:20]


def _occupation(errors, data, field="occupation_code"):
    occupation = Occupation.objects.filter(code=str(data.get(field) or "")[:20]).first()
    if occupation is None:
        errors.add(field, f"工种：职业代码不存在：{data.get(field) or '（空）'}（请使用职业分类大典2022版代码）")
    return occupation


def _is_area_staff(scope, area_code) -> bool:
    return scope is not None and scope.role in STAFF_ROLES and scope.can(CASEWORK) and scope.covers(area_code)


# --- 零工驿站 -----------------------------------------------------------------------------------


@transaction.atomic
def open_gig_station(station: ServiceStation, *, by, scope, data: dict) -> GigStation:
    """Make a 就业服务站 a 零工驿站 (or change its hours and staff).

    - only area staff of the station's area;
    - 服务时间 is required (one line, at most 100 characters); staff must be staff of the area.
    """
    if not _is_area_staff(scope, station.area_code):
        raise PermissionDenied("仅限本辖区人社工作人员设立零工驿站")
    errors = FieldErrors()
    hours = _text(errors, data, GigStation, "hours")
    staff = list(data.get("staff") or [])
    if any(not scope.covers(getattr(user.area, "code", "")) or user.role not in STAFF_ROLES for user in staff):
        errors.add("staff", "驿站工作人员：须为本辖区的工作人员")
    errors.raise_if_any()
    gig_station, created = GigStation.objects.update_or_create(
        station=station, defaults={"hours": hours, "area_code": station.area_code, "is_active": True}
    )
    gig_station.staff.set(staff)
    log_action("gigs.station.opened" if created else "gigs.station.updated", by=by, obj=gig_station,
               changed_fields=["hours", "staff"])  # fmt: skip
    return gig_station


def station_for_area(area_code: str) -> GigStation | None:
    """The 零工驿站 that serves a community: its own, else one of its township's (the first registered)."""
    stations = GigStation.objects.filter(is_active=True).select_related("station")
    own = stations.filter(area_code=area_code).order_by("id").first()
    return own or stations.filter(area_code__in=_township_codes(area_code)).order_by("area_code", "id").first()


def _township_codes(area_code):
    township = Region.objects.filter(code=area_code).values_list("parent__code", flat=True).first()
    return Region.objects.filter(Q(code=township) | Q(parent__code=township)).values_list("code", flat=True)


@transaction.atomic
def record_walk_in(gig_station: GigStation, *, by, scope, data: dict) -> WalkIn:
    """Register a visit to a 零工驿站 (来访登记).

    - area staff of the station only; the visitor's name and purpose are required;
    - a registered resident may be named (``resident``: must be in the staff's area);
    - the visitor's name is stored as typed and shown masked in lists.
    """
    if not _is_area_staff(scope, gig_station.area_code):
        raise PermissionDenied("仅限本辖区人社工作人员登记")
    errors = FieldErrors()
    resident = data.get("resident")
    if resident is not None and not scope.covers(resident.area_code):
        errors.add("resident", NOT_IN_AREA.format(label="居民"))
    walk_in = WalkIn(
        gig_station=gig_station,
        area_code=gig_station.area_code,
        resident=resident,
        visitor_name=_text(errors, data, WalkIn, "visitor_name") if resident is None else resident.name,
        purpose=_choice(errors, data, "purpose", "来访事由", WalkInPurpose),
        note=_text(errors, data, WalkIn, "note", required=False),
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    errors.raise_if_any()
    walk_in.save()
    log_action("gigs.walk_in.recorded", by=by, obj=walk_in, data={"purpose": walk_in.purpose})
    return walk_in


# --- workers opt in -----------------------------------------------------------------------------


@transaction.atomic
def opt_in(resident: Resident, *, by, data: dict) -> GigWorker:
    """A resident opts in to 零工 (or changes their card): skills, free weekdays, travel distance.

    - weekdays are 0 (周一) … 6 (周日); the distance is 0.5–50 km (default 3);
    - ``is_active`` false pauses the card (no longer shown gigs as available).
    """
    errors = FieldErrors()
    skills = _skills(errors, data)
    weekdays = data.get("weekdays")
    weekdays = list(range(7)) if weekdays in (None, "") else weekdays
    if not isinstance(weekdays, list | tuple) or any(str(d) not in "0123456" or len(str(d)) != 1 for d in weekdays):
        errors.add("weekdays", "可接单日：应为0（周一）到6（周日）")
        weekdays = []
    try:
        distance = Decimal(str(data.get("max_distance_km") or 3))
        if not Decimal("0.5") <= distance <= 50:
            raise ValueError
    except (InvalidOperation, ValueError):
        errors.add("max_distance_km", "最远出行距离：应在0.5到50公里之间")
        distance = Decimal(3)
    codes = [str(c)[:20] for c in (data.get("occupation_codes") or [])][:20]
    occupations = list(Occupation.objects.filter(code__in=codes))
    if len(occupations) != len(set(codes)):
        errors.add("occupation_codes", "可做工种：含不存在的职业代码")
    errors.raise_if_any()
    worker, _ = GigWorker.objects.update_or_create(
        resident=resident,
        defaults={"area_code": resident.area_code, "skills": skills, "weekdays": sorted({int(d) for d in weekdays}),
                  "max_distance_km": distance.quantize(Decimal("0.1")), "is_active": data.get("is_active", True)},
    )  # fmt: skip
    worker.occupations.set(occupations)
    log_action("gigs.worker.opted_in", by=by, obj=worker, changed_fields=["skills", "weekdays", "max_distance_km"])
    return worker


# --- posting a gig ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Poster:
    """Who posts: exactly one of an employer, a resident (个人/家庭) or a 零工驿站 posting for a walk-in."""

    kind: str
    employer: object = None
    resident: object = None
    gig_station: object = None

    @property
    def area_code(self) -> str:
        return (self.employer or self.resident or self.gig_station).area_code

    def fallback_point(self):
        where = self.employer or self.resident or self.gig_station.station
        return where.lat, where.lng, where.source_crs


def poster_for(scope, *, employer=None, resident=None, gig_station=None) -> Poster:
    """The poster a caller may post as (422 on ``poster`` otherwise).

    - an employer posts for itself, in standing (正常);
    - a resident posts for themselves (个人/家庭) with a verified phone (they signed in by SMS code);
    - area staff post for a 零工驿站 of their area (walk-ins) or for an employer of their area.
    """
    if scope.role == Role.EMPLOYER and employer is not None and employer.pk == scope.employer_id:
        if employer.status != EmployerStatus.ACTIVE:
            raise ValidationError({"poster": [f"用工单位已{employer.get_status_display()}，不能发布零工"]})
        return Poster(PosterKind.EMPLOYER, employer=employer)
    if scope.role == Role.RESIDENT and resident is not None and resident.pk == scope.resident_id:
        if not resident.phone_hash:
            raise ValidationError({"poster": ["发布零工需先绑定并验证手机号"]})
        return Poster(PosterKind.RESIDENT, resident=resident)
    if scope.role in STAFF_ROLES:
        if gig_station is not None and scope.covers(gig_station.area_code):
            return Poster(PosterKind.STATION, gig_station=gig_station)
        if employer is not None and scope.covers(employer.area_code):
            return Poster(PosterKind.EMPLOYER, employer=employer)
    raise ValidationError({"poster": ["发布方：请选择本人、本单位或本辖区的零工驿站"]})


def clean_gig_input(data: dict, *, poster: Poster, now=None) -> dict:
    """Validate a gig.

    - task, content, occupation, start and end (end after start, at most MAX_GIG_DAYS days, not over),
      pay per hour/day/piece in 元 (≥ 0, two decimals), headcount 1–200, contact preference;
    - place: the point given (converted to WGS-84), else the poster's;
    - compliance review as for jobs (employers.compliance): BLOCK refuses naming the field, REVIEW holds
      the gig for staff review (待人社部门审核).
    """
    now = now or timezone.now()
    errors = FieldErrors()
    out = {
        "title": _text(errors, data, Gig, "title"),
        "description": _text(errors, data, Gig, "description", multiline=True),
        "requirements": _text(errors, data, Gig, "requirements", required=False, multiline=True),
        "address": _text(errors, data, Gig, "address"),
        "occupation": _occupation(errors, data),
        "starts_at": _moment(errors, data, "starts_at", "开始时间"),
        "ends_at": _moment(errors, data, "ends_at", "结束时间"),
        "pay_unit": _choice(errors, data, "pay_unit", "计酬方式", PayUnit),
        "pay_rate": _money(errors, data, "pay_rate", "报酬标准"),
        "headcount": _int(errors, data, "headcount", "需要人数", minimum=1, maximum=MAX_HEADCOUNT),
        "contact_preference": _choice(
            errors, data, "contact_preference", "联系方式偏好", ContactPreference, ContactPreference.PHONE
        ),
    }
    starts, ends = out["starts_at"], out["ends_at"]
    if starts and ends:
        if ends <= starts:
            errors.add("ends_at", "结束时间：应晚于开始时间")
        elif ends - starts > datetime.timedelta(days=MAX_GIG_DAYS):
            errors.add("ends_at", f"结束时间：零工最长{MAX_GIG_DAYS}天，更长的用工请发布岗位")
        if ends <= now:
            errors.add("ends_at", "结束时间：已经过去")
        if starts > now + datetime.timedelta(days=90):
            errors.add("starts_at", "开始时间：最多提前90天发布")
    out["location"] = errors.capture("location", location_from_input, data, poster.fallback_point)
    reviewed = {field: out[field] for field in REVIEWED_FIELDS if field not in errors.errors}
    hits = review_posting(reviewed)
    for hit in hits:
        if hit.severity == "BLOCK":
            errors.add(hit.field, f"{REVIEWED_FIELDS[hit.field]}：{hit.message}")
    out["review_hits"] = [
        {"rule": h.rule_id, "severity": h.severity, "field": h.field, "phrase": h.phrase, "message": h.message}
        for h in hits
    ]
    out["review_result"] = "blocked" if has_blocking(hits) else "held" if hits else "passed"
    errors.raise_if_any()
    return out


GIG_FIELDS = ("title", "description", "requirements", "address", "occupation", "starts_at", "ends_at", "pay_unit",
              "pay_rate", "headcount", "contact_preference", "review_hits", "review_result")  # fmt: skip


@transaction.atomic
def post_gig(*, by, poster: Poster, data: dict, now=None) -> Gig:
    """Post a gig: clean wording opens it at once (招募中); held wording goes to staff review first."""
    cleaned = clean_gig_input(data, poster=poster, now=now)
    gig = Gig(
        poster_kind=poster.kind, employer=poster.employer, poster_resident=poster.resident,
        gig_station=poster.gig_station or station_for_area(poster.area_code), area_code=poster.area_code,
        status=GigStatus.REVIEW, created_by=by if getattr(by, "pk", None) else None,
        **{field: cleaned[field] for field in GIG_FIELDS},
    )  # fmt: skip
    gig.set_location(*cleaned["location"])
    gig.save()
    log_action("gigs.gig.created", by=by, obj=gig, changed_fields=GIG_FIELDS, data={"review": gig.review_result})
    if gig.review_result == "passed":
        gig = transition_gig(gig, GigStatus.OPEN, by=by)
    else:
        GigTransition.objects.create(gig=gig, from_status="", to_status=GigStatus.REVIEW, reason="合规检查需人工复核")
    return gig


def _gig_poster(gig, by, scope) -> bool:
    """The gig's own poster (employer, resident) or area staff; no scope (a system move) is neither."""
    if scope is None:
        return False
    if scope.role == Role.EMPLOYER:
        return bool(gig.employer_id) and gig.employer_id == scope.employer_id
    if scope.role == Role.RESIDENT:
        return bool(gig.poster_resident_id) and gig.poster_resident_id == scope.resident_id
    return _is_area_staff(scope, gig.area_code)


def _gig_approver(gig, by, scope) -> bool:
    """A posting that passed the check leaves review by itself; a held one only by area staff (审核)."""
    return gig.review_result == "passed" or _is_area_staff(scope, gig.area_code)


def _gig_move(frm, to) -> Move:
    if frm == GigStatus.REVIEW and to == GigStatus.OPEN:
        return Move(who=_gig_approver, refused="仅限本辖区人社工作人员审核")
    if to == GigStatus.CANCELLED:
        return Move(who=_gig_poster, min_reason=2, reason_error="取消原因：请写明（至少2个字）")
    return Move()  # 招满 / 重新招募 / 结束: system moves of the signup services and expire_gigs


def _publish(gig, current, to):
    """Staff approving a held posting mark it 人工复核通过; a gig opened for the first time is published
    today (发布零工)."""
    changed = []
    if (current, to) == (GigStatus.REVIEW, GigStatus.OPEN) and gig.review_result == "held":
        gig.review_result = "approved"
        changed.append("review_result")
    if to == GigStatus.OPEN and gig.published_on is None:
        gig.published_on = timezone.localdate()
        changed.append("published_on")
    return changed


GIG_WORKFLOW = Workflow(
    model=Gig, states=GigStatus, moves=moves_from(GIG_TRANSITIONS, _gig_move), log=GigTransition,
    subject="gig", action="gigs.gig.{to}", label="零工状态",
)  # fmt: skip


def transition_gig(gig: Gig, to_state, *, by, scope=None, reason="") -> Gig:
    """Move a gig — the one door (common.workflow.transition).

    - 待审核 → 招募中 by area staff only (approve); the first opening sets the publication date;
    - cancel (→ 已取消) by the poster or area staff with a reason;
    - 招满, 重新招募 and 结束 are system moves (confirmations, withdrawals, ``expire_gigs``).
    """
    return transition(GIG_WORKFLOW, gig, to_state, by=by, scope=scope, reason=reason, prepare=_publish)


def expire_gigs(*, now=None) -> int:
    """End every gig whose end time has passed (招募中 or 已招满 → 已结束); returns how many. Idempotent."""
    now = now or timezone.now()
    over = Gig.objects.filter(status__in=(GigStatus.OPEN, GigStatus.FULL), ends_at__lte=now)
    count = 0
    for gig in over.iterator():
        transition_gig(gig, GigStatus.ENDED, by=None, reason="到达结束时间")
        count += 1
    return count


# --- nearby gigs --------------------------------------------------------------------------------


def day_window(day: datetime.date):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return start, start + datetime.timedelta(days=1)


def nearby_gigs(lat, lng, radius_km=None, *, day: datetime.date | None = None, now=None):
    """Open gigs within the radius of a WGS-84 point ("今天/明天 附近零工"), by start time then distance.

    - the radius by matching's rule (``clean_radius_km``: default the 3-km circle, at most the maximum);
    - ``day``: only gigs running on that local day; a gig that has ended never shows;
    - each row carries ``distance_m`` (the database's haversine, as for jobs) and ``distance_text``.
    """
    radius_km = clean_radius_km(radius_km)
    rows = Gig.objects.open(now).within(lat, lng, radius_km * 1000)
    if day is not None:
        start, end = day_window(day)
        rows = rows.filter(starts_at__lt=end, ends_at__gt=start)
    rows = rows.select_related("employer", "poster_resident", "gig_station__station", "occupation")
    gigs = list(rows.order_by("starts_at", "distance_m", "id")[:200])
    for gig in gigs:
        gig.distance_text = distance_text(gig.distance_m)
    return gigs


def gigs_for_worker(resident: Resident, *, day=None, now=None):
    """Gigs near a worker's home, within the distance on their 零工 card (3 km without one)."""
    card = GigWorker.objects.filter(resident=resident).first()
    radius = float(card.max_distance_km) if card else None
    return nearby_gigs(resident.lat, resident.lng, radius, day=day, now=now)


# --- sign-ups -----------------------------------------------------------------------------------


def taken_places(gig) -> int:
    return GigSignup.objects.filter(gig_id=gig.pk, status__in=TAKING_PLACE).count()


@transaction.atomic
def sign_up(gig: Gig, worker: Resident, *, by, now=None) -> GigSignup:
    """A worker signs up for a gig in one tap (报名).

    - only a gig open now (招募中, not over); not one's own gig; once per worker and gig;
    - a worker without a 零工 card gets one (defaults) — signing up is opting in.
    """
    gig = Gig.objects.select_for_update(of=("self",)).get(pk=gig.pk)
    now = now or timezone.now()
    if gig.status != GigStatus.OPEN or gig.ends_at <= now:
        raise ValidationError({"gig": ["该零工已招满、结束或暂不接受报名"]})
    if gig.poster_resident_id == worker.pk:
        raise ValidationError({"gig": ["不能报名自己发布的零工"]})
    if not GigWorker.objects.filter(resident=worker).exists():
        GigWorker.objects.create(resident=worker, area_code=worker.area_code, weekdays=list(range(7)))
    signup = GigSignup(gig=gig, worker=worker, area_code=gig.area_code)
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError as exc:
        raise ValidationError({"gig": ["您已报名该零工，请在“我的零工”中查看"]}) from exc
    GigSignupTransition.objects.create(
        signup=signup, from_status="", to_status=SignupStatus.APPLIED, by=by if getattr(by, "pk", None) else None
    )
    log_action("gigs.signup.created", by=by, obj=signup, data={"gig": gig.pk})
    return signup


def _worker(signup, by, scope) -> bool:
    return scope is not None and scope.role == Role.RESIDENT and scope.resident_id == signup.worker_id


def _poster_side(signup, by, scope) -> bool:
    return _gig_poster(signup.gig, by, scope)


def _either_side(signup, by, scope) -> bool:
    return _worker(signup, by, scope) or _poster_side(signup, by, scope)


S = SignupStatus
SIGNUP_WHO = {
    S.CONFIRMED: _poster_side,
    S.DECLINED: _poster_side,
    S.WITHDRAWN: _worker,
    S.NO_SHOW: _poster_side,
    S.CHECKED_IN: _either_side,  # the worker by QR, or the poster confirming arrival
    S.CHECKED_OUT: _either_side,
    S.COMPLETED: _poster_side,  # the poster (or station staff) records the work and the pay
}
SIGNUP_WORKFLOW = Workflow(
    model=GigSignup, states=SignupStatus,
    moves=moves_from(SIGNUP_TRANSITIONS, lambda frm, to: Move(who=SIGNUP_WHO[to])),
    log=GigSignupTransition, subject="signup", action="gigs.signup.{to}", label="报名状态",
    related=("gig", "worker"),
)  # fmt: skip
FULL = "名额已满：该零工已确认{n}人，不能再确认"


def _confirm_rules(now):
    def prepare(signup, current, to):
        changed = []
        gig = signup.gig
        if to == S.CONFIRMED:
            # The gig row is the lock every confirmation of this gig waits on: the count below is then exact.
            gig = Gig.objects.select_for_update(of=("self",)).get(pk=gig.pk)
            if gig.status != GigStatus.OPEN or gig.ends_at <= now:
                raise ValidationError({"status": ["该零工已招满、结束或已取消，不能再确认"]})
            taken = taken_places(gig)
            if taken >= gig.headcount:
                raise ValidationError({"status": [FULL.format(n=taken)]})
            signup.confirmed_at = now
            changed.append("confirmed_at")
        if to in (S.CHECKED_IN, S.CHECKED_OUT) and not (gig.starts_at - CHECK_IN_EARLY <= now <= gig.ends_at
                                                          + datetime.timedelta(hours=6)):  # fmt: skip
            raise ValidationError({"status": ["不在该零工的工作时间内，不能签到或签退"]})
        return changed

    return prepare


def _after_move(signup, to, *, by, now):
    """Keep the gig's status with its places: the last place taken → 已招满; a place freed → 招募中 again."""
    gig = Gig.objects.select_for_update(of=("self",)).get(pk=signup.gig_id)
    taken = taken_places(gig)
    if to == S.CONFIRMED and gig.status == GigStatus.OPEN and taken >= gig.headcount:
        transition_gig(gig, GigStatus.FULL, by=by, reason="确认人数已满")
    elif (
        to in (S.WITHDRAWN, S.NO_SHOW) and gig.status == GigStatus.FULL and taken < gig.headcount and gig.ends_at > now
    ):
        transition_gig(gig, GigStatus.OPEN, by=by, reason="有人取消，重新招募")


@transaction.atomic
def transition_signup(signup: GigSignup, to_state, *, by, scope, reason="", method="", now=None) -> GigSignup:
    """Move a sign-up — the one door (common.workflow.transition).

    - the poster side (the gig's employer or resident, or area staff) confirms, declines, marks 未到岗,
      and records completion; the worker withdraws; either side checks in and out;
    - confirming never takes more places than the headcount, whatever runs at once: each confirmation
      locks the gig row and counts the places taken (confirmed, checked in/out, completed) under it;
    - the last place taken marks the gig 已招满; a withdrawal or 未到岗 reopens it while it runs;
    - check-in and check-out only in the gig's working time (from an hour before its start).
    """
    now = now or timezone.now()
    target = SIGNUP_WORKFLOW.state_of(to_state)
    stamp = {}
    if target in (S.CHECKED_IN, S.CHECKED_OUT):
        how = method or (CheckMethod.STAFF if scope and scope.role in STAFF_ROLES else CheckMethod.POSTER)
        stamp = {"checked_in_at": now, "check_in_method": how} if target == S.CHECKED_IN else {
            "checked_out_at": now, "check_out_method": how}  # fmt: skip
    rules = _confirm_rules(now)

    def prepare(record, current, to):
        changed = rules(record, current, to)
        for field, value in stamp.items():
            setattr(record, field, value)
        return changed + list(stamp)

    signup = transition(SIGNUP_WORKFLOW, signup, target, by=by, scope=scope, reason=reason, prepare=prepare)
    if target in (S.CONFIRMED, S.WITHDRAWN, S.NO_SHOW):
        _after_move(signup, target, by=by, now=now)
    return signup


@transaction.atomic
def check_by_qr(signup: GigSignup, token: str, *, by, scope, now=None) -> GigSignup:
    """The worker scans the site's or the station's QR: check in if confirmed, check out if checked in.

    - the token is signed and expires (gigs.checkin); it must be this gig's site code or the code of the
      gig's 零工驿站; a wrong or stale code is refused naming ``token``.
    """
    kind, object_id = checkin.read(token)
    gig = signup.gig
    if not (
        (kind == checkin.SITE and object_id == gig.pk) or (kind == checkin.STATION and object_id == gig.gig_station_id)
    ):
        raise ValidationError({"token": ["签到码：不是该零工现场或其零工驿站的签到码"]})
    method = CheckMethod.SITE_QR if kind == checkin.SITE else CheckMethod.STATION_QR
    if signup.status == S.CONFIRMED:
        return transition_signup(signup, S.CHECKED_IN, by=by, scope=scope, method=method, now=now)
    if signup.status == S.CHECKED_IN:
        return transition_signup(signup, S.CHECKED_OUT, by=by, scope=scope, method=method, now=now)
    raise ValidationError({"status": [f"当前状态“{signup.get_status_display()}”不能扫码签到或签退"]})


def _gig_days(gig) -> int:
    start, end = (
        timezone.localtime(gig.starts_at).date(),
        timezone.localtime(gig.ends_at - datetime.timedelta(seconds=1)).date(),
    )
    return (end - start).days + 1


@transaction.atomic
def complete_signup(signup: GigSignup, *, by, scope, data: dict, now=None) -> GigSignup:
    """Record the work done and the pay agreed (完工): the system records it, it does not pay.

    - after check-out only, by the poster side;
    - 计酬数量 (hours, days or pieces) > 0; 报酬 in 元, ≥ 0; 工作天数 1 … the gig's days (default all);
    - the worker's status history counts it as 灵活就业 (``count_as_flexible_work``).
    """
    errors = FieldErrors()
    quantity = _money(errors, data, "quantity", "计酬数量", maximum=Decimal("100000"))
    if quantity is not None and quantity <= 0:
        errors.add("quantity", "计酬数量：应大于0")
    pay = _money(errors, data, "pay_amount", "报酬")
    days = _int(errors, data, "days_worked", "工作天数", minimum=1, maximum=_gig_days(signup.gig), required=False,
                default=_gig_days(signup.gig))  # fmt: skip
    errors.raise_if_any()

    def prepare(record, current, to):
        record.quantity, record.pay_amount, record.days_worked = quantity, pay, days
        record.completed_on = timezone.localdate(now) if now else timezone.localdate()
        return ["quantity", "pay_amount", "days_worked", "completed_on"]

    signup = transition(SIGNUP_WORKFLOW, signup, S.COMPLETED, by=by, scope=scope, prepare=prepare,
                        data={"pay_amount": str(pay)})  # fmt: skip
    count_as_flexible_work(signup, by=by)
    return signup


def count_as_flexible_work(signup: GigSignup, *, by):
    """A completed gig counts as 灵活就业 in the worker's status history (people's one status service).

    - the first completed gig of a calendar month for a worker who is not 已就业 records 灵活就业 on the
      gig's day with a note "零工：YYYY年M月…"; later gigs of that month add nothing to the history;
    - a worker who is 已就业 keeps that status (a side gig does not end employment); their gigs still
      count in ``flexible_work_by_month``, the days and income per month read from the sign-ups.
    """
    worker = signup.worker
    day = timezone.localtime(signup.gig.starts_at).date()
    if worker.employment_status == EmploymentStatus.EMPLOYED:
        return None
    month_note = f"{FLEXIBLE_NOTE}：{day.year}年{day.month}月"
    already = EmploymentStatusChange.objects.filter(
        resident=worker, status=EmploymentStatus.FLEXIBLE, note__startswith=month_note
    ).exists()
    if already:
        return None
    return record_employment_status(
        worker, EmploymentStatus.FLEXIBLE, by=by, on=day, note=f"{month_note}首个完工零工（{signup.gig.title}）"[:200]
    )


@dataclass(frozen=True)
class FlexibleMonth:
    month: datetime.date
    gigs: int
    days: int
    income: Decimal


def flexible_work_by_month(resident: Resident, *, start=None, end=None) -> list[FlexibleMonth]:
    """A worker's completed gigs per month (灵活就业 by month): number, days worked and income recorded.

    Read for the 灵活就业 facts (subsidies' 灵活就业社保补贴, monitoring prefill) and the worker's H5 page.
    """
    rows = GigSignup.objects.filter(worker=resident, status=S.COMPLETED)
    if start:
        rows = rows.filter(completed_on__gte=start)
    if end:
        rows = rows.filter(completed_on__lte=end)
    months: dict = {}
    for signup in rows.select_related("gig").order_by("gig__starts_at"):
        month = timezone.localtime(signup.gig.starts_at).date().replace(day=1)
        gigs, days, income = months.get(month, (0, 0, Decimal("0.00")))
        months[month] = (gigs + 1, days + (signup.days_worked or 0), income + (signup.pay_amount or 0))
    return [FlexibleMonth(month, *values) for month, values in sorted(months.items())]


# --- ratings, no-shows and disputes -------------------------------------------------------------

RATING_REASON_MAX = 100


@transaction.atomic
def rate(signup: GigSignup, *, by, scope, score, reason="") -> GigSignup:
    """Mutual rating 1–5 with a short reason (at most 100 characters, one line).

    - only after completion (已完工); each side rates once: the poster side rates the worker, the worker
      rates the poster; a second rating by the same side is refused.
    """
    signup = GigSignup.objects.select_for_update(of=("self",)).select_related("gig").get(pk=signup.pk)
    if _worker(signup, by, scope):
        field = "poster_score"
    elif _poster_side(signup, by, scope):
        field = "worker_score"
    else:
        raise PermissionDenied("只有该零工的双方可以评价")
    errors = FieldErrors()
    if signup.status != S.COMPLETED:
        errors.add("score", "评价：完工后才能评价")
    elif getattr(signup, field) is not None:
        errors.add("score", "评价：您已评价过，每方只能评价一次")
    score = _int(errors, {"score": score}, "score", "评分", minimum=1, maximum=5)
    reason = str(reason or "").strip()
    errors.capture("reason", validate_text, reason, label="评价理由", max_length=RATING_REASON_MAX)
    errors.raise_if_any()
    setattr(signup, field, score)
    setattr(signup, f"{field}_reason", reason)
    signup.save(update_fields=[field, f"{field}_reason", "updated_at"])
    log_action("gigs.signup.rated", by=by, obj=signup, changed_fields=[field], data={"score": score})
    return signup


@transaction.atomic
def flag_dispute(signup: GigSignup, *, by, scope, note) -> GigSignup:
    """Either side flags a dispute (争议) for station staff, with what happened (4–200 characters)."""
    signup = GigSignup.objects.select_for_update(of=("self",)).select_related("gig").get(pk=signup.pk)
    if not _either_side(signup, by, scope):
        raise PermissionDenied("只有该零工的双方可以反映争议")
    errors = FieldErrors()
    note = str(note or "").strip()
    if len(note) < 4:
        errors.add("note", "争议说明：请写明情况（至少4个字）")
    errors.capture("note", validate_text, note, label="争议说明", max_length=200)
    if signup.status in (S.APPLIED, S.DECLINED, S.WITHDRAWN):
        errors.add("note", "争议说明：确认用工后才能反映争议")
    errors.raise_if_any()
    signup.disputed, signup.dispute_note, signup.dispute_resolution = True, note, ""
    signup.save(update_fields=["disputed", "dispute_note", "dispute_resolution", "updated_at"])
    log_action("gigs.signup.disputed", by=by, obj=signup, changed_fields=["disputed"])
    return signup


@transaction.atomic
def resolve_dispute(signup: GigSignup, *, by, scope, resolution) -> GigSignup:
    """Station staff (area staff) record how a dispute was handled and clear the flag."""
    signup = GigSignup.objects.select_for_update(of=("self",)).get(pk=signup.pk)
    if not _is_area_staff(scope, signup.area_code):
        raise PermissionDenied("仅限本辖区人社工作人员处理争议")
    errors = FieldErrors()
    resolution = str(resolution or "").strip()
    if not signup.disputed:
        errors.add("resolution", "处理结果：该报名没有待处理的争议")
    if len(resolution) < 4:
        errors.add("resolution", "处理结果：请写明处理情况（至少4个字）")
    errors.capture("resolution", validate_text, resolution, label="处理结果", max_length=200)
    errors.raise_if_any()
    signup.disputed, signup.dispute_resolution = False, resolution
    signup.save(update_fields=["disputed", "dispute_resolution", "updated_at"])
    log_action("gigs.signup.dispute_resolved", by=by, obj=signup, changed_fields=["disputed", "dispute_resolution"])
    return signup


def board(queryset):
    """Gigs with their places taken and sign-ups waiting (the back office's 零工看板 and the poster's list)."""
    return queryset.annotate(
        taken=Count("signups", filter=Q(signups__status__in=TAKING_PLACE)),
        waiting=Count("signups", filter=Q(signups__status=S.APPLIED)),
        paid=Sum("signups__pay_amount", filter=Q(signups__status=S.COMPLETED)),
    )
