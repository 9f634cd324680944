"""What casework reports: the share of people wanting work who were assisted (实现了100%就业帮扶),
and open cases with their 1131 completions."""

import datetime
from dataclasses import dataclass

from jobcircle.areas.querysets import AreaValue
from jobcircle.people.enums import EmploymentStatus

from ..enums import CaseState
from ..models import AssistanceCase, CaseService, MonitoringRecord
from ..periods import month_end, parse_month
from ..stats import percent
from .services import DONE_1131, done_1131, with_1131_counts


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


def assistance_coverage(region: AreaValue, month) -> Coverage:
    """Unemployed-but-willing people and the share assisted ("实现了100%就业帮扶").

    - willing: residents whose record for the month is 未就业 with 有就业意愿;
    - assisted: of them, those with at least one service logged under a case opened by the month's end,
      dated no later than the month's end;
    - 1131 done: of them, those with the full set (services.GOAL_1131): ≥1 policy briefing, ≥1 guidance,
      ≥3 job offers and ≥1 training or internship place.
    """
    month = parse_month(month)
    end = month_end(month)
    willing = set(
        MonitoringRecord.objects.in_area(region)
        .filter(
            month=month,
            employment_status=EmploymentStatus.UNEMPLOYED,
            wants_work=True,
        )
        .values_list("resident_id", flat=True)
    )
    services = CaseService.objects.filter(
        case__resident_id__in=willing, case__opened_on__lte=end, provided_on__lte=end
    ).values_list("case__resident_id", "kind")
    counts: dict[int, dict[str, int]] = {}
    for resident_id, kind in services:
        per = counts.setdefault(resident_id, {})
        per[kind] = per.get(kind, 0) + 1
    done = sum(1 for per in counts.values() if done_1131(per))
    return Coverage(month, len(willing), len(counts), done)


@dataclass(frozen=True)
class CaseFigures:
    open: int
    closed_employed: int
    open_1131_done: int

    @property
    def sentence(self) -> str:
        return f"在帮{self.open}人（其中完成“1131”服务{self.open_1131_done}人），已就业结案{self.closed_employed}人"


def case_figures(region: AreaValue) -> CaseFigures:
    """Cases open now, cases closed because the person found work, open cases whose 1131 is complete."""
    cases = AssistanceCase.objects.in_area(region)
    open_cases = with_1131_counts(cases.open())
    done = open_cases.filter(**DONE_1131).count()
    return CaseFigures(open_cases.count(), cases.filter(state=CaseState.CLOSED).count(), done)
