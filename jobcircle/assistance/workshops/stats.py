"""What the 帮扶车间 ledger reports for a month, by one rule for the sentence, the page and the monthly Excel:

- a workshop without that month's check carries its last check forward, marked "沿用10月";
- a workshop counts when certified by the month's end and its carried check is not 清理;
- "其中脱贫人口和监测对象" is the two groups of the carried check added up, as reports say it;
- 今年新增: counted workshops certified in the month's year; 缓冲监测: counted workshops whose carried
  check says so; the subsidy total is the checks' 本月补贴 over the months asked (the subsidies ledger has no
  workshop policy yet, docs/decisions/subsidies.md).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from jobcircle.areas.querysets import AreaValue

from ..enums import WorkshopStatus
from ..models import Workshop, WorkshopCheck
from ..periods import month_end, parse_month


@dataclass(frozen=True)
class MonthRow:
    """A workshop in a month with the check that stands for that month (its own or carried forward)."""

    workshop: Workshop
    check: WorkshopCheck | None
    month: datetime.date

    @property
    def carried(self) -> bool:
        return self.check is not None and self.check.month < self.month

    @property
    def carried_label(self) -> str:
        """ "沿用10月" (“沿用2025年10月” across a year) for a carried check; "" for the month's own."""
        if not self.carried:
            return ""
        checked = self.check.month
        return f"沿用{checked.month}月" if checked.year == self.month.year else f"沿用{checked:%Y}年{checked.month}月"

    @property
    def status(self) -> str:
        """The status the month stands on: the carried check's, or 正常运行 when never checked."""
        return self.check.status if self.check is not None else WorkshopStatus.NORMAL

    @property
    def counted(self) -> bool:
        return self.workshop.certified_on <= month_end(self.month) and self.status != WorkshopStatus.CLEARED


def month_rows(workshops, month) -> list[MonthRow]:
    """Each workshop with the latest check up to the month (carried forward when it is older)."""
    month = parse_month(month)
    workshops = list(workshops)
    latest: dict[int, WorkshopCheck] = {}
    checks = WorkshopCheck.objects.filter(workshop__in=[w.pk for w in workshops], month__lte=month)
    for check in checks.order_by("workshop_id", "month"):
        latest[check.workshop_id] = check  # ordered by month: the last one wins
    return [MonthRow(w, latest.get(w.pk), month) for w in workshops]


@dataclass(frozen=True)
class WorkshopFigures:
    month: datetime.date
    total: int
    normal: int
    workers: int
    poverty_workers: int
    monitored_workers: int = 0
    buffer: int = 0
    new_this_year: int = 0
    carried: int = 0  # counted workshops whose figures are carried from an earlier check
    subsidy_yuan: Decimal = Decimal("0.00")

    @property
    def key_workers(self) -> int:
        """其中脱贫人口和监测对象."""
        return self.poverty_workers + self.monitored_workers

    @property
    def sentence(self) -> str:
        carried = f"（其中{self.carried}个本月未核查，沿用最近一次核查）" if self.carried else ""
        return (
            f"共有{self.total}个帮扶车间{carried}，今年新增{self.new_this_year}个，正常运行{self.normal}个，"
            f"缓冲监测{self.buffer}个，吸纳务工{self.workers}人，其中脱贫人口和监测对象{self.key_workers}人"
        )


def workshop_figures(region: AreaValue, month, *, since=None) -> WorkshopFigures:
    """ "共有N个帮扶车间，今年新增N个，正常运行N个，缓冲监测N个，吸纳务工N人，其中脱贫人口和监测对象N人" as of a month.

    - the rules of this module (carry forward, 清理 left out, never checked = 正常运行 with no workers);
    - ``subsidy_yuan``: 本月补贴 of the checks from ``since`` (default the month's January) to the month.
    """
    month = parse_month(month)
    since = parse_month(since) if since else month.replace(month=1)
    workshops = Workshop.objects.in_area(region).filter(certified_on__lte=month_end(month)).only("id", "certified_on")
    rows = [row for row in month_rows(workshops, month) if row.counted]
    checks = [row.check for row in rows if row.check is not None]
    subsidy = (
        WorkshopCheck.objects.in_area(region)
        .filter(month__gte=since, month__lte=month)
        .aggregate(total=Sum("subsidy_granted"))["total"]
    )
    return WorkshopFigures(
        month=month,
        total=len(rows),
        normal=sum(1 for row in rows if row.status == WorkshopStatus.NORMAL),
        buffer=sum(1 for row in rows if row.status == WorkshopStatus.BUFFER),
        workers=sum(check.workers for check in checks),
        poverty_workers=sum(check.poverty_workers for check in checks),
        monitored_workers=sum(check.monitored_workers for check in checks),
        new_this_year=sum(1 for row in rows if row.workshop.certified_on.year == month.year),
        carried=sum(1 for row in rows if row.carried),
        subsidy_yuan=subsidy or Decimal("0.00"),
    )
