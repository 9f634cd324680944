"""Casework writes: monthly monitoring, assistance cases, public-welfare posts, assistance workshops.

Every write validates all its input first (one ValidationError naming each bad field, nothing
written), runs in one transaction and leaves an audit event. The ``clean_*`` functions are the
one place each ledger's rules live; forms and the Excel imports call them too. The figures the
bureau reports are in ``stats.py``.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from jobcircle.accounts.enums import Role
from jobcircle.accounts.models import User
from jobcircle.accounts.services import text_users
from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region
from jobcircle.areas.services import community_for_write
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import parse_credit_code
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import KeyGroup, Resident, age_on
from jobcircle.people.services import record_employment_status

from .enums import (
    CaseState,
    NotEmployedReason,
    PlacementExitReason,
    PostAreaType,
    ServiceKind,
    ServiceSource,
    TaskState,
    WorkLocation,
    WorkshopStatus,
)
from .models import (
    AssistanceCase,
    CaseService,
    CaseTransition,
    MonitoringPolicy,
    MonitoringRecord,
    MonitoringTask,
    WelfarePlacement,
    WelfarePost,
    WelfareSubsidyPayment,
    Workshop,
    WorkshopCheck,
)
from .periods import add_months, days_in_month, month_end, month_start, parse_date, parse_month

CENT = Decimal("0.01")
MAX_MONEY = Decimal("100000000")
WORKING = (EmploymentStatus.EMPLOYED, EmploymentStatus.FLEXIBLE)
DEFAULT_MONITORED_GROUPS = ("poverty_alleviated", "monitored")
# 公益性岗位 serve people who find it hardest to work: 就业困难人员 (incl. persons with disability)
# on urban posts, 脱贫人口 and 监测对象 on rural posts. Either kind of post takes any of them.
WELFARE_ELIGIBLE_GROUPS = ("employment_difficulty", "poverty_alleviated", "monitored", "disabled")
WELFARE_AGE_RANGE = (16, 60)
YES = {"是", "有", "y", "yes", "true", "1", "√"}
NO = {"否", "无", "n", "no", "false", "0", "×"}


def _actor(by):
    return by if getattr(by, "pk", None) else None


def today():
    return timezone.localdate()


# --- small field rules shared by forms and imports ------------------------------------


def clean_money(value, label) -> Decimal:
    """Money in yuan: a number ≥ 0 with at most two decimals (stored as Decimal, never float)."""
    if value in (None, ""):
        return Decimal("0.00")
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise ValidationError(f"{label}：应为金额数字（元）", code="money") from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"{label}：不能为负数", code="money")
    if amount != amount.quantize(CENT) or amount >= MAX_MONEY:
        raise ValidationError(f"{label}：最多两位小数且小于1亿元", code="money")
    return amount.quantize(CENT)


def clean_count(value, label, *, maximum=None, required=True) -> int | None:
    """A whole number ≥ 0 (people, months)."""
    if value in (None, ""):
        if required:
            raise ValidationError(f"{label}：不能为空", code="required")
        return None
    try:
        number = Decimal(str(value).strip())
        if number != number.to_integral_value():
            raise InvalidOperation
        number = int(number)
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label}：应为整数", code="integer") from None
    if number < 0:
        raise ValidationError(f"{label}：不能为负数", code="integer")
    if maximum is not None and number > maximum:
        raise ValidationError(f"{label}：不能大于{maximum}", code="integer")
    return number


def parse_yes_no(value, label) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError(f"{label}：请填“是”或“否”（收到“{value}”）", code="yes_no")


def _choice(errors, field, label, value, choices, *, required=False):
    """A choice given as its code or its Chinese label; returns the code ("" when blank)."""
    if value in (None, ""):
        if required:
            errors.add(field, f"{label}：不能为空")
        return ""
    text = str(value).strip()
    for code, name in choices.choices:
        if text in (str(code), str(name)):
            return code
    errors.add(field, f"{label}取值无效：{text}（可选：{'、'.join(str(n) for n in choices.labels)}）")
    return ""


def community_staff_for(area_codes) -> dict[str, int]:
    """The first active community staff member of each community (the default assignee)."""
    staff = {}
    rows = (
        User.objects.filter(role=Role.COMMUNITY_STAFF, is_active=True, area__code__in=set(area_codes))
        .order_by("id")
        .values_list("area__code", "id")
    )
    for code, user_id in rows:
        staff.setdefault(code, user_id)
    return staff


# --- monthly monitoring -----------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    county_code: str
    key_group_codes: tuple[str, ...]
    min_age: int
    max_age: int
    due_day: int

    def due_on(self, month):
        return month.replace(day=min(self.due_day, month_end(month).day))

    def birth_range(self, month):
        """Birth dates of people of working age (min_age ≤ age ≤ max_age) on the 1st of the month."""
        latest = _years_before(month, self.min_age)
        earliest = _years_before(month, self.max_age + 1) + datetime.timedelta(days=1)
        return earliest, latest


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def policy_for(county_code: str) -> Policy:
    """The county's monitoring policy, or the default (脱贫人口 and 监测对象 aged 16–60, due on the 25th)."""
    county_code = county_code[:6].ljust(12, "0")
    row = MonitoringPolicy.objects.filter(area_code=county_code).prefetch_related("key_groups").first()
    if row is None:
        return Policy(county_code, DEFAULT_MONITORED_GROUPS, 16, 60, 25)
    codes = tuple(sorted(g.code for g in row.key_groups.all()))
    return Policy(county_code, codes, row.min_age, row.max_age, row.due_day)


