"""What the 帮扶车间 ledger reports: workshops by status in a month and the workers they employ."""

import datetime
from dataclasses import dataclass

from jobcircle.areas.querysets import AreaValue

from ..enums import WorkshopStatus
from ..models import Workshop, WorkshopCheck
from ..periods import month_end, parse_month


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


def workshop_figures(region: AreaValue, month) -> WorkshopFigures:
    """ "共有N个帮扶车间，正常运行N个，吸纳务工N人，其中脱贫人口N人" as of a month.

    - a workshop counts when certified by the month's end and its latest check up to the month is not 清理;
    - its status, workers and poverty-alleviated workers are from that latest check (none yet: counted
      as 正常运行 with no workers).
    """
    month = parse_month(month)
    workshops = Workshop.objects.in_area(region).filter(certified_on__lte=month_end(month))
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
