"""The welfare figures (assistance.welfare.stats), each checked against data counted in the test."""

from decimal import Decimal

import pytest

from jobcircle.assistance import stats as shared_stats
from jobcircle.assistance.periods import month_end
from jobcircle.assistance.welfare import services as welfare_services
from jobcircle.assistance.welfare import stats as welfare_stats

from ..factories import months_ago, tagged_resident, welfare_post

pytestmark = pytest.mark.django_db


def test_welfare_post_figures_and_change_against_the_previous_period(community, neighbour_community, county):
    post = welfare_post(community, headcount=5, start=months_ago(4))
    other = welfare_post(neighbour_community, headcount=3, start=months_ago(14))
    people = [tagged_resident(community, "employment_difficulty") for _ in range(4)]
    welfare_services.place_on_welfare_post(post, people[0], by=None, started_on=months_ago(4))
    welfare_services.place_on_welfare_post(post, people[1], by=None, started_on=months_ago(1))
    welfare_services.place_on_welfare_post(other, people[2], by=None, started_on=months_ago(12))
    left = welfare_services.place_on_welfare_post(other, people[3], by=None, started_on=months_ago(12))
    welfare_services.exit_welfare_post(left, by=None, exited_on=months_ago(6), reason="resigned")
    start, end = months_ago(5), month_end(months_ago(1))
    total = Decimal("0.00")
    for month in (months_ago(3), months_ago(2), months_ago(1)):
        total += welfare_services.disburse_welfare_subsidies(month, by=None, region=county)["total"]
    figures = welfare_stats.welfare_post_figures(county, start, end)
    # developed in the period: only the 5 positions of `post`; on duty in it: people 0, 1 and 2
    assert (figures.posts, figures.placed, figures.subsidy_yuan) == (post.headcount, 3, total)
    assert figures.sentence == f"开发公益性岗位{post.headcount}个，安置3人，拨付补贴{shared_stats.wan_yuan(total)}万元"
    change = welfare_stats.welfare_placed_change(county, start, end)
    before = shared_stats.previous_period(start, end)
    previous = welfare_stats.welfare_post_figures(county, *before).placed
    assert change.previous == previous
    assert change.sentence.endswith(shared_stats.compare_with_previous(3, previous))