@transaction.atomic
def save_monitoring_policy(county: Region, *, by, key_group_codes, min_age, max_age, due_day) -> MonitoringPolicy:
    """Set which key groups a county monitors monthly ("other key groups the county switches on").

    - only for a county (区县) and by its county administrator;
    - at least one key group; ages 16 ≤ min ≤ max ≤ 70; due day 1–31 (clamped to the month's end).
    """
    errors = FieldErrors()
    if county.level != RegionLevel.COUNTY:
        errors.add("county", "只能为区县设置监测范围")
    groups = list(KeyGroup.objects.filter(code__in=key_group_codes or [], is_active=True))
    if not groups:
        errors.add("key_groups", "监测的重点群体：至少选择一项")
    low = errors.capture("min_age", clean_count, min_age, "劳动年龄下限", maximum=70)
    high = errors.capture("max_age", clean_count, max_age, "劳动年龄上限", maximum=70)
    if low is not None and high is not None and not 16 <= low <= high:
        errors.add("max_age", "劳动年龄：下限不小于16岁且不大于上限")
    day = errors.capture("due_day", clean_count, due_day, "每月完成期限", maximum=31)
    if day == 0:
        errors.add("due_day", "每月完成期限：应在1到31日之间")
    errors.raise_if_any()
    policy, _ = MonitoringPolicy.objects.update_or_create(
        area_code=county.code, defaults={"min_age": low, "max_age": high, "due_day": day, "updated_by": _actor(by)}
    )
    policy.key_groups.set(groups)
    log_action(
        "assistance.monitoring_policy.saved",
        by=by,
        obj=policy,
        changed_fields=["key_groups", "min_age", "max_age", "due_day"],
        data={"key_groups": sorted(g.code for g in groups)},
    )
    return policy


def monitored_residents(policy: Policy, month, area_prefix: str = ""):
    """Residents the policy monitors in that month: in one of its key groups and of working age."""
    earliest, latest = policy.birth_range(month)
    prefix = area_prefix if area_prefix.startswith(policy.county_code[:6]) else policy.county_code[:6]
    ids = (
        Resident.objects.filter(
            area_code__startswith=prefix,
            key_groups__code__in=policy.key_group_codes,
            birth_date__gte=earliest,
            birth_date__lte=latest,
        )
        .order_by()
        .values("id")
        .distinct()
    )
    return Resident.objects.filter(id__in=ids)


@transaction.atomic
def generate_monitoring_tasks(month, *, by=None, area_prefix: str = "") -> dict:
    """Create the month's monitoring tasks (每月一监测一更新).

    - one task per monitored resident and month — running it again creates nothing new;
    - whom: each county's policy (default 脱贫人口 and 监测对象 of working age);
    - assigned to the first active staff member of the person's community;
    - due on the policy's day of that month.
    Returns {"created": n, "existing": n}.
    """
    month = parse_month(month)
    # Counties that have residents in the area (not every county in the national table).
    counties = (
        Resident.objects.filter(area_code__startswith=area_prefix)
        .order_by()
        .annotate(county=Substr("area_code", 1, 6))
        .values_list("county", flat=True)
        .distinct()
    )
    created = existing = 0
    for county_code in sorted(counties):
        policy = policy_for(county_code)
        residents = list(monitored_residents(policy, month, area_prefix).values_list("id", "area_code"))
        if not residents:
            continue
        staff = community_staff_for({code for _, code in residents})
        already = set(
            MonitoringTask.objects.filter(month=month, resident_id__in=[r for r, _ in residents]).values_list(
                "resident_id", flat=True
            )
        )
        new = [
            MonitoringTask(
                resident_id=resident_id,
                month=month,
                area_code=code,
                due_on=policy.due_on(month),
                assigned_to_id=staff.get(code),
            )
            for resident_id, code in residents
            if resident_id not in already
        ]
        MonitoringTask.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        created += len(new)
        existing += len(already)
    log_action(
        "assistance.monitoring.tasks_generated",
        by=by,
        area_code=area_prefix,
        data={"month": month.isoformat(), "created": created, "existing": existing},
    )
    return {"created": created, "existing": existing}


@transaction.atomic
def remind_overdue_monitoring(*, by=None, on=None, area_prefix: str = "") -> dict:
    """Remind staff of overdue monitoring tasks.

    - overdue: still pending after the due date;
    - each task is reminded at most once a day (reminded_at, reminder_count);
    - each responsible staff member with a phone on file gets one SMS with their count (no names: no PII
      in texts); the back office also shows each staff member their overdue count;
    - returns {staff id: count}.
    """
    on = on or today()
    now = timezone.now()
    tasks = MonitoringTask.objects.overdue(on).filter(area_code__startswith=area_prefix)
    due = tasks.filter(Q(reminded_at__isnull=True) | Q(reminded_at__date__lt=on))
    per_staff = dict(
        due.exclude(assigned_to__isnull=True).values_list("assigned_to").annotate(n=Count("id")).order_by()
    )
    count = 0
    for task in due.only("id", "reminder_count"):
        task.reminded_at, task.reminder_count = now, task.reminder_count + 1
        task.save(update_fields=["reminded_at", "reminder_count"])
        count += 1
    texted = _text_staff(per_staff)
    log_action(
        "assistance.monitoring.overdue_reminded",
        by=by,
        area_code=area_prefix,
        data={"tasks": count, "staff": len(per_staff), "texted": texted},
    )
    return per_staff


