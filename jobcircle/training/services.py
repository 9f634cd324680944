"""职业技能培训: providers, programmes and their pipeline, enrolment with its eligibility rules, attendance,
completion and certificates, the employment outcome after training, and the 1131 "1 training" of an assistance case.
Internships are in ``internships.py``; figures in ``stats.py``. ADR docs/decisions/training.md."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from jobcircle.accounts.permissions import CASEWORK
from jobcircle.areas.services import community_for_write, location_from_input
from jobcircle.areas.stations import location_for_community
from jobcircle.assistance.cases.services import record_case_service
from jobcircle.assistance.enums import ServiceKind
from jobcircle.assistance.models import AssistanceCase
from jobcircle.assistance.periods import add_months, days_in_month
from jobcircle.assistance.services import WORKING
from jobcircle.classifications.models import Occupation
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import parse_credit_code, text_problem
from jobcircle.common.workflow import Move, Workflow, log_created, transition
from jobcircle.matching.reasons import distance_text
from jobcircle.matching.services import clean_radius_km, nearby_radius_km
from jobcircle.people.models import EmploymentStatusChange, KeyGroup, Placement, Resident, age_on
from jobcircle.subsidies.rules import Check, failing

from .enums import (
    ACTIVE_ENROLMENT,
    CertificateKind,
    EnrolmentSource,
    EnrolmentStatus,
    ProgrammeKind,
    ProgrammeStatus,
    ProviderKind,
    SkillLevel,
)
from .models import (
    Attendance,
    Enrolment,
    EnrolmentTransition,
    Programme,
    ProgrammeTransition,
    TrainingProvider,
    TrainingSession,
)

P, E = ProgrammeStatus, EnrolmentStatus
MAX_MONEY = Decimal("99999999.99")


def today():
    return timezone.localdate()


def _actor(by):
    return by if getattr(by, "pk", None) else None


def area_staff(record, by, scope) -> bool:
    """Staff with the casework permission whose scope covers the record's area (no scope: nobody)."""
    return scope is not None and scope.can(CASEWORK) and scope.covers(record.area_code)


def require_area_staff(record, scope) -> None:
    if not area_staff(record, None, scope):
        raise PermissionDenied("无权操作：须为本辖区的就业服务工作人员")


def clean_text(errors, data, key, label, limit, *, required=True):
    value = str(data.get(key) or "").strip()
    if not value and required:
        errors.add(key, f"{label}：不能为空")
    problem = text_problem(value, max_length=limit)
    if problem:
        errors.add(key, f"{label}：{problem}")
    return value[:limit]


def clean_choice(errors, data, key, label, choices, default=None):
    value = data.get(key) or default
    if value not in choices.values:
        errors.add(key, f"{label}：无效的取值“{value}”")
    return value


