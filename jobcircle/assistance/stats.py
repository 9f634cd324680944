"""The figures the bureau reports about casework — each from ONE function, reused by pages, exports and reports.

Every function takes an area prefix (a scope's or a chosen sub-area's) and a period, returns a small
frozen dataclass with the numbers and a ``sentence`` in the wording of the bureau's work reports.
Percentages are whole numbers rounded half up; money is Decimal, shown in 万元 to two decimals.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from jobcircle.areas.models import Region
from jobcircle.people.enums import EmploymentStatus

from .enums import AWAY_LOCATIONS, CaseState, ServiceKind, TaskState, WorkshopStatus
from .models import (
    AssistanceCase,
    CaseService,
    MigrationBaseline,
    MonitoringRecord,
    MonitoringTask,
    WelfarePlacement,
    WelfarePost,
    WelfareSubsidyPayment,
    Workshop,
    WorkshopCheck,
)
from .periods import add_months, month_end, month_start, parse_month

WORKING = (EmploymentStatus.EMPLOYED, EmploymentStatus.FLEXIBLE)
TEN_THOUSAND = Decimal("10000")


def percent(part, whole) -> int | None:
    """part/whole as a whole percentage, half up; None when there is nothing to divide by."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1"), ROUND_HALF_UP))


def wan_yuan(amount: Decimal) -> Decimal:
    """Yuan → 万元 with two decimals, half up."""
    return (Decimal(amount or 0) / TEN_THOUSAND).quantize(Decimal("0.01"), ROUND_HALF_UP)


def compare_with_previous(current: int, previous: int, unit: str = "人") -> str:
    """ "比上期632人多17人" / "比上期632人少5人" / "与上期632人持平"."""
    if current > previous:
        return f"比上期{previous}{unit}多{current - previous}{unit}"
    if current < previous:
        return f"比上期{previous}{unit}少{previous - current}{unit}"
    return f"与上期{previous}{unit}持平"


