"""What monitoring reports: people working away (外出务工) against a base month, and how far the
month's monitoring tasks are done."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, Sum

from jobcircle.areas.models import Region
from jobcircle.areas.querysets import AreaValue
from jobcircle.people.models import Resident

from ..enums import AWAY_LOCATIONS, TaskState, WorkLocation
from ..models import MigrationBaseline, MonitoringRecord, MonitoringTask
from ..periods import month_end, parse_month
from ..services import WORKING
from ..stats import percent, sub_areas


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


def _away_by_code(region: AreaValue, month) -> dict[str, int]:
    """People working away in a month per area code (one record per person and month: each counts once)."""
    return dict(
        MonitoringRecord.objects.in_area(region)
        .filter(month=month, employment_status__in=WORKING, work_location__in=AWAY_LOCATIONS)
        .values_list("area_code")
        .annotate(n=Count("resident_id", distinct=True))
        .order_by()
    )


def _inside(counts: dict[str, int], area: AreaValue) -> int:
    return sum(n for code, n in counts.items() if code.startswith(area.scope_prefix))


def out_migration(region: Region, month, *, baseline_month=None) -> OutMigration:
    """People working away from the county (省内县外 + 省外) in a month against a base, by sub-area.

    - now: residents whose monitoring record for the month says employed/flexible and working away;
    - base: by default last December; per sub-area the officially entered figure (外出务工基数) for
      that month when there is one, otherwise the same count from that month's records;
    - ratio: now ÷ base, whole percent; the total is the sum of the sub-areas;
    - three grouped queries whatever the number of sub-areas (the work report reads it for every township).
    """
    month = parse_month(month)
    baseline_month = parse_month(baseline_month) if baseline_month else datetime.date(month.year - 1, 12, 1)
    entered = dict(
        MigrationBaseline.objects.in_area(region)
        .filter(as_of__gte=baseline_month, as_of__lte=month_end(baseline_month))
        .values_list("area_code")
        .annotate(n=Sum("away_count"))
        .order_by()
    )
    now, before = _away_by_code(region, month), _away_by_code(region, baseline_month)
    rows = []
    for area in sub_areas(region):
        has_official = any(code.startswith(area.scope_prefix) for code in entered)
        base = _inside(entered, area) if has_official else _inside(before, area)
        rows.append(AwayFigure(area.code, area.name, _inside(now, area), base, has_official))
    return OutMigration(month, baseline_month, tuple(rows))


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


def month_tasks(region: AreaValue, month):
    """The month's tasks of the people who lived in the area that month (``MonitoringTaskQuerySet.lived_in``:
    a person who moved counts where that month's record was made, else where the task was made)."""
    return MonitoringTask.objects.filter(month=parse_month(month)).lived_in(region)


def monitoring_progress(region: AreaValue, month, *, on: datetime.date) -> MonitoringProgress:
    """The month's monitoring tasks: how many, how many done, how many overdue on a given day.

    - counted where the person lived in the month (``month_tasks``), like the month's records ledger;
    """
    month = parse_month(month)
    tasks = month_tasks(region, month)
    counts = tasks.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(state=TaskState.DONE)),
        overdue=Count("id", filter=Q(state=TaskState.PENDING, due_on__lt=on)),
    )
    return MonitoringProgress(month, counts["total"] or 0, counts["done"] or 0, counts["overdue"] or 0)


# --- 脱贫劳动力务工规模 and 农村劳动力转移就业 (INDICATORS.md), from the monitoring records -------------------

WORK_SCALE_GROUPS = ("poverty_alleviated", "monitored")  # 脱贫劳动力（含监测对象）


def work_scale_min_months() -> int:
    """Months worked this year from which a person counts as 务工 (county setting, commonly 3)."""
    return int(getattr(settings, "JOBCIRCLE_WORK_SCALE_MIN_MONTHS", 3))


def transfer_min_months() -> int:
    """Months of work in the year from which a rural worker counts as 转移就业 (national rule: 6)."""
    return int(getattr(settings, "JOBCIRCLE_TRANSFER_MIN_MONTHS", 6))


def working_records(region: AreaValue, month, *, min_months: int):
    """The month's records of people in work (已就业/灵活就业) for at least ``min_months`` this year."""
    return MonitoringRecord.objects.in_area(region).filter(
        month=parse_month(month), employment_status__in=WORKING, months_worked__gte=min_months
    )


def work_scale_records(region: AreaValue, month):
    """脱贫劳动力（含监测对象）务工: the month's working records of 脱贫人口 and 监测对象 (minimum months set)."""
    ids = Resident.objects.filter(key_groups__code__in=WORK_SCALE_GROUPS).values("id")
    return working_records(region, month, min_months=work_scale_min_months()).filter(resident_id__in=ids)


def transfer_records(region: AreaValue, month):
    """农村劳动力转移就业: the month's records of monitored (rural) workers in work 6 months or more this year."""
    return working_records(region, month, min_months=transfer_min_months())


@dataclass(frozen=True)
class WorkScale:
    month: datetime.date
    local: int  # 本县
    in_province: int  # 省内县外
    out_of_province: int  # 省外
    transfer: int  # 农村劳动力转移就业

    @property
    def total(self) -> int:
        return self.local + self.in_province + self.out_of_province

    @property
    def sentence(self) -> str:
        return (
            f"脱贫劳动力（含监测对象）务工{self.total}人，其中本县{self.local}人、省内县外{self.in_province}人、"
            f"省外{self.out_of_province}人；农村劳动力转移就业{self.transfer}人"
        )


def work_scale(region: AreaValue, month) -> WorkScale:
    """脱贫劳动力（含监测对象）务工规模 at a month's end by where they work, and 农村劳动力转移就业.

    - 务工规模: people tagged 脱贫人口 or 监测对象 whose record for the month says 已就业 or 灵活就业 with at
      least ``JOBCIRCLE_WORK_SCALE_MIN_MONTHS`` (default 3) months worked this year; by 本县/省内县外/省外;
    - 转移就业: people whose record for the month says in work with at least ``JOBCIRCLE_TRANSFER_MIN_MONTHS``
      (default 6) months this year — the monitored are the county's rural labour and the ledger's 务工 is
      non-farm work (本县 included), so the record answers "outside the township, or non-farm inside it";
    - one record per person and month, so each counts people.
    """
    month = parse_month(month)
    by_place = dict(work_scale_records(region, month).values_list("work_location").annotate(n=Count("id")).order_by())
    return WorkScale(
        month=month,
        local=by_place.get(WorkLocation.LOCAL, 0),
        in_province=by_place.get(WorkLocation.IN_PROVINCE, 0),
        out_of_province=by_place.get(WorkLocation.OUT_OF_PROVINCE, 0),
        transfer=transfer_records(region, month).count(),
    )
