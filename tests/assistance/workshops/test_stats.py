"""The workshops figures (assistance.workshops.stats), each checked against data counted in the test."""

import pytest

from jobcircle.areas.codes import Area
from jobcircle.assistance.workshops import services as workshop_services
from jobcircle.assistance.workshops import stats as workshop_stats

from ..factories import months_ago, workshop

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
        f"共有{len(kept)}个帮扶车间，正常运行{figures.normal}个，"
        f"吸纳务工{sum(p[1] for p in kept)}人，其中脱贫人口{sum(p[2] for p in kept)}人"
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
