"""What the 公益性岗位 ledger reports: posts, people on duty, subsidies paid in 万元, and the change
on the period before."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from jobcircle.areas.querysets import AreaValue

from ..models import WelfarePlacement, WelfarePost, WelfareSubsidyPayment
from ..periods import month_start
from ..stats import compare_with_previous, previous_period, wan_yuan


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


def welfare_post_figures(region: AreaValue, start, end) -> WelfareFigures:
    """ "开发公益性岗位N个，安置N人，拨付补贴N万元" for a period.

    - posts: positions (headcount) of the posts developed in the period (term starting in it);
    - placed: distinct people who were on a post at any time in the period;
    - subsidy: post subsidies disbursed for the months of the period, in 万元.
    """
    posts = WelfarePost.objects.in_area(region).filter(term_start__range=(start, end))
    placed = (
        WelfarePlacement.objects.in_area(region).on_duty_between(start, end).values("resident_id").distinct().count()
    )
    paid = (
        WelfareSubsidyPayment.objects.in_area(region)
        .filter(month__gte=month_start(start), month__lte=end)
        .aggregate(total=Sum("amount"))["total"]
    )
    return WelfareFigures(start, end, posts.aggregate(n=Sum("headcount"))["n"] or 0, placed, paid or Decimal("0.00"))


@dataclass(frozen=True)
class PlacedChange:
    current: int
    previous: int

    @property
    def sentence(self) -> str:
        return f"公益性岗位在岗{self.current}人，{compare_with_previous(self.current, self.previous)}"


def welfare_placed_change(region: AreaValue, start, end) -> PlacedChange:
    """People on public-welfare posts this period against the period before ("比上期632人多17人")."""
    before = previous_period(start, end)
    current = welfare_post_figures(region, start, end).placed
    previous = welfare_post_figures(region, *before).placed
    return PlacedChange(current, previous)