def previous_period(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of the same length just before: whole months shift by months, other spans by days."""
    if start.day == 1 and end == month_end(end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return add_months(start, -months), month_end(add_months(start, -1))
    length = end - start + datetime.timedelta(days=1)
    return start - length, start - datetime.timedelta(days=1)


def sub_areas(area_prefix: str) -> list[Region]:
    """The regions one level below the prefix's region (a community stands for itself)."""
    region = Region.objects.filter(code=area_prefix.ljust(12, "0")).first()
    if region is None:
        return []
    children = list(Region.objects.current().filter(parent=region).order_by("code"))
    return children or [region]


# --- out-migration (外出务工) -------------------------------------------------------------


@dataclass(frozen=True)
class AwayFigure:
    area_code: str
    area_name: str
    away_now: int
    baseline: int
    baseline_entered: bool  # the base is an officially entered figure, not counted from records

    @property
    def ratio(self) -> int | None:
        return percent(self.away_now, self.baseline)


@dataclass(frozen=True)
class OutMigration:
    month: datetime.date
    baseline_month: datetime.date
    rows: tuple[AwayFigure, ...]

    @property
    def away_now(self) -> int:
        return sum(r.away_now for r in self.rows)

    @property
    def baseline(self) -> int:
        return sum(r.baseline for r in self.rows)

    @property
    def ratio(self) -> int | None:
        return percent(self.away_now, self.baseline)

    @property
    def baseline_label(self) -> str:
        if self.baseline_month == datetime.date(self.month.year - 1, 12, 1):
            return "上年底"
        return f"{self.baseline_month.year}年{self.baseline_month.month}月底"

    @property
    def sentence(self) -> str:
        if self.ratio is None:
            return f"外出务工{self.away_now}人（{self.baseline_label}无外出务工基数）"
        return f"外出务工{self.away_now}人，占{self.baseline_label}{self.baseline}人的{self.ratio}%"


def _away_count(area_prefix: str, month) -> int:
    return (
        MonitoringRecord.objects.filter(
            area_code__startswith=area_prefix,
            month=month,
            employment_status__in=WORKING,
            work_location__in=AWAY_LOCATIONS,
        )
        .values("resident_id")
        .distinct()
        .count()
    )


def out_migration(area_prefix: str, month, *, baseline_month=None) -> OutMigration:
    """People working away from the county (省内县外 + 省外) in a month against a base, by sub-area.

    - now: residents whose monitoring record for the month says employed/flexible and working away;
    - base: by default last December; per sub-area the officially entered figure (外出务工基数) for
      that month when there is one, otherwise the same count from that month's records;
    - ratio: now ÷ base, whole percent; the total is the sum of the sub-areas.
    """
    month = parse_month(month)
    baseline_month = parse_month(baseline_month) if baseline_month else datetime.date(month.year - 1, 12, 1)
    entered = MigrationBaseline.objects.filter(
        area_code__startswith=area_prefix, as_of__gte=baseline_month, as_of__lte=month_end(baseline_month)
    )
    rows = []
    for area in sub_areas(area_prefix):
        prefix = area.scope_prefix
        official = entered.filter(area_code__startswith=prefix)
        has_official = official.exists()
        base = official.aggregate(n=Sum("away_count"))["n"] if has_official else _away_count(prefix, baseline_month)
        rows.append(AwayFigure(area.code, area.name, _away_count(prefix, month), base or 0, has_official))
    return OutMigration(month, baseline_month, tuple(rows))


# --- public-welfare posts -------------------------------------------------------------


@dataclass(frozen=True)
class WelfareFigures:
    start: datetime.date
    end: datetime.date
    posts: int  # positions developed (sum of headcount of posts whose term starts in the period)
    placed: int  # distinct people on a post at some time in the period
    subsidy_yuan: Decimal  # subsidies disbursed for months in the period

    @property
    def subsidy_wan(self) -> Decimal:
        return wan_yuan(self.subsidy_yuan)

    @property
    def sentence(self) -> str:
        return f"开发公益性岗位{self.posts}个，安置{self.placed}人，拨付补贴{self.subsidy_wan}万元"


def welfare_post_figures(area_prefix: str, start, end) -> WelfareFigures:
    """ "开发公益性岗位N个，安置N人，拨付补贴N万元" for a period.

    - posts: positions (headcount) of the posts developed in the period (term starting in it);
    - placed: distinct people who were on a post at any time in the period;
    - subsidy: post subsidies disbursed for the months of the period, in 万元.
    """
    posts = WelfarePost.objects.filter(area_code__startswith=area_prefix, term_start__range=(start, end))
    placed = (
        WelfarePlacement.objects.filter(area_code__startswith=area_prefix)
        .on_duty_between(start, end)
        .values("resident_id")
        .distinct()
        .count()
    )
    paid = WelfareSubsidyPayment.objects.filter(
        area_code__startswith=area_prefix, month__gte=month_start(start), month__lte=end
    ).aggregate(total=Sum("amount"))["total"]
    return WelfareFigures(start, end, posts.aggregate(n=Sum("headcount"))["n"] or 0, placed, paid or Decimal("0.00"))


@dataclass(frozen=True)
class PlacedChange:
    current: int
    previous: int

    @property
    def sentence(self) -> str:
        return f"公益性岗位在岗{self.current}人，{compare_with_previous(self.current, self.previous)}"


def welfare_placed_change(area_prefix: str, start, end) -> PlacedChange:
    """People on public-welfare posts this period against the period before ("比上期632人多17人")."""
    before = previous_period(start, end)
    current = welfare_post_figures(area_prefix, start, end).placed
    previous = welfare_post_figures(area_prefix, *before).placed
    return PlacedChange(current, previous)


# --- assistance workshops ----------------------------------------------------------------


@dataclass(frozen=True)
class WorkshopFigures:
    month: datetime.date
    total: int
    normal: int
    workers: int
    poverty_workers: int

    @property
    def sentence(self) -> str:
        return (
            f"共有{self.total}个帮扶车间，正常运行{self.normal}个，"
            f"吸纳务工{self.workers}人，其中脱贫人口{self.poverty_workers}人"
        )


def workshop_figures(area_prefix: str, month) -> WorkshopFigures:
    """ "共有N个帮扶车间，正常运行N个，吸纳务工N人，其中脱贫人口N人" as of a month.

    - a workshop counts when certified by the month's end and its latest check up to the month is not 清理;
    - its status, workers and poverty-alleviated workers are from that latest check (none yet: counted
      as 正常运行 with no workers).
    """
    month = parse_month(month)
    workshops = Workshop.objects.filter(area_code__startswith=area_prefix, certified_on__lte=month_end(month))
    latest = {}
    checks = WorkshopCheck.objects.filter(workshop__in=workshops, month__lte=month).order_by("workshop_id", "month")
    for check in checks.only("workshop_id", "status", "workers", "poverty_workers"):
        latest[check.workshop_id] = check  # ordered by month: the last one wins
    total = normal = workers = poverty = 0
    for workshop_id in workshops.values_list("id", flat=True):
        check = latest.get(workshop_id)
        if check is not None and check.status == WorkshopStatus.CLEARED:
            continue
        total += 1
        if check is None or check.status == WorkshopStatus.NORMAL:
            normal += 1
        if check is not None:
            workers += check.workers
            poverty += check.poverty_workers
    return WorkshopFigures(month, total, normal, workers, poverty)


# --- assistance coverage and 1131 ------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    month: datetime.date
    willing: int  # recorded this month as not employed and wanting work
    assisted: int  # of whom have received at least one service under a case by the month's end
    service_1131_done: int  # of whom have had the full 1-3-1 service

    @property
    def ratio(self) -> int | None:
        return percent(self.assisted, self.willing)

    @property
    def sentence(self) -> str:
        if not self.willing:
            return "本月无未就业且有就业意愿人员"
        return (
            f"未就业且有就业意愿{self.willing}人，已开展一对一帮扶{self.assisted}人，"
            f"实现了{self.ratio}%就业帮扶，其中完成“1131”服务{self.service_1131_done}人"
        )


def assistance_coverage(area_prefix: str, month) -> Coverage:
    """Unemployed-but-willing people and the share assisted ("实现了100%就业帮扶").

    - willing: residents whose record for the month is 未就业 with 有就业意愿;
    - assisted: of them, those with at least one service logged under a case opened by the month's end,
      dated no later than the month's end;
    - 1131 done: of them, those with ≥1 guidance, ≥3 job informations and ≥1 training referral.
    """
    month = parse_month(month)
    end = month_end(month)
    willing = set(
        MonitoringRecord.objects.filter(
            area_code__startswith=area_prefix,
            month=month,
            employment_status=EmploymentStatus.UNEMPLOYED,
            wants_work=True,
        ).values_list("resident_id", flat=True)
    )
    services = CaseService.objects.filter(
        case__resident_id__in=willing, case__opened_on__lte=end, provided_on__lte=end
    ).values_list("case__resident_id", "kind")
    counts: dict[int, dict[str, int]] = {}
    for resident_id, kind in services:
        per = counts.setdefault(resident_id, {})
        per[kind] = per.get(kind, 0) + 1
    done = sum(
        1
        for per in counts.values()
        if per.get(ServiceKind.GUIDANCE, 0) >= 1
        and per.get(ServiceKind.JOB_INFO, 0) >= 3
        and per.get(ServiceKind.TRAINING, 0) >= 1
    )
    return Coverage(month, len(willing), len(counts), done)


@dataclass(frozen=True)
class CaseFigures:
    open: int
    closed_employed: int
    open_1131_done: int

    @property
    def sentence(self) -> str:
        return f"在帮{self.open}人（其中完成“1131”服务{self.open_1131_done}人），已就业结案{self.closed_employed}人"


def case_figures(area_prefix: str) -> CaseFigures:
    """Cases open now, cases closed because the person found work, open cases whose 1131 is complete."""
    from .services import with_1131_counts

    cases = AssistanceCase.objects.filter(area_code__startswith=area_prefix)
    open_cases = with_1131_counts(cases.open())
    done = open_cases.filter(n_guidance__gte=1, n_job_info__gte=3, n_training__gte=1).count()
    return CaseFigures(open_cases.count(), cases.filter(state=CaseState.CLOSED).count(), done)


# --- monitoring progress ------------------------------------------------------------------------


@dataclass(frozen=True)
class MonitoringProgress:
    month: datetime.date
    tasks: int
    done: int
    overdue: int

    @property
    def ratio(self) -> int | None:
        return percent(self.done, self.tasks)

    @property
    def sentence(self) -> str:
        if not self.tasks:
            return f"{self.month.year}年{self.month.month}月无监测任务"
        return (
            f"{self.month.year}年{self.month.month}月应监测{self.tasks}人，已完成{self.done}人"
            f"（{self.ratio}%），逾期未完成{self.overdue}人"
        )


def monitoring_progress(area_prefix: str, month, *, on: datetime.date) -> MonitoringProgress:
    """The month's monitoring tasks: how many, how many done, how many overdue on a given day."""
    month = parse_month(month)
    tasks = MonitoringTask.objects.filter(area_code__startswith=area_prefix, month=month)
    counts = tasks.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(state=TaskState.DONE)),
        overdue=Count("id", filter=Q(state=TaskState.PENDING, due_on__lt=on)),
    )
    return MonitoringProgress(month, counts["total"] or 0, counts["done"] or 0, counts["overdue"] or 0)