def _text_staff(per_staff: dict[int, int]) -> int:
    """One SMS per staff member with a phone on file; a gateway failure is logged, never fatal."""
    users = User.objects.filter(pk__in=per_staff, is_active=True)
    return text_users(
        users, lambda user: f"【三公里就业圈】您有{per_staff[user.pk]}条月度监测任务已逾期，请登录工作台尽快完成。"
    )


def clean_monitoring_input(data: dict, *, month) -> dict:
    """Rules of one monthly monitoring record.

    - employment status: required, one of 已就业/灵活就业/未就业/在校学生/无劳动意愿.
    - working (已就业, 灵活就业): where is required (本县/省内县外/省外); no reason for not working.
    - not working: no place of work; for 未就业 the reason and whether they want work are required.
    - months worked this year: 0 up to the month's number (no more months than have passed).
    - monthly income: yuan ≥ 0, two decimals at most; only a working person has income.
    """
    errors = FieldErrors()
    status = _choice(
        errors, "employment_status", "就业状态", data.get("employment_status"), EmploymentStatus, required=True
    )
    working = status in WORKING
    location = _choice(errors, "work_location", "务工地点", data.get("work_location"), WorkLocation)
    reason = _choice(errors, "not_employed_reason", "未就业原因", data.get("not_employed_reason"), NotEmployedReason)
    wants_work = errors.capture("wants_work", parse_yes_no, data.get("wants_work"), "有无就业意愿")
    months = errors.capture(
        "months_worked", clean_count, data.get("months_worked"), "本年务工月数", maximum=month.month, required=False
    )
    income = errors.capture("monthly_income", clean_money, data.get("monthly_income"), "月收入")
    employer = str(data.get("employer_name") or "").strip()
    if len(employer) > 100:
        errors.add("employer_name", "就业单位：不能超过100个字")
    if working:
        if not location:
            errors.add("work_location", "务工地点：已就业或灵活就业时必填（本县/省内县外/省外）")
        if reason:
            errors.add("not_employed_reason", "未就业原因：已就业时不填")
    elif status:
        if location:
            errors.add("work_location", "务工地点：未就业时不填")
        if income:
            errors.add("monthly_income", "月收入：未就业时应为0或不填")
        if status == EmploymentStatus.UNEMPLOYED:
            if not reason:
                errors.add("not_employed_reason", "未就业原因：未就业时必填")
            if wants_work is None:
                errors.add("wants_work", "有无就业意愿：未就业时必填（是/否）")
    note = str(data.get("note") or "").strip()
    if len(note) > 200:
        errors.add("note", "备注：不能超过200个字")
    errors.raise_if_any()
    return {
        "employment_status": status,
        "work_location": location if working else "",
        "employer_name": employer if working else "",
        "months_worked": months or 0,
        "monthly_income": income if working else Decimal("0.00"),
        "not_employed_reason": "" if working else reason,
        "wants_work": bool(wants_work) and status == EmploymentStatus.UNEMPLOYED,
        "note": note,
    }


RECORD_FIELDS = (
    "employment_status", "work_location", "employer_name", "months_worked", "monthly_income",
    "not_employed_reason", "wants_work", "note",
)  # fmt: skip


def monitoring_prefill(resident: Resident, month) -> tuple[dict, list[str]]:
    """What the system already knows for a month's monitoring, to prefill its form.

    - the resident's current employment status;
    - a hire through the platform (Placement) that started this month: 已就业 and its employer;
      failing that, while the status is 已就业, the employer of their latest platform hire;
    - not employed: their wish to work from 正在求职.
    Returns the form's initial values and the sentences that say where they came from.
    """
    from jobcircle.people.models import Placement

    status = resident.employment_status
    initial, known = {"employment_status": status}, [f"当前就业状态：{resident.get_employment_status_display()}"]
    placements = Placement.objects.filter(resident=resident, started_on__lte=month_end(month)).select_related(
        "employer"
    )
    latest = placements.order_by("-started_on", "-id").first()
    if latest is not None and latest.started_on >= month_start(month):
        initial.update(employment_status=EmploymentStatus.EMPLOYED, employer_name=latest.employer.name)
        known.append(f"本月经平台录用：{latest.employer.name}（{latest.started_on:%Y-%m-%d} 入职）")
    elif latest is not None and status == EmploymentStatus.EMPLOYED:
        initial["employer_name"] = latest.employer.name
        known.append(f"最近一次平台录用：{latest.employer.name}（{latest.started_on:%Y-%m-%d} 入职）")
    if initial["employment_status"] == EmploymentStatus.UNEMPLOYED:
        initial["wants_work"] = "是" if resident.is_job_seeking else "否"
    return initial, known


