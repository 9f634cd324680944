"""What monitoring reports: people working away (外出务工) against a base month, and how far the
month's monitoring tasks are done."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from jobcircle.areas.models import Region
from jobcircle.areas.querysets import AreaValue

from ..enums import AWAY_LOCATIONS, TaskState
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


def _away_count(region: AreaValue, month) -> int:
    return (
        MonitoringRecord.objects.in_area(region)
        .filter(
            month=month,
            employment_status__in=WORKING,
            work_location__in=AWAY_LOCATIONS,
        )
        .values("resident_id")
        .distinct()
        .count()
    )


def out_migration(region: Region, month, *, baseline_month=None) -> OutMigration:
    """People working away from the county (省内县外 + 省外) in a month against a base, by sub-area.

    - now: residents whose monitoring record for the month says employed/flexible and working away;
    - base: by default last December; per sub-area the officially entered figure (外出务工基数) for
      that month when there is one, otherwise the same count from that month's records;
    - ratio: now ÷ base, whole percent; the total is the sum of the sub-areas.
    """
    month = parse_month(month)
    baseline_month = parse_month(baseline_month) if baseline_month else datetime.date(month.year - 1, 12, 1)
    entered = MigrationBaseline.objects.in_area(region).filter(
        as_of__gte=baseline_month, as_of__lte=month_end(baseline_month)
    )
    rows = []
    for area in sub_areas(region):
        official = entered.in_area(area)
        has_official = official.exists()
        base = official.aggregate(n=Sum("away_count"))["n"] if has_official else _away_count(area, baseline_month)
        rows.append(AwayFigure(area.code, area.name, _away_count(area, month), base or 0, has_official))
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


def monitoring_progress(region: AreaValue, month, *, on: datetime.date) -> MonitoringProgress:
    """The month's monitoring tasks: how many, how many done, how many overdue on a given day."""
    month = parse_month(month)
    tasks = MonitoringTask.objects.in_area(region).filter(month=month)
    counts = tasks.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(state=TaskState.DONE)),
        overdue=Count("id", filter=Q(state=TaskState.PENDING, due_on__lt=on)),
    )
    return MonitoringProgress(month, counts["total"] or 0, counts["done"] or 0, counts["overdue"] or 0)
