"""月度监测 (每月一监测一更新): which residents a county monitors, the month's tasks and their reminders,
and the one record per person and month that moves their employment status and assistance case."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from jobcircle.accounts.models import User
from jobcircle.accounts.services import text_users
from jobcircle.areas.codes import Area
from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region
from jobcircle.areas.querysets import AreaValue
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.workflow import Move, Workflow, log_created, transition
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import KeyGroup, Placement, Resident
from jobcircle.people.services import record_employment_status

from ..cases.services import sync_assistance_case
from ..enums import NotEmployedReason, ServiceSource, TaskState, WorkLocation
from ..models import MonitoringPolicy, MonitoringRecord, MonitoringTask, MonitoringTaskTransition
from ..periods import month_end, month_start, parse_month
from ..services import WORKING, actor, clean_choice, clean_count, clean_money, community_staff_for, parse_yes_no, today

DEFAULT_MONITORED_GROUPS = ("poverty_alleviated", "monitored")

# A task is created pending (or done, for demo data) and is done when its month's record is saved;
# recording is already guarded by the screens and imports, so the move asks no more of the actor.
TASK_WORKFLOW = Workflow(
    model=MonitoringTask,
    states=TaskState,
    field="state",
    moves={(TaskState.PENDING, TaskState.DONE): Move()},
    log=MonitoringTaskTransition,
    subject="task",
    action="assistance.monitoring.transitioned",  # 月度监测·状态变更 (labels.VERBS has no task_done)
    label="监测任务状态",
)


def log_new_tasks(month, *, by=None, region: AreaValue | None = None) -> None:
    """The creation rows ("" → state) of the month's tasks that have none yet, in one bulk insert.

    Generation inserts with ignore_conflicts (no primary keys come back), so the new tasks are
    found again as the month's tasks without a log row.
    """
    tasks = MonitoringTask.objects.in_area(region) if region is not None else MonitoringTask.objects.all()
    new = tasks.filter(month=month, transitions__isnull=True).only("id", "state")
    log_created(TASK_WORKFLOW, new, by=by)


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
        area_code=county.code, defaults={"min_age": low, "max_age": high, "due_day": day, "updated_by": actor(by)}
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


def monitored_residents(policy: Policy, month, region: AreaValue | None = None):
    """Residents the policy monitors in that month: in one of its key groups and of working age.

    - inside the region when it lies in the policy's county, else the whole county.
    """
    earliest, latest = policy.birth_range(month)
    county = Area(policy.county_code)
    inside = region if region is not None and region.scope_prefix.startswith(county.scope_prefix) else county
    ids = (
        Resident.objects.in_area(inside)
        .filter(
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
def generate_monitoring_tasks(month, *, by=None, region: AreaValue | None = None) -> dict:
    """Create the month's monitoring tasks (每月一监测一更新).

    - one task per monitored resident and month — running it again creates nothing new;
    - whom: each county's policy (default 脱贫人口 and 监测对象 of working age);
    - assigned to the first active staff member of the person's community;
    - due on the policy's day of that month;
    - each new task gets its creation log row ("" → pending), all in one bulk insert (no per-task audit).
    Returns {"created": n, "existing": n}.
    """
    month = parse_month(month)
    # Counties that have residents in the area (not every county in the national table).
    counties = (
        (Resident.objects.in_area(region) if region is not None else Resident.objects.all())
        .order_by()
        .annotate(county=Substr("area_code", 1, 6))
        .values_list("county", flat=True)
        .distinct()
    )
    created = existing = 0
    for county_code in sorted(counties):
        policy = policy_for(county_code)
        residents = list(monitored_residents(policy, month, region).values_list("id", "area_code"))
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
    log_new_tasks(month, by=by, region=region)
    log_action(
        "assistance.monitoring.tasks_generated",
        by=by,
        area_code=region.scope_prefix if region is not None else "",
        data={"month": month.isoformat(), "created": created, "existing": existing},
    )
    return {"created": created, "existing": existing}


@transaction.atomic
def remind_overdue_monitoring(*, by=None, on=None, region: AreaValue | None = None) -> dict:
    """Remind staff of overdue monitoring tasks.

    - overdue: still pending after the due date;
    - each task is reminded at most once a day (reminded_at, reminder_count);
    - each responsible staff member with a phone on file gets one SMS with their count (no names: no PII
      in texts); the back office also shows each staff member their overdue count;
    - returns {staff id: count}.
    """
    on = on or today()
    now = timezone.now()
    tasks = MonitoringTask.objects.overdue(on)
    if region is not None:
        tasks = tasks.in_area(region)
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
        area_code=region.scope_prefix if region is not None else "",
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
    status = clean_choice(
        errors, "employment_status", "就业状态", data.get("employment_status"), EmploymentStatus, required=True
    )
    working = status in WORKING
    location = clean_choice(errors, "work_location", "务工地点", data.get("work_location"), WorkLocation)
    reason = clean_choice(
        errors, "not_employed_reason", "未就业原因", data.get("not_employed_reason"), NotEmployedReason
    )
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


def _stamp_completed(task, current, target):
    task.completed_at = timezone.now()
    return ["completed_at"]


@transaction.atomic
def record_monitoring(resident: Resident, *, month, by, data: dict, source=ServiceSource.STAFF) -> MonitoringRecord:
    """Save a person's monitoring for a month (每月一监测一更新).

    - the rules of ``clean_monitoring_input``; nothing is written on an error;
    - one record per person and month: recording the month again updates it;
    - the month's task, if there is one, is moved to done (TASK_WORKFLOW: a log row and an audit event);
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
    record.task, record.source, record.recorded_by = task, source, actor(by)
    record.area_code = resident.area_code
    record.save()
    if task is not None and task.state != TaskState.DONE:
        task = transition(TASK_WORKFLOW, task, TaskState.DONE, by=by, prepare=_stamp_completed)
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