def record_differs(record: MonitoringRecord | None, cleaned: dict) -> bool:
    return record is None or any(getattr(record, f) != cleaned[f] for f in RECORD_FIELDS)


@transaction.atomic
def record_monitoring(resident: Resident, *, month, by, data: dict, source=ServiceSource.STAFF) -> MonitoringRecord:
    """Save a person's monitoring for a month (每月一监测一更新).

    - the rules of ``clean_monitoring_input``; nothing is written on an error;
    - one record per person and month: recording the month again updates it;
    - the month's task, if there is one, is marked done;
    - when this is the person's latest month, their employment status follows it (dated history);
    - the assistance case follows it too: opened when not employed but wanting work, closed when employed.
    """
    month = parse_month(month)
    if month > month_start(today()):
        raise ValidationError({"month": ["监测月份：不能晚于本月"]})
    cleaned = clean_monitoring_input(data, month=month)
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    task = MonitoringTask.objects.filter(resident=resident, month=month).first()
    record = MonitoringRecord.objects.filter(resident=resident, month=month).first()
    created = record is None
    if created:
        record = MonitoringRecord(resident=resident, month=month, area_code=resident.area_code)
    for field in RECORD_FIELDS:
        setattr(record, field, cleaned[field])
    record.task, record.source, record.recorded_by = task, source, _actor(by)
    record.area_code = resident.area_code
    record.save()
    if task is not None and task.state != TaskState.DONE:
        task.state, task.completed_at = TaskState.DONE, timezone.now()
        task.save(update_fields=["state", "completed_at"])
    latest = MonitoringRecord.objects.filter(resident=resident).order_by("-month").values_list("month", flat=True)[0]
    if month == latest and resident.employment_status != record.employment_status:
        record_employment_status(
            resident, record.employment_status, by=by, on=min(month_end(month), today()), note="月度监测"
        )
    if month == latest:
        sync_assistance_case(resident, by=by, on=min(month_end(month), today()), record=record)
    log_action(
        "assistance.monitoring.recorded" if created else "assistance.monitoring.updated",
        by=by,
        obj=record,
        changed_fields=RECORD_FIELDS,
        data={"month": month.isoformat(), "source": source},
    )
    return record


# --- assistance cases (一对一帮扶) -----------------------------------------------------

# (from, to) → what the move is called. Anything else is refused.
CASE_TRANSITIONS = {
    (CaseState.OPEN, CaseState.CLOSED): "结案（已就业）",
    (CaseState.OPEN, CaseState.WITHDRAWN): "退出帮扶",
    (CaseState.CLOSED, CaseState.OPEN): "重新纳入帮扶",
    (CaseState.WITHDRAWN, CaseState.OPEN): "重新纳入帮扶",
}


def allowed_transitions(case: AssistanceCase) -> list[tuple[str, str]]:
    return [(to, label) for (frm, to), label in CASE_TRANSITIONS.items() if frm == case.state]


@transaction.atomic
def open_case(resident: Resident, *, by, reason: str, on=None) -> AssistanceCase:
    """Open an assistance case for a person (or return the one already open).

    - at most one open case per person (a database constraint backs this);
    - assigned to the first active staff member of the person's community;
    - the opening is the first row of the case's transition log.
    """
    existing = AssistanceCase.objects.open().filter(resident=resident).first()
    if existing is not None:
        return existing
    on = on or today()
    assignee = community_staff_for([resident.area_code]).get(resident.area_code)
    try:
        with transaction.atomic():
            case = AssistanceCase.objects.create(
                resident=resident,
                area_code=resident.area_code,
                assigned_to_id=assignee,
                opened_on=on,
                opened_reason=reason[:200],
            )
    except IntegrityError:  # opened concurrently
        return AssistanceCase.objects.open().get(resident=resident)
    CaseTransition.objects.create(case=case, from_state="", to_state=CaseState.OPEN, by=_actor(by), note=reason[:200])
    log_action("assistance.case.opened", by=by, obj=case, data={"reason": reason[:200]})
    return case


@transaction.atomic
def transition(case: AssistanceCase, to_state, *, by, note: str = "", on=None) -> AssistanceCase:
    """Move a case to another state.

    - only the moves in CASE_TRANSITIONS; anything else is refused with the reason;
    - closing or withdrawing stamps the date; reopening clears it (refused if another case is open);
    - writes a transition-log row (who, from, to, why) and an audit event.
    """
    case = AssistanceCase.objects.select_for_update().get(pk=case.pk)
    if (case.state, to_state) not in CASE_TRANSITIONS:
        raise ValidationError(
            {"state": [f"状态变更无效：{case.get_state_display()}不能变为{CaseState(to_state).label}"]}
        )
    if to_state == CaseState.OPEN and AssistanceCase.objects.open().filter(resident_id=case.resident_id).exists():
        raise ValidationError({"state": ["该居民已有进行中的帮扶，不能重复纳入"]})
    from_state = case.state
    case.state = to_state
    case.closed_on = None if to_state == CaseState.OPEN else (on or today())
    case.save(update_fields=["state", "closed_on", "updated_at"])
    CaseTransition.objects.create(case=case, from_state=from_state, to_state=to_state, by=_actor(by), note=note[:200])
    log_action(
        "assistance.case.transitioned",
        by=by,
        obj=case,
        changed_fields=["state"],
        data={"from": from_state, "to": to_state, "note": note[:200]},
    )
    return case