def clean_int(errors, data, key, label, low, high, default=None):
    value = data.get(key, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(key, f"{label}：应为整数")
        return low
    if not low <= number <= high:
        errors.add(key, f"{label}：应在{low}到{high}之间")
    return number


def clean_date(errors, data, key, label, *, required=True):
    value = data.get(key)
    if isinstance(value, datetime.date):
        return value
    if not value:
        if required:
            errors.add(key, f"{label}：不能为空")
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors.add(key, f"{label}：日期格式应为YYYY-MM-DD")
        return None


def money(errors, data, key, label, *, default="0"):
    """元 with two decimals, 0 ≤ value ≤ 99,999,999.99."""
    try:
        value = Decimal(str(data.get(key, default) if data.get(key) not in (None, "") else default))
    except InvalidOperation:
        errors.add(key, f"{label}：应为金额（元）")
        return Decimal(0)
    if not value.is_finite() or value < 0 or value > MAX_MONEY or value != value.quantize(Decimal("0.01")):
        errors.add(key, f"{label}：应为0到{MAX_MONEY}之间、最多两位小数的金额（元）")
        return Decimal(0)
    return value


def community_and_point(errors, data, *, scope, key="community_code"):
    """The community a record sits in (inside the caller's area) and its WGS-84 point (given, else the community's)."""
    community = errors.capture(key, community_for_write, scope, data.get(key))
    if community is None:
        return None, None

    def fallback():
        stand_in = location_for_community(community)
        return stand_in.lat, stand_in.lng, stand_in.source_crs

    return community, errors.capture("location", location_from_input, data, fallback)


def occupation_for(errors, code, *, key="occupation_code", required=False):
    if not code:
        if required:
            errors.add(key, "职业（工种）：不能为空")
        return None
    occupation = Occupation.objects.filter(code=str(code).strip()).first()
    if occupation is None:
        errors.add(key, f"职业（工种）：职业分类大典中没有代码“{code}”")
    return occupation


def raise_unless_eligible(checks, *, field: str, what: str) -> None:
    """Refuse (ValidationError on ``field``) naming each failing condition and what the record shows; nothing is
    written. The checks are subsidies' ``Check`` (label, holds, detail), the shape every eligibility explains in."""
    failed = failing(checks)
    if failed:
        raise ValidationError(
            {field: [f"不符合{what}条件：{c.label}" + (f"（{c.detail}）" if c.detail else "") for c in failed]}
        )


# --- providers ------------------------------------------------------------------------------------------


@transaction.atomic
def register_provider(data: dict, *, by, scope) -> TrainingProvider:
    """Register a training provider (定点培训机构 / 企业 / 技工院校).

    - name, address and kind are required; the 统一社会信用代码 is validated (GB 32100) and unique;
    - the community lies in the caller's area; the point is given or the community's;
    - approved trades are 大典 codes; 专项 names (≤ 20, each ≤ 40 characters) are kept as given.
    """
    errors = FieldErrors()
    name = clean_text(errors, data, "name", "机构名称", 100)
    address = clean_text(errors, data, "address", "地址", 200)
    kind = clean_choice(errors, data, "kind", "机构类型", ProviderKind)
    info = errors.capture("credit_code", parse_credit_code, data.get("credit_code") or "")
    if info and TrainingProvider.objects.filter(credit_code=info.code).exists():
        errors.add("credit_code", "统一社会信用代码：该机构已登记")
    community, point = community_and_point(errors, data, scope=scope)
    trades = [occupation_for(errors, code, key="trade_codes") for code in data.get("trade_codes") or []]
    specials = [str(s).strip() for s in data.get("special_trades") or [] if str(s).strip()]
    if len(specials) > 20 or any(len(s) > 40 or text_problem(s) for s in specials):
        errors.add("special_trades", "专项培训名称：最多20个，每个不超过40个字，不含控制字符")
    errors.raise_if_any()
    provider = TrainingProvider(
        name=name, credit_code=info.code, kind=kind, address=address, community=community,
        area_code=community.code, special_trades=specials,
    )  # fmt: skip
    provider.set_location(*point)
    provider.save()
    provider.trades.set([t for t in trades if t])
    log_action("training.provider.registered", by=by, obj=provider)
    return provider


# --- programmes -----------------------------------------------------------------------------------------

PROGRAMME_MOVES = {
    (P.RECRUITING, P.RUNNING): Move(who=area_staff),
    (P.RECRUITING, P.CANCELLED): Move(who=area_staff, min_reason=2, reason_error="原因：请说明取消的原因"),
    (P.RUNNING, P.FINISHED): Move(who=area_staff),
    (P.FINISHED, P.VERIFIED): Move(who=area_staff),
    (P.VERIFIED, P.CLAIMED): Move(who=area_staff),
}
PROGRAMME_WORKFLOW = Workflow(
    model=Programme,
    states=ProgrammeStatus,
    moves=PROGRAMME_MOVES,
    log=ProgrammeTransition,
    subject="programme",
    action="training.programme.{to}",
    label="培训项目状态",
    related=("provider",),
)
# Enrolment moves are decided by the programme's services (completion grades every trainee), never alone.
ENROLMENT_WORKFLOW = Workflow(
    model=Enrolment,
    states=EnrolmentStatus,
    moves={(E.ENROLLED, E.COMPLETED): Move(), (E.ENROLLED, E.FAILED): Move(), (E.ENROLLED, E.WITHDRAWN): Move()},
    log=EnrolmentTransition,
    subject="enrolment",
    action="training.enrolment.{to}",
    label="学员状态",
)


def clean_programme(data: dict, *, scope) -> dict:
    """Check a programme's fields (the screen, the API and the demo share these rules).

    - a trade: a 大典 occupation code, or a 专项 name (e.g. 徽菜师傅); kind and level from their lists;
    - places 1–500; ages 16–70 with min ≤ max; start ≤ end, at most a year apart;
    - venue and its community in the caller's area; the point given or the community's;
    - subsidy standard 0 (not subsidised) to 99,999,999.99 元; minimum attendance 1–100 %.
    """
    errors = FieldErrors()
    out = {
        "name": clean_text(errors, data, "name", "班级名称", 100),
        "special_name": clean_text(errors, data, "special_name", "专项名称", 40, required=False),
        "kind": clean_choice(errors, data, "kind", "培训类型", ProgrammeKind),
        "level": clean_choice(errors, data, "level", "培训等级", SkillLevel, SkillLevel.SPECIAL),
        "places": clean_int(errors, data, "places", "招生人数", 1, 500),
        "min_age": clean_int(errors, data, "min_age", "最小年龄", 16, 70, 16),
        "max_age": clean_int(errors, data, "max_age", "最大年龄", 16, 70, 60),
        "starts_on": clean_date(errors, data, "starts_on", "开班日期"),
        "ends_on": clean_date(errors, data, "ends_on", "结业日期"),
        "schedule": clean_text(errors, data, "schedule", "上课安排", 200, required=False),
        "venue": clean_text(errors, data, "venue", "培训地点", 200),
        "subsidy_per_head": money(errors, data, "subsidy_per_head", "补贴标准"),
        "min_attendance_percent": clean_int(errors, data, "min_attendance_percent", "结业最低出勤率", 1, 100, 80),
    }
    out["occupation"] = occupation_for(errors, data.get("occupation_code"))
    if out["occupation"] is None and not out["special_name"] and "occupation_code" not in errors.errors:
        errors.add("occupation_code", "职业（工种）：请选择大典职业或填写专项名称")
    if out["min_age"] > out["max_age"]:
        errors.add("max_age", "最大年龄：不能小于最小年龄")
    if out["starts_on"] and out["ends_on"]:
        if out["ends_on"] < out["starts_on"]:
            errors.add("ends_on", "结业日期：不能早于开班日期")
        elif (out["ends_on"] - out["starts_on"]).days > 366:
            errors.add("ends_on", "结业日期：一期培训不超过一年")
    out["community"], point = community_and_point(errors, data, scope=scope)
    groups = list(KeyGroup.objects.filter(code__in=data.get("target_groups") or []))
    if len(groups) != len(set(data.get("target_groups") or [])):
        errors.add("target_groups", "面向重点群体：含有不存在的重点群体代码")
    errors.raise_if_any()
    out["point"], out["target_groups"] = point, groups
    return out


@transaction.atomic
def create_programme(provider: TrainingProvider, data: dict, *, by, scope, sessions=()) -> Programme:
    """Open a programme for enrolment (招生), with its sessions' dates.

    - the provider is active and in the caller's area; the fields pass ``clean_programme``;
    - a 大典 trade must be one the provider is approved for (when it lists any);
    - sessions (dates within the programme's dates) are numbered in date order.
    """
    require_area_staff(provider, scope)
    clean = clean_programme(data, scope=scope)
    approved = set(provider.trades.values_list("pk", flat=True))
    if clean["occupation"] and approved and clean["occupation"].pk not in approved:
        raise ValidationError(
            {"occupation_code": [f"职业（工种）：{provider.name}未核准培训“{clean['occupation'].name}”"]}
        )
    point, groups = clean.pop("point"), clean.pop("target_groups")
    programme = Programme(provider=provider, area_code=clean["community"].code, **clean)
    programme.set_location(*point)
    programme.save()
    programme.target_groups.set(groups)
    schedule_sessions(programme, sessions)
    log_created(PROGRAMME_WORKFLOW, [programme], by=by, reason="开始招生")
    log_action("training.programme.created", by=by, obj=programme)
    return programme


def schedule_sessions(programme: Programme, dates) -> list[TrainingSession]:
    """Add sessions on ``dates`` after the existing ones; each date lies within the programme's dates."""
    dates = sorted(dates)
    if any(not programme.starts_on <= d <= programme.ends_on for d in dates):
        raise ValidationError({"sessions": ["课次日期：应在开班日期与结业日期之间"]})
    if len(dates) > 200:
        raise ValidationError({"sessions": ["课次：一期最多200次课"]})
    first = (programme.sessions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return TrainingSession.objects.bulk_create(
        [TrainingSession(programme=programme, number=first + i, held_on=d) for i, d in enumerate(dates)]
    )


def move_programme(programme: Programme, to_state, *, by, scope, reason="") -> Programme:
    """Move a programme along 招生 → 开班 → 结业 → 核验 → 补贴申领 (or 招生 → 取消), through the workflow door.

    - only area staff (casework) covering the venue's area;
    - 开班 needs at least one trainee and one session;
    - 结业 grades every trainee in training: attendance ≥ the programme's minimum → 结业, else 出勤不足未结业;
    - 补贴申领 is refused for now: the claim must write to the subsidies ledger, which has no entry point yet for an
      amount set per programme (trade and level) — see docs/decisions/training.md; no move pretends to claim.
    """

    def prepare(record, current, target):
        if target == P.RUNNING:
            if not record.enrolments.filter(status=E.ENROLLED).exists():
                raise ValidationError({"status": ["开班：还没有学员报名"]})
            if not record.sessions.exists():
                raise ValidationError({"status": ["开班：请先安排课次"]})
        if target == P.FINISHED:
            _grade(record, by=by)
        if target == P.CLAIMED:
            raise ValidationError({"status": ["补贴申领：培训补贴尚未接入补贴发放台账，请按现行办法线下申领"]})
        return []

    return transition(PROGRAMME_WORKFLOW, programme, to_state, by=by, scope=scope, reason=reason, prepare=prepare)


def attendance_percent(enrolments, sessions: int) -> dict[int, int]:
    """Each enrolment's attendance in whole percent of the programme's sessions (0 with no session)."""
    present = dict(
        Attendance.objects.filter(enrolment__in=enrolments, present=True)
        .values_list("enrolment_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {e.pk: (100 * present.get(e.pk, 0) // sessions if sessions else 0) for e in enrolments}


def _grade(programme: Programme, *, by):
    """结业: every trainee still in training is 结业 with enough attendance, else 出勤不足未结业 (one log row each)."""
    trainees = list(programme.enrolments.filter(status=E.ENROLLED))
    percents = attendance_percent(trainees, programme.sessions.count())
    finished_on = min(today(), programme.ends_on) if programme.ends_on >= programme.starts_on else today()
    for enrolment in trainees:
        percent = percents[enrolment.pk]
        target = E.COMPLETED if percent >= programme.min_attendance_percent else E.FAILED

        def stamp(record, current, to, percent=percent):
            record.attendance_percent, record.completed_on = percent, finished_on
            return ["attendance_percent", "completed_on"]

        transition(ENROLMENT_WORKFLOW, enrolment, target, by=by, reason=f"出勤率{percent}%", prepare=stamp)


# --- enrolment ------------------------------------------------------------------------------------------


def _overlapping(programme: Programme, resident: Resident):
    return Enrolment.objects.filter(
        resident=resident, status=E.ENROLLED, programme__starts_on__lte=programme.ends_on,
        programme__ends_on__gte=programme.starts_on,
    ).exclude(programme=programme)  # fmt: skip


def eligibility(programme: Programme, resident: Resident, *, on=None) -> list[Check]:
    """Whether a person may enrol in a programme, each rule with what the record shows.

    - the programme is 招生 and has a place left;
    - the person's age on the start date lies within the programme's ages;
    - the person is in one of the programme's target groups (when it names any);
    - the person is not already in this programme, nor in training in another programme whose dates overlap;
    - subsidised training: not already enrolled (or finished) in subsidised training of the same level that year.
    """
    on = on or today()
    taken = programme.enrolments.filter(status__in=ACTIVE_ENROLMENT).count()
    age = age_on(resident.birth_date, max(on, programme.starts_on))
    wanted = list(programme.target_groups.all())
    has = {g.pk for g in resident.key_groups.all()}
    overlap = _overlapping(programme, resident).select_related("programme").first()
    already = programme.enrolments.filter(resident=resident, status__in=ACTIVE_ENROLMENT).exists()
    checks = [
        Check("培训项目正在招生", programme.status == P.RECRUITING, ProgrammeStatus(programme.status).label),
        Check("尚有名额", taken < programme.places, f"已报{taken}人/招{programme.places}人"),
        Check(f"年龄{programme.min_age}–{programme.max_age}岁", programme.min_age <= age <= programme.max_age,
              f"开班时{age}岁"),
        Check("未报名本期培训", not already, "已报名" if already else ""),
        Check("未参加时间重叠的其他培训", overlap is None, f"在训：{overlap.programme}" if overlap else ""),
    ]  # fmt: skip
    if wanted:
        names = "、".join(g.name for g in wanted)
        mine = "、".join(g.name for g in resident.key_groups.all()) or "无"
        checks.append(Check(f"属于{names}", any(g.pk in has for g in wanted), f"本人：{mine}"))
    if programme.subsidised:
        level = SkillLevel(programme.level).label
        used = Enrolment.objects.filter(
            resident=resident, subsidised=True, subsidy_level=programme.level,
            subsidy_year=programme.starts_on.year, status__in=ACTIVE_ENROLMENT,
        ).exclude(programme=programme).select_related("programme").first()  # fmt: skip
        checks.append(Check(f"{programme.starts_on.year}年未参加过{level}补贴性培训", used is None,
                            f"已参加：{used.programme}" if used else ""))  # fmt: skip
    return checks


@transaction.atomic
def enrol(programme: Programme, resident: Resident, *, by, scope=None, source=EnrolmentSource.STAFF) -> Enrolment:
    """Enrol a person (本人 on the H5, staff for a person, or a roster import).

    - staff act only for a person in their area; the person themself only for themself (the caller checks);
    - every eligibility rule must hold (``eligibility``), refused naming each failing one;
    - the database holds once per programme and once a year per level for subsidised training, so two concurrent
      enrolments cannot both pass;
    - the person's open assistance case gets its "1 training" (1131) recorded, once per enrolment.
    """
    if source != EnrolmentSource.SELF and (scope is None or not scope.covers(resident.area_code)):
        raise PermissionDenied("无权为该居民报名")
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    raise_unless_eligible(eligibility(programme, resident), field="resident", what="报名")
    enrolment = Enrolment(
        programme=programme, resident=resident, area_code=resident.area_code, source=source, enrolled_on=today(),
        subsidised=programme.subsidised, subsidy_level=programme.level if programme.subsidised else "",
        subsidy_year=programme.starts_on.year if programme.subsidised else None,
    )  # fmt: skip
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise ValidationError(
            {"resident": ["不符合报名条件：已报名本期培训，或本年度已参加同等级补贴性培训"]}
        ) from None
    log_created(ENROLMENT_WORKFLOW, [enrolment], by=by, reason=EnrolmentSource(source).label)
    log_action("training.enrolment.created", by=by, obj=enrolment, data={"programme": programme.pk, "source": source})
    record_training_service(enrolment, by=by)
    return enrolment


def record_training_service(enrolment: Enrolment, *, by=None):
    """The "1 training" of the 1131 service for an enrolment (see ``record_training_service_for``)."""
    return record_training_service_for(
        enrolment.resident, by=by, on=enrolment.enrolled_on, note=f"报名参加培训：{enrolment.programme}",
        reference=f"training-enrolment-{enrolment.pk}",
    )  # fmt: skip


def record_training_service_for(resident: Resident, *, by, on, note: str, reference: str):
    """The "1 training or internship" of the 1131 service, under the person's open assistance case (if any).

    - a person with no open case: nothing recorded (returns None);
    - idempotent on ``reference`` (the enrolment or placement), so a retry never counts twice.
    """
    case = AssistanceCase.objects.open().filter(resident_id=resident.pk).first()
    if case is None:
        return None
    return record_case_service(
        case, by=by, kind=ServiceKind.TRAINING, provided_on=max(min(on, today()), case.opened_on), note=note[:300],
        reference=reference,
    )  # fmt: skip


def withdraw(enrolment: Enrolment, *, by, scope=None, reason="") -> Enrolment:
    """A trainee leaves before completion (本人 or area staff): 在训 → 退出; the place and the year's level free up."""
    return transition(ENROLMENT_WORKFLOW, enrolment, E.WITHDRAWN, by=by, scope=scope, reason=reason or "退出培训")


@transaction.atomic
def record_attendance(session: TrainingSession, present_ids, *, by, scope) -> int:
    """Tick a session's attendance: the enrolments named are present, every other trainee absent.

    - only area staff, while the programme is 开班 (or 招生 for a session already held);
    - ids that are not trainees in training in this programme are refused by count;
    - re-ticking replaces the earlier answer (one row per trainee and session).
    """
    programme = session.programme
    require_area_staff(programme, scope)
    if programme.status not in (P.RUNNING, P.RECRUITING):
        raise ValidationError({"session": [f"考勤：培训项目已{ProgrammeStatus(programme.status).label}，不能再记考勤"]})
    trainees = {e.pk for e in programme.enrolments.filter(status=E.ENROLLED)}
    present = {int(i) for i in present_ids}
    if present - trainees:
        raise ValidationError({"present": [f"考勤：{len(present - trainees)}名学员不在本期在训名单中"]})
    existing = {a.enrolment_id: a for a in session.attendance.all()}
    changed, new = [], []
    for enrolment_id in trainees:
        row = existing.get(enrolment_id)
        if row is None:
            new.append(Attendance(session=session, enrolment_id=enrolment_id, present=enrolment_id in present,
                                  recorded_by=_actor(by)))  # fmt: skip
        elif row.present != (enrolment_id in present):
            row.present, row.recorded_by = enrolment_id in present, _actor(by)
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["present", "recorded_by"])
    log_action("training.attendance.recorded", by=by, obj=programme,
               data={"session": session.number, "present": len(present), "trainees": len(trainees)})  # fmt: skip
    return len(present)


@transaction.atomic
def record_certificate(enrolment: Enrolment, data: dict, *, by, scope) -> Enrolment:
    """Record the exam result and certificate of a trainee who finished (结业).

    - only area staff; only a 结业 trainee;
    - passed: certificate kind and number (≤ 40 characters) and date (not in the future, not before completion);
    - failed: no certificate.
    """
    require_area_staff(enrolment.programme, scope)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    errors = FieldErrors()
    if enrolment.status != E.COMPLETED:
        errors.add("enrolment", "考核结果：只有已结业的学员才能登记")
    passed = bool(data.get("exam_passed"))
    fields = {"exam_passed": passed, "certificate_kind": "", "certificate_number": "", "certificate_level": "",
              "certificate_date": None}  # fmt: skip
    if passed:
        fields["certificate_kind"] = clean_choice(errors, data, "certificate_kind", "证书类型", CertificateKind)
        fields["certificate_number"] = clean_text(errors, data, "certificate_number", "证书编号", 40)
        fields["certificate_level"] = clean_choice(errors, data, "certificate_level", "证书等级", SkillLevel,
                                              enrolment.programme.level)  # fmt: skip
        day = clean_date(errors, data, "certificate_date", "发证日期")
        if day and (day > today() or (enrolment.completed_on and day < enrolment.completed_on)):
            errors.add("certificate_date", "发证日期：不能晚于今天，也不能早于结业日期")
        fields["certificate_date"] = day
    errors.raise_if_any()
    for key, value in fields.items():
        setattr(enrolment, key, value)
    enrolment.save(update_fields=[*fields, "updated_at"])
    log_action("training.enrolment.certificate", by=by, obj=enrolment, changed_fields=list(fields))
    return enrolment


# --- outcomes -------------------------------------------------------------------------------------------


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it is shorter: 31 Jan + 1 → 28/29 Feb)."""
    month = add_months(day.replace(day=1), months)
    return month.replace(day=min(day.day, days_in_month(month)))


def employed_after(enrolments, months: int = 6) -> set[int]:
    """Ids of the finished enrolments whose person was employed within ``months`` after completion.

    Employed means: an employment status change to 已就业 or 灵活就业 dated from the completion day to the same day
    ``months`` later, or a hire (入职登记) starting in that window. One query each for status history and hires.
    """
    rows = {e.pk: (e.resident_id, e.completed_on) for e in enrolments if e.completed_on}
    if not rows:
        return set()
    people = {resident for resident, _ in rows.values()}
    first = min(day for _, day in rows.values())
    events: dict[int, list[datetime.date]] = {}
    for resident_id, day in EmploymentStatusChange.objects.filter(
        resident_id__in=people, status__in=WORKING, changed_on__gte=first
    ).values_list("resident_id", "changed_on"):
        events.setdefault(resident_id, []).append(day)
    for resident_id, day in Placement.objects.filter(resident_id__in=people, started_on__gte=first).values_list(
        "resident_id", "started_on"
    ):
        events.setdefault(resident_id, []).append(day)
    return {
        pk
        for pk, (resident_id, done) in rows.items()
        if any(done <= day <= months_later(done, months) for day in events.get(resident_id, ()))
    }


def programme_outcomes(programme: Programme) -> dict:
    """One programme's result: trainees, 结业, exam passed, employed within 3 and 6 months after completion."""
    enrolments = list(programme.enrolments.exclude(status=E.WITHDRAWN))
    completed = [e for e in enrolments if e.status == E.COMPLETED]
    return {
        "trainees": len(enrolments),
        "completed": len(completed),
        "passed": sum(1 for e in completed if e.exam_passed),
        "employed_3m": len(employed_after(completed, 3)),
        "employed_6m": len(employed_after(completed, 6)),
    }


def reach_m(resident: Resident) -> float:
    """The person's reach in metres: their intention's maximum distance, else the circle (matching's rule)."""
    return clean_radius_km(nearby_radius_km(resident)) * 1000


def nearby_programmes(resident: Resident, radius_m: float | None = None, *, only_intention=False):
    """Programmes open for enrolment within the person's reach (default ``reach_m``), each with its reasons.

    - nearest first, but those whose trade matches the person's job intention (the 大典 code, or one above or
      below it) come first, with the reason named (like job recommendations);
    - ``only_intention``: only those that match (the H5 filter 只看与求职意向相符).
    """
    radius_m = reach_m(resident) if radius_m is None else radius_m
    rows = list(
        Programme.objects.open_for_enrolment()
        .within(resident.lat, resident.lng, radius_m)
        .select_related("provider", "occupation")
        .order_by("distance_m", "id")[:100]
    )
    intention = getattr(resident, "intention", None)
    wanted = list(intention.occupations.all()) if intention else []
    for programme in rows:
        code = programme.occupation.code if programme.occupation_id else ""
        match = next((o for o in wanted if code and (code.startswith(o.code) or o.code.startswith(code))), None)
        programme.matches_intention = match is not None
        programme.reasons = [distance_text(programme.distance_m)]
        if match is not None:
            programme.reasons.insert(0, f"与求职意向“{match.name}”相符")
        if programme.subsidised:
            programme.reasons.append(f"补贴性培训（{programme.subsidy_per_head}元/人）")
    if only_intention:
        rows = [p for p in rows if p.matches_intention]
    rows.sort(key=lambda p: (not p.matches_intention, p.distance_m))
    return rows
