"""What the 公益性岗位 ledger reports for a period (INDICATORS.md):

- 在岗 (stock): people holding a post on the report date — the period's end, or today while it runs;
- 安置 (flow): people whose placement started in the period;
- 比上期: today's stock against the stock on the previous period's report date (the period of the same
  length just before, ``stats.previous_period``);
- the stock split by key group (脱贫人口, 监测对象, 就业困难人员, 残疾人: a person in two groups counts in
  both) and by post type (城镇/乡村);
- posts developed and subsidies disbursed in the period.

The welfare page, its Excel export, the dashboard and the work report all call ``welfare_post_figures``
with the same period, so they cannot disagree.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from jobcircle.areas.querysets import AreaValue
from jobcircle.common.exports import NUMBER, TEXT, Column

from ..enums import PostAreaType
from ..models import WelfarePlacement, WelfarePost, WelfareSubsidyPayment
from ..periods import month_start
from ..services import today
from ..stats import compare_with_previous, previous_period, wan_yuan

# The key groups a public-welfare post serves (WELFARE_ELIGIBLE_GROUPS), in the order reports name them.
WELFARE_GROUPS = (
    ("poverty_alleviated", "脱贫人口"),
    ("monitored", "监测对象"),
    ("employment_difficulty", "就业困难人员"),
    ("disabled", "残疾人"),
)


def report_date(end: datetime.date) -> datetime.date:
    """The day a stock of a period is read on: its end, or today while the period runs."""
    return min(end, today())


def on_duty(region: AreaValue, day: datetime.date):
    """Placements held on ``day``: started by then and not left before it (the exit day is still on duty,
    as the subsidy pays it)."""
    return WelfarePlacement.objects.in_area(region).on_duty_between(day, day)


def placed_in(region: AreaValue, start, end):
    """Placements that started in the period (安置)."""
    return WelfarePlacement.objects.in_area(region).filter(started_on__range=(start, end))


def developed_in(region: AreaValue, start, end):
    """Posts whose term starts in the period (开发)."""
    return WelfarePost.objects.in_area(region).filter(term_start__range=(start, end))


def paid_for(region: AreaValue, start, end):
    """Subsidy payments for the months of the period."""
    return WelfareSubsidyPayment.objects.in_area(region).filter(month__gte=month_start(start), month__lte=end)


def _people(placements) -> int:
    return placements.values("resident_id").distinct().count()


@dataclass(frozen=True)
class WelfareFigures:
    start: datetime.date
    end: datetime.date
    on: datetime.date  # the report date of the stock
    posts: int  # positions (headcount) of the posts developed in the period
    on_duty: int  # people on a post on the report date
    previous_on_duty: int  # the same on the previous period's report date
    placed: int  # people whose placement started in the period
    subsidy_yuan: Decimal  # subsidies disbursed for months in the period
    by_group: dict = field(default_factory=dict)  # key-group code → people on duty
    by_area_type: dict = field(default_factory=dict)  # PostAreaType → people on duty

    @property
    def subsidy_wan(self) -> Decimal:
        return wan_yuan(self.subsidy_yuan)

    @property
    def change(self) -> str:
        """ "比上期632人多17人" """
        return compare_with_previous(self.on_duty, self.previous_on_duty)

    @property
    def sentence(self) -> str:
        return (
            f"公益性岗位在岗{self.on_duty}人，{self.change}；期间开发公益性岗位{self.posts}个，"
            f"新安置{self.placed}人，拨付补贴{self.subsidy_wan}万元"
        )

    @property
    def split(self) -> list[tuple[str, int]]:
        """(label, people on duty) by key group, then by post type — the rows of the page and its export."""
        return [(name, self.by_group.get(code, 0)) for code, name in WELFARE_GROUPS] + [
            (str(label), self.by_area_type.get(value, 0)) for value, label in PostAreaType.choices
        ]


def welfare_post_figures(region: AreaValue, start, end) -> WelfareFigures:
    """ "公益性岗位在岗N人，比上期M人多K人；开发N个，新安置N人，拨付补贴N万元" for a period.

    - 在岗: distinct people on a post on the report date (period end, or today while it runs);
    - 比上期: the same stock on the previous period's report date;
    - 安置: distinct people whose placement started in the period;
    - split of 在岗 by key group (current tags; one person may be in two groups) and post type;
    - posts: headcount of the posts developed (term starting) in the period; subsidy: payments for the
      period's months.
    """
    day = report_date(end)
    before_end = previous_period(start, end)[1]
    holding = on_duty(region, day)
    by_group = dict(
        holding.filter(resident__key_groups__code__in=[code for code, _ in WELFARE_GROUPS])
        .values_list("resident__key_groups__code")
        .annotate(n=Count("resident_id", distinct=True))
        .order_by()
    )
    by_area_type = dict(
        holding.values_list("post__area_type").annotate(n=Count("resident_id", distinct=True)).order_by()
    )
    paid = paid_for(region, start, end).aggregate(total=Sum("amount"))["total"]
    return WelfareFigures(
        start=start,
        end=end,
        on=day,
        posts=developed_in(region, start, end).aggregate(n=Sum("headcount"))["n"] or 0,
        on_duty=_people(holding),
        previous_on_duty=_people(on_duty(region, report_date(before_end))),
        placed=_people(placed_in(region, start, end)),
        subsidy_yuan=paid or Decimal("0.00"),
        by_group=by_group,
        by_area_type=by_area_type,
    )


SPLIT_COLUMNS = [Column("分组", lambda row: row[0], TEXT, 24), Column("在岗（人）", lambda row: row[1], NUMBER, 12)]


def export_rows(figures: WelfareFigures) -> list[tuple[str, int]]:
    """The rows of the welfare page's Excel: the totals, then the split, as the page shows them."""
    return [
        ("公益性岗位在岗（报告日）", figures.on_duty),
        ("上期在岗", figures.previous_on_duty),
        ("期间新安置", figures.placed),
        ("期间开发岗位（个）", figures.posts),
        *((f"其中{label}", value) for label, value in figures.split),
    ]