def sync_assistance_case(resident: Resident, *, by, on, record: MonitoringRecord | None = None):
    """Keep a person's case in line with what is known about them.

    - not employed (未就业) and wanting work → a case is opened automatically;
    - employed or in flexible work → an open case is closed ("已就业");
    - anything else leaves the case as it is (staff may withdraw it).
    Returns the open or just-closed case, or None.
    """
    status = record.employment_status if record is not None else resident.employment_status
    wants_work = record.wants_work if record is not None else resident.is_job_seeking
    case = AssistanceCase.objects.open().filter(resident=resident).first()
    if status == EmploymentStatus.UNEMPLOYED and wants_work:
        return case or open_case(resident, by=by, reason="月度监测：未就业且有就业意愿", on=on)
    if status in WORKING and case is not None:
        return transition(case, CaseState.CLOSED, by=by, note="已实现就业，自动结案", on=on)
    return case


def close_cases_of_employed(*, by=None, area_prefix: str = "", on=None) -> int:
    """Close open cases of people whose status now says employed (e.g. hired through recruiting)."""
    cases = AssistanceCase.objects.open().filter(
        area_code__startswith=area_prefix, resident__employment_status__in=WORKING
    )
    closed = 0
    for case in cases.select_related("resident"):
        transition(case, CaseState.CLOSED, by=by, note="就业状态为已就业，自动结案", on=on)
        closed += 1
    return closed


@transaction.atomic
def record_case_service(
    case: AssistanceCase,
    *,
    by,
    kind,
    provided_on=None,
    note: str = "",
    job=None,
    source=ServiceSource.STAFF,
    reference: str = "",
) -> CaseService:
    """Log a service given under a case (career guidance, job information, training referral, post offered).

    - the case must be open;
    - the date is not in the future and not before the case was opened;
    - with a reference (e.g. a push id), the same service is recorded once only.
    """
    errors = FieldErrors()
    case = AssistanceCase.objects.select_for_update().get(pk=case.pk)
    provided_on = provided_on or today()
    if kind not in ServiceKind.values:
        errors.add("kind", f"服务类型取值无效：{kind}")
    if case.state != CaseState.OPEN:
        errors.add("case", "该帮扶已结案或退出，不能再记录服务")
    if provided_on > today():
        errors.add("provided_on", "服务日期：不能晚于今天")
    elif provided_on < case.opened_on:
        errors.add("provided_on", "服务日期：不能早于立案日期")
    note = (note or "").strip()
    if len(note) > 300:
        errors.add("note", "服务内容：不能超过300个字")
    errors.raise_if_any()
    if reference:
        existing = CaseService.objects.filter(case=case, source=source, reference=reference).first()
        if existing is not None:
            return existing
    service = CaseService.objects.create(
        case=case,
        kind=kind,
        provided_on=provided_on,
        note=note,
        job=job,
        source=source,
        reference=reference[:64],
        recorded_by=_actor(by),
    )
    log_action("assistance.case.service_recorded", by=by, obj=case, data={"kind": kind, "source": source})
    return service


def record_job_push(resident_id: int, *, job_id=None, pushed_on=None, reference: str, by=None):
    """HOOK for the matching engine (精准送岗): call once per job pushed to a person.

    - counts toward the "3 job infos" of the 1131 service when the person has an open case;
    - a person without an open case is not logged here (returns None);
    - idempotent on ``reference`` (use the push record's id), so re-runs never double count.
    """
    case = AssistanceCase.objects.open().filter(resident_id=resident_id).first()
    if case is None:
        return None
    return record_case_service(
        case,
        by=by,
        kind=ServiceKind.JOB_INFO,
        provided_on=max(pushed_on or today(), case.opened_on),
        job=_job(job_id) if job_id is not None else None,
        note="精准送岗推送",
        source=ServiceSource.MATCHING,
        reference=str(reference),
    )


def _job(job_id):
    from jobcircle.employers.models import Job

    return Job.objects.filter(pk=job_id).first()


@dataclass(frozen=True)
class Service1131:
    """The "1 guidance, 3 job infos, 1 training" service (1131) for one person."""

    guidance: int
    job_info: int
    training: int

    GOAL = {"guidance": 1, "job_info": 3, "training": 1}

    @property
    def done(self) -> bool:
        return self.guidance >= 1 and self.job_info >= 3 and self.training >= 1

    @property
    def label(self) -> str:
        return "已完成" if self.done else "未完成"

    @property
    def summary(self) -> str:
        return f"职业指导{self.guidance}/1　岗位信息{self.job_info}/3　培训推荐{self.training}/1"


def service_1131(case: AssistanceCase) -> Service1131:
    """Count a case's guidance, job information and training services against 1-3-1."""
    counts = dict(case.services.values_list("kind").annotate(n=Count("id")).order_by())
    return Service1131(
        counts.get(ServiceKind.GUIDANCE, 0), counts.get(ServiceKind.JOB_INFO, 0), counts.get(ServiceKind.TRAINING, 0)
    )


