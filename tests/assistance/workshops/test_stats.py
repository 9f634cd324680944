"""The workshops figures (assistance.workshops.stats), each checked against data counted in the test."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jobcircle.areas.codes import Area
from jobcircle.assistance.periods import add_months
from jobcircle.assistance.workshops import services as workshop_services
from jobcircle.assistance.workshops import stats as workshop_stats

from ..factories import exported_sheet, months_ago, this_month, workshop

pytestmark = pytest.mark.django_db


def test_workshop_figures_count_the_latest_check_and_skip_cleared_ones(community, village):
    shops = [workshop(community), workshop(community), workshop(village), workshop(village)]
    plan = [("normal", 30, 12), ("buffer", 10, 4), ("cleared", 0, 0), ("normal", 25, 9)]
    for shop, (status, workers, poverty) in zip(shops, plan, strict=True):
        earlier = {"month": months_ago(2), "status": "normal", "workers": 99, "poverty_workers": 1}
        workshop_services.record_workshop_check(shop, by=None, data=earlier)
        latest = {"month": months_ago(1), "status": status, "workers": workers, "poverty_workers": poverty}
        workshop_services.record_workshop_check(shop, by=None, data=latest)
    kept = [p for p in plan if p[0] != "cleared"]
    figures = workshop_stats.workshop_figures(Area(community.code[:6]), months_ago(1))
    assert (figures.total, figures.normal) == (len(kept), sum(1 for p in kept if p[0] == "normal"))
    assert figures.sentence == (
        f"共有{len(kept)}个帮扶车间，今年新增0个，正常运行{figures.normal}个，缓冲监测1个，"
        f"吸纳务工{sum(p[1] for p in kept)}人，其中脱贫人口和监测对象{sum(p[2] for p in kept)}人"
    )
    earlier = workshop_stats.workshop_figures(Area(community.code[:6]), months_ago(2))
    assert (earlier.total, earlier.workers) == (len(shops), 99 * len(shops))


def test_workshop_figures_leave_out_other_areas_and_count_poverty_workers(community, village):
    plan = {community: [(12, 5), (7, 7)], village: [(40, 20)]}
    for area, checks in plan.items():
        for workers, poverty in checks:
            data = {"month": months_ago(1), "status": "normal", "workers": workers, "poverty_workers": poverty}
            workshop_services.record_workshop_check(workshop(area), by=None, data=data)
    figures = workshop_stats.workshop_figures(community, months_ago(1))
    assert (figures.total, figures.workers) == (len(plan[community]), sum(w for w, _ in plan[community]))
    assert figures.poverty_workers == sum(p for _, p in plan[community])


def test_workshop_figures_of_a_township_count_its_communities_and_not_the_rest_of_the_county(
    town, community, neighbour_community, village
):
    for area in (community, neighbour_community, village, village):
        workshop(area)
    month = months_ago(1)
    assert workshop_stats.workshop_figures(town, month).total == 2
    # A typed code (no Region row needed) filters the same as the Region it names.
    assert workshop_stats.workshop_figures(Area(town.code[:9]), month) == workshop_stats.workshop_figures(town, month)
    assert workshop_stats.workshop_figures(Area(town.code[:6]), month).total == 4


def test_defect_6_a_month_without_a_check_carries_the_last_one_in_the_sentence_and_the_excel(
    client, county_admin, community, village
):
    """Issue 16 defect 6: the monthly Excel left a workshop without that month's check blank while the sentence
    carried its last check forward; both now carry it forward and the Excel marks it "沿用N月"."""
    month, earlier = months_ago(1), months_ago(3)
    checked, carried = workshop(community), workshop(village)
    workshop_services.record_workshop_check(checked, by=None, data={
        "month": month, "status": "normal", "workers": 20, "poverty_workers": 6, "monitored_workers": 2,
        "subsidy_granted": "500"})  # fmt: skip
    workshop_services.record_workshop_check(carried, by=None, data={
        "month": earlier, "status": "buffer", "workers": 9, "poverty_workers": 3, "monitored_workers": 1,
        "subsidy_granted": "300"})  # fmt: skip
    figures = workshop_stats.workshop_figures(Area(community.code[:6]), month, since=earlier)
    assert (figures.total, figures.carried, figures.workers, figures.key_workers) == (2, 1, 20 + 9, 6 + 2 + 3 + 1)
    assert (figures.buffer, figures.normal, figures.subsidy_yuan) == (1, 1, Decimal("800.00"))
    assert "吸纳务工29人，其中脱贫人口和监测对象12人" in figures.sentence
    client.force_login(county_admin)
    sheet = exported_sheet(
        client.get(reverse("assistance:workshop_list"), {"month": f"{month:%Y-%m}", "export": "xlsx"})
    )
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row and "车间编号" in row)
    by_code = {
        row[header.index("车间编号")]: dict(zip(header, row, strict=True)) for row in rows[rows.index(header) + 1 :]
    }
    said = f"沿用{earlier.month}月" if earlier.year == month.year else f"沿用{earlier:%Y}年{earlier.month}月"
    assert (by_code[carried.code]["务工人数"], by_code[carried.code]["核查说明"]) == (9, said)
    assert by_code[checked.code]["核查说明"] == "本月核查" and by_code[checked.code]["其中监测对象"] == 2
    assert sum(row["务工人数"] for row in by_code.values()) == figures.workers


def test_workshops_certified_this_year_are_counted_new(community):
    month = this_month()
    old, new = (
        workshop(community, certified_on=add_months(month.replace(month=1), -1)),
        workshop(community, certified_on=month),
    )
    assert (old, new) and workshop_stats.workshop_figures(community, month).new_this_year == 1
