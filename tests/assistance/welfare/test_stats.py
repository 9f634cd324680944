"""The welfare figures (assistance.welfare.stats), each checked against data counted in the test."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jobcircle.assistance import stats as shared_stats
from jobcircle.assistance.periods import month_end
from jobcircle.assistance.welfare import services as welfare_services
from jobcircle.assistance.welfare import stats as welfare_stats

from ..factories import exported_sheet, months_ago, tagged_resident, this_month, welfare_post

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
    # developed in the period: only the 5 positions of `post`; on duty at its end: people 0, 1 and 2;
    # placed in it: people 0 and 1; on duty at the previous period's end (months_ago(6) ends): person 2 only,
    # person 3 left on that month's first day
    assert (figures.posts, figures.on_duty, figures.placed, figures.subsidy_yuan) == (post.headcount, 3, 2, total)
    assert figures.previous_on_duty == 1
    assert figures.sentence.startswith(f"公益性岗位在岗3人，{shared_stats.compare_with_previous(3, 1)}")
    assert f"拨付补贴{shared_stats.wan_yuan(total)}万元" in figures.sentence


def test_defect_5_on_duty_is_the_stock_on_the_report_date_and_placed_the_flow(community, village, county):
    """Issue 16 defect 5: 在岗 counted everybody on a post at any time in the period (a flow), and 比上期
    compared it with the previous period's flow. 在岗 is the stock on the report date, 安置 the placements that
    started in the period, 比上期 the stock on the previous period's report date; split by group and type."""
    rural = welfare_post(community, headcount=5, start=months_ago(14))
    urban = welfare_post(village, headcount=5, start=months_ago(14))
    urban.area_type = "urban"
    urban.save(update_fields=["area_type"])
    poor = [tagged_resident(community, "poverty_alleviated") for _ in range(3)]
    watched = tagged_resident(village, "monitored", "employment_difficulty")
    hard = tagged_resident(village, "employment_difficulty")
    stays = welfare_services.place_on_welfare_post(rural, poor[0], by=None, started_on=months_ago(12))
    leaves = welfare_services.place_on_welfare_post(rural, poor[1], by=None, started_on=months_ago(12))
    welfare_services.place_on_welfare_post(rural, poor[2], by=None, started_on=months_ago(3))  # started last quarter
    welfare_services.place_on_welfare_post(urban, watched, by=None, started_on=months_ago(2))
    welfare_services.place_on_welfare_post(urban, hard, by=None, started_on=months_ago(1))
    welfare_services.exit_welfare_post(leaves, by=None, exited_on=months_ago(2), reason="found_job")
    start, end = months_ago(2), month_end(months_ago(1))  # two months; the previous two end months_ago(3)
    figures = welfare_stats.welfare_post_figures(county, start, end)
    # on duty at the end: poor 0 and 2, watched, hard (poor 1 left during the period; was on duty in it)
    assert figures.on_duty == 4 and figures.on == end
    # at the previous period's end: poor 0, 1, 2
    assert figures.previous_on_duty == 3
    assert figures.placed == 2  # watched and hard started in the period
    assert figures.change == "比上期3人多1人" and "公益性岗位在岗4人，比上期3人多1人" in figures.sentence
    assert figures.by_group == {"poverty_alleviated": 2, "monitored": 1, "employment_difficulty": 2}
    assert figures.by_area_type == {"rural": 2, "urban": 2}
    assert stays.is_active


def test_the_welfare_page_and_its_export_show_the_months_figures(client, county_admin, community):
    post = welfare_post(community, headcount=3, start=months_ago(14))
    people = [tagged_resident(community, "poverty_alleviated") for _ in range(2)]
    welfare_services.place_on_welfare_post(post, people[0], by=None, started_on=months_ago(6))
    welfare_services.place_on_welfare_post(post, people[1], by=None, started_on=this_month())
    client.force_login(county_admin)
    page = client.get(reverse("assistance:post_list"))
    figures = page.context["figures"]
    assert (figures.on_duty, figures.previous_on_duty, figures.placed) == (2, 1, 1)
    assert "公益性岗位在岗2人，比上期1人多1人" in page.content.decode()
    sheet = exported_sheet(client.get(reverse("assistance:post_list"), {"export": "figures"}))
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["公益性岗位在岗（报告日）"] == 2 and values["上期在岗"] == 1 and values["其中脱贫人口"] == 2
    assert values["期间新安置"] == 1 and values["其中乡村公益性岗位"] == 2