def with_1131_counts(cases):
    """Annotate a case QuerySet with the three 1131 counts (one query for a whole list)."""
    return cases.annotate(
        n_guidance=Count("services", filter=Q(services__kind=ServiceKind.GUIDANCE)),
        n_job_info=Count("services", filter=Q(services__kind=ServiceKind.JOB_INFO)),
        n_training=Count("services", filter=Q(services__kind=ServiceKind.TRAINING)),
    )


# --- public-welfare posts (公益性岗位) --------------------------------------------------


def clean_welfare_post_input(data: dict, *, scope) -> dict:
    """Rules of a public-welfare post.

    - name, unit, urban/rural type required; community inside the actor's area;
    - headcount 1–999; monthly pay and subsidy are money ≥ 0 (subsidy not above pay);
    - term: start and end dates, end not before start.
    """
    errors = FieldErrors()
    out = {}
    for field, label, limit in (("name", "岗位名称", 100), ("unit_name", "用人单位", 100)):
        value = str(data.get(field) or "").strip()
        if not value:
            errors.add(field, f"{label}：不能为空")
        elif len(value) > limit:
            errors.add(field, f"{label}：不能超过{limit}个字")
        out[field] = value
    out["area_type"] = _choice(errors, "area_type", "岗位类别", data.get("area_type"), PostAreaType, required=True)
    out["community"] = errors.capture("community_code", community_for_write, scope, data.get("community_code"))
    headcount = errors.capture("headcount", clean_count, data.get("headcount"), "岗位数", maximum=999)
    if headcount == 0:
        errors.add("headcount", "岗位数：至少1个")
    out["headcount"] = headcount
    out["monthly_pay"] = errors.capture("monthly_pay", clean_money, data.get("monthly_pay"), "月工资")
    out["monthly_subsidy"] = errors.capture("monthly_subsidy", clean_money, data.get("monthly_subsidy"), "月岗位补贴")
    if out["monthly_pay"] is not None and out["monthly_subsidy"] is not None:
        if out["monthly_subsidy"] > out["monthly_pay"]:
            errors.add("monthly_subsidy", "月岗位补贴：不能高于月工资")
    out["term_start"] = errors.capture("term_start", parse_date, data.get("term_start"), "开发日期")
    out["term_end"] = errors.capture("term_end", parse_date, data.get("term_end"), "岗位期满日期")
    if out["term_start"] and out["term_end"] and out["term_end"] < out["term_start"]:
        errors.add("term_end", "岗位期满日期：不能早于开发日期")
    code = str(data.get("code") or "").strip().upper()
    if code and (len(code) > 32 or not code.replace("-", "").isalnum()):
        errors.add("code", "岗位编号：最多32位字母、数字或“-”")
    out["code"] = code
    errors.raise_if_any()
    return out


def _next_code(prefix, model, area_code):
    serial = model.objects.filter(code__startswith=f"{prefix}{area_code}").count() + 1
    while model.objects.filter(code=f"{prefix}{area_code}{serial:03d}").exists():
        serial += 1
    return f"{prefix}{area_code}{serial:03d}"


@transaction.atomic
def create_welfare_post(*, by, data: dict, scope) -> WelfarePost:
    """Register a public-welfare post developed in the actor's area (编号 generated when not given)."""
    cleaned = clean_welfare_post_input(data, scope=scope)
    community = cleaned.pop("community")
    code = cleaned.pop("code") or _next_code("GY", WelfarePost, community.code)
    if WelfarePost.objects.filter(code=code).exists():
        raise ValidationError({"code": [f"岗位编号：{code} 已存在"]})
    post = WelfarePost.objects.create(
        code=code, community=community, area_code=community.code, created_by=_actor(by), **cleaned
    )
    log_action("assistance.welfare_post.created", by=by, obj=post, changed_fields=[*cleaned, "code"])
    return post


def eligible_for_welfare_post(resident: Resident) -> bool:
    return resident.key_groups.filter(code__in=WELFARE_ELIGIBLE_GROUPS).exists()


@transaction.atomic
def place_on_welfare_post(
    post: WelfarePost, resident: Resident, *, by, started_on, planned_end_on=None
) -> WelfarePlacement:
    """Place a person on a public-welfare post (安置上岗).

    - the person belongs to an eligible group (就业困难人员, 脱贫人口, 监测对象, 残疾人);
    - of working age (16–60) on the start date;
    - the start lies within the post's term; the agreed end defaults to, and may not pass, the term's end;
    - the post has a free place (active placements < headcount; the post row is locked);
    - the person holds no other active public-welfare post (also a database constraint, SEC-32);
    - the monthly subsidy is the post's at the time of placement.
    """
    errors = FieldErrors()
    post = WelfarePost.objects.select_for_update().get(pk=post.pk)
    started_on = errors.capture("started_on", parse_date, started_on, "上岗日期")
    planned_end_on = (
        errors.capture("planned_end_on", parse_date, planned_end_on, "协议期满日期")
        if planned_end_on
        else post.term_end
    )
    if not eligible_for_welfare_post(resident):
        errors.add("resident", "该居民不属于公益性岗位安置对象（就业困难人员、脱贫人口、监测对象、残疾人）")
    if started_on:
        if not post.term_start <= started_on <= post.term_end:
            errors.add("started_on", f"上岗日期：应在岗位期限内（{post.term_start}至{post.term_end}）")
        elif started_on > today():
            errors.add("started_on", "上岗日期：不能晚于今天")
        low, high = WELFARE_AGE_RANGE
        if not low <= age_on(resident.birth_date, started_on) <= high:
            errors.add("resident", f"年龄不符：上岗时应为{low}至{high}周岁")
        if planned_end_on and not started_on <= planned_end_on <= post.term_end:
            errors.add("planned_end_on", f"协议期满日期：应在上岗日期与岗位期满日期（{post.term_end}）之间")
    if post.placements.active().count() >= post.headcount:
        errors.add("post", f"该岗位已满员（{post.headcount}人）")
    if WelfarePlacement.objects.active().filter(resident=resident).exists():
        errors.add("resident", "该居民已在其他公益性岗位上岗，同一时间只能安置一个公益性岗位")
    errors.raise_if_any()
    try:
        with transaction.atomic():
            placement = WelfarePlacement.objects.create(
                post=post,
                resident=resident,
                area_code=post.area_code,
                started_on=started_on,
                planned_end_on=planned_end_on,
                monthly_subsidy=post.monthly_subsidy,
                created_by=_actor(by),
            )
    except IntegrityError:
        raise ValidationError({"resident": ["该居民已在其他公益性岗位上岗，同一时间只能安置一个公益性岗位"]}) from None
    log_action("assistance.welfare_placement.started", by=by, obj=placement, data={"post": post.code})
    return placement


@transaction.atomic
def exit_welfare_post(placement: WelfarePlacement, *, by, exited_on, reason) -> WelfarePlacement:
    """Record a person leaving a public-welfare post (离岗).

    - only an active placement; the date is not before the start and not in the future;
    - a reason from the list is required.
    """
    errors = FieldErrors()
    placement = WelfarePlacement.objects.select_for_update().get(pk=placement.pk)
    exited_on = errors.capture("exited_on", parse_date, exited_on, "离岗日期")
    reason = _choice(errors, "exit_reason", "离岗原因", reason, PlacementExitReason, required=True)
    if placement.exited_on is not None:
        errors.add("exited_on", "该安置已离岗")
    elif exited_on and not placement.started_on <= exited_on <= today():
        errors.add("exited_on", "离岗日期：应在上岗日期与今天之间")
    errors.raise_if_any()
    placement.exited_on, placement.exit_reason = exited_on, reason
    placement.save(update_fields=["exited_on", "exit_reason", "updated_at"])
    log_action("assistance.welfare_placement.exited", by=by, obj=placement, data={"reason": reason})
    return placement


def subsidy_due(placement: WelfarePlacement, month) -> Decimal:
    """Post subsidy due for one placement and month.

    - the monthly subsidy for a full month on duty;
    - a part month pays by calendar days on duty (start and exit day included), to the cent, half up.
    """
    month = parse_month(month)
    first, last = month, month_end(month)
    start = max(placement.started_on, first)
    end = min(placement.exited_on or last, last)
    if end < start:
        return Decimal("0.00")
    days = (end - start).days + 1
    return (placement.monthly_subsidy * days / days_in_month(month)).quantize(CENT, ROUND_HALF_UP)


@transaction.atomic
def disburse_welfare_subsidies(month, *, by, area_prefix: str, paid_on=None) -> dict:
    """Record the month's post subsidies as paid (拨付) for every placement on duty that month.

    - the amount is ``subsidy_due``; nothing is paid twice for a placement and month (unique);
    - only finished months or the current one; returns {"payments": n, "total": Decimal}.
    """
    month = parse_month(month)
    if month > month_start(today()):
        raise ValidationError({"month": ["补贴月份：不能晚于本月"]})
    placements = WelfarePlacement.objects.filter(area_code__startswith=area_prefix).on_duty_between(
        month, month_end(month)
    )
    # Lock the placements (in id order, so overlapping areas cannot deadlock) before reading what is
    # paid: a second disbursement racing this one waits, then sees these payments and pays nothing.
    placements = list(placements.select_for_update(of=("self",)).order_by("pk"))
    paid = set(WelfareSubsidyPayment.objects.filter(month=month).values_list("placement_id", flat=True))
    payments = []
    for placement in (p for p in placements if p.pk not in paid):
        amount = subsidy_due(placement, month)
        if amount > 0:
            payments.append(
                WelfareSubsidyPayment(
                    placement=placement,
                    month=month,
                    amount=amount,
                    area_code=placement.area_code,
                    paid_on=paid_on or today(),
                    created_by=_actor(by),
                )
            )
    WelfareSubsidyPayment.objects.bulk_create(payments)
    total = sum((p.amount for p in payments), Decimal("0.00"))
    log_action(
        "assistance.welfare_subsidy.disbursed",
        by=by,
        area_code=area_prefix,
        data={"month": month.isoformat(), "payments": len(payments), "total": str(total)},
    )
    return {"payments": len(payments), "total": total}


# --- assistance workshops (就业帮扶车间) ---------------------------------------------------


def clean_workshop_input(data: dict, *, scope) -> dict:
    """Rules of a workshop's registry entry.

    - code, name, operating entity, community (inside the actor's area) and certification date required;
    - the credit code, when given, passes the one USCC validator;
    - the certification date is not in the future.
    """
    errors = FieldErrors()
    out = {}
    for field, label, limit in (
        ("code", "车间编号", 32),
        ("name", "车间名称", 100),
        ("operator_name", "经营主体", 100),
    ):
        value = str(data.get(field) or "").strip()
        if not value:
            errors.add(field, f"{label}：不能为空")
        elif len(value) > limit:
            errors.add(field, f"{label}：不能超过{limit}个字")
        out[field] = value
    out["code"] = out["code"].upper()
    out["address"] = str(data.get("address") or "").strip()[:200]
    out["community"] = errors.capture("community_code", community_for_write, scope, data.get("community_code"))
    credit = str(data.get("credit_code") or "").strip()
    out["credit_code"] = ""
    if credit:
        info = errors.capture("credit_code", parse_credit_code, credit)
        out["credit_code"] = info.code if info else ""
    certified = errors.capture("certified_on", parse_date, data.get("certified_on"), "认定日期")
    if certified and certified > today():
        errors.add("certified_on", "认定日期：不能晚于今天")
    out["certified_on"] = certified
    errors.raise_if_any()
    return out


WORKSHOP_FIELDS = ("name", "operator_name", "credit_code", "address", "certified_on")


@transaction.atomic
def save_workshop(*, by, data: dict, scope) -> tuple[Workshop, bool]:
    """Register a workshop or update its registry entry by code; returns (workshop, created)."""
    cleaned = clean_workshop_input(data, scope=scope)
    community = cleaned.pop("community")
    workshop = Workshop.objects.select_for_update().filter(code=cleaned["code"]).first()
    created = workshop is None
    if created:
        workshop = Workshop(code=cleaned["code"], created_by=_actor(by))
    elif not scope.covers(workshop.area_code):
        raise ValidationError({"code": ["车间编号已被您管辖范围以外的车间使用"]})
    for field in WORKSHOP_FIELDS:
        setattr(workshop, field, cleaned[field])
    workshop.community, workshop.area_code = community, community.code
    workshop.save()
    WorkshopCheck.objects.filter(workshop=workshop).update(area_code=workshop.area_code)
    log_action(
        "assistance.workshop.created" if created else "assistance.workshop.updated",
        by=by,
        obj=workshop,
        changed_fields=WORKSHOP_FIELDS,
    )
    return workshop, created


def clean_workshop_check_input(data: dict) -> dict:
    """Rules of a workshop's monthly check.

    - month required, not in the future; operating status one of 正常运行/缓冲监测/清理;
    - workers and poverty-alleviated workers are whole numbers ≥ 0, the latter not above the former;
    - subsidy granted is money ≥ 0.
    """
    errors = FieldErrors()
    month = errors.capture("month", parse_month, data.get("month"), "检查月份")
    if month and month > month_start(today()):
        errors.add("month", "检查月份：不能晚于本月")
    status = _choice(errors, "status", "运行状态", data.get("status"), WorkshopStatus, required=True)
    workers = errors.capture("workers", clean_count, data.get("workers"), "务工人数", maximum=100000)
    poverty = errors.capture(
        "poverty_workers", clean_count, data.get("poverty_workers"), "其中脱贫人口", maximum=100000
    )
    if workers is not None and poverty is not None and poverty > workers:
        errors.add("poverty_workers", "其中脱贫人口：不能多于务工人数")
    subsidy = errors.capture("subsidy_granted", clean_money, data.get("subsidy_granted"), "本月补贴")
    note = str(data.get("note") or "").strip()[:200]
    errors.raise_if_any()
    return {
        "month": month, "status": status, "workers": workers, "poverty_workers": poverty,
        "subsidy_granted": subsidy, "note": note,
    }  # fmt: skip


CHECK_FIELDS = ("status", "workers", "poverty_workers", "subsidy_granted", "note")


@transaction.atomic
def record_workshop_check(workshop: Workshop, *, by, data: dict) -> tuple[WorkshopCheck, bool]:
    """Record a workshop's monthly check (one per month; recording again updates it).

    - the rules of ``clean_workshop_check_input``; the month is not before certification;
    - the workshop's status follows its latest check. Returns (check, created).
    """
    cleaned = clean_workshop_check_input(data)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if cleaned["month"] < month_start(workshop.certified_on):
        raise ValidationError({"month": ["检查月份：不能早于认定日期"]})
    check, created = WorkshopCheck.objects.update_or_create(
        workshop=workshop,
        month=cleaned["month"],
        defaults={**{f: cleaned[f] for f in CHECK_FIELDS}, "area_code": workshop.area_code, "recorded_by": _actor(by)},
    )
    latest = workshop.checks.order_by("-month").first()
    if latest is not None and workshop.status != latest.status:
        workshop.status = latest.status
        workshop.save(update_fields=["status", "updated_at"])
    log_action(
        "assistance.workshop.checked",
        by=by,
        obj=workshop,
        changed_fields=CHECK_FIELDS,
        data={"month": cleaned["month"].isoformat(), "status": cleaned["status"]},
    )
    return check, created


def previous_month(month):
    return add_months(parse_month(month), -1)
