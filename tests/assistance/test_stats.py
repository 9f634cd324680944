"""Every reported casework figure comes from one function in assistance.stats; expectations come from the data."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from jobcircle.assistance import services, stats
from jobcircle.assistance.enums import ServiceKind
from jobcircle.assistance.models import MigrationBaseline
from jobcircle.assistance.periods import month_end

from .factories import months_ago, tagged_resident, this_month, welfare_post, workshop

pytestmark = pytest.mark.django_db

AWAY = {"employment_status": "employed", "work_location": "in_province", "months_worked": 1}
LOCAL = {"employment_status": "employed", "work_location": "local", "months_worked": 1}
WILLING = {"employment_status": "unemployed", "not_employed_reason": "no_skills", "wants_work": True}


def record(person, month, data):
    return services.record_monitoring(person, month=month, by=None, data=data)


def whole_percent(part, whole):
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1"), ROUND_HALF_UP))


def test_percent_and_comparison_wording():
    assert stats.percent(3721, 3684) == whole_percent(3721, 3684)
    assert stats.percent(1, 0) is None
    assert stats.compare_with_previous(649, 632) == "比上期632人多17人"
    assert stats.compare_with_previous(630, 632) == "比上期632人少2人"
    assert stats.compare_with_previous(5, 5, "个") == "与上期5个持平"
    assert stats.wan_yuan(Decimal("123456.78")) == Decimal("12.35")


def test_previous_period_of_whole_months_and_of_days():
    assert stats.previous_period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)) == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )
    assert stats.previous_period(datetime.date(2026, 1, 10), datetime.date(2026, 1, 19)) == (
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 9),
    )


@pytest.fixture
def away_people(community, neighbour_community, village):
    """Some people work away in each sub-area, now and last December; a few work locally."""
    december = datetime.date(this_month().year - 1, 12, 1)
    plan = {community: (3, 2), neighbour_community: (1, 2), village: (2, 1)}  # (away now, away in December)
    for area, (now, before) in plan.items():
        for i in range(max(now, before) + 1):
            person = tagged_resident(area, "poverty_alleviated")
            record(person, december, AWAY if i < before else LOCAL)
            record(person, this_month(), AWAY if i < now else LOCAL)
    return plan, december


def test_out_migration_counts_now_against_last_year_end_by_sub_area(away_people, town, county):
    plan, december = away_people
    figures = stats.out_migration(town.scope_prefix, this_month())
    assert [(r.area_name, r.away_now, r.baseline) for r in figures.rows] == [
        (area.name, now, before) for area, (now, before) in plan.items() if area.code.startswith(town.scope_prefix)
    ]
    county_figures = stats.out_migration(county.scope_prefix, this_month())
    now = sum(n for n, _ in plan.values())
    before = sum(b for _, b in plan.values())
    assert county_figures.sentence == f"外出务工{now}人，占上年底{before}人的{whole_percent(now, before)}%"


def test_an_entered_baseline_replaces_the_count_for_its_sub_area(away_people, village, other_township, county):
    plan, december = away_people
    MigrationBaseline.objects.create(area_code=village.code, as_of=month_end(december), away_count=40)
    figures = stats.out_migration(county.scope_prefix, this_month())
    row = next(r for r in figures.rows if r.area_code == other_township.code)
    assert row.baseline == 40 and row.baseline_entered
    assert figures.baseline == 40 + sum(b for area, (_, b) in plan.items() if area != village)


def test_welfare_post_figures_and_change_against_the_previous_period(community, neighbour_community, county):
    post = welfare_post(community, headcount=5, start=months_ago(4))
    other = welfare_post(neighbour_community, headcount=3, start=months_ago(14))
    people = [tagged_resident(community, "employment_difficulty") for _ in range(4)]
    services.place_on_welfare_post(post, people[0], by=None, started_on=months_ago(4))
    services.place_on_welfare_post(post, people[1], by=None, started_on=months_ago(1))
    services.place_on_welfare_post(other, people[2], by=None, started_on=months_ago(12))
    left = services.place_on_welfare_post(other, people[3], by=None, started_on=months_ago(12))
    services.exit_welfare_post(left, by=None, exited_on=months_ago(6), reason="resigned")
    start, end = months_ago(5), month_end(months_ago(1))
    total = Decimal("0.00")
    for month in (months_ago(3), months_ago(2), months_ago(1)):
        total += services.disburse_welfare_subsidies(month, by=None, area_prefix=county.scope_prefix)["total"]
    figures = stats.welfare_post_figures(county.scope_prefix, start, end)
    # developed in the period: only the 5 positions of `post`; on duty in it: people 0, 1 and 2
    assert (figures.posts, figures.placed, figures.subsidy_yuan) == (post.headcount, 3, total)
    assert figures.sentence == f"开发公益性岗位{post.headcount}个，安置3人，拨付补贴{stats.wan_yuan(total)}万元"
    change = stats.welfare_placed_change(county.scope_prefix, start, end)
    before = stats.previous_period(start, end)
    previous = stats.welfare_post_figures(county.scope_prefix, *before).placed
    assert change.previous == previous
    assert change.sentence.endswith(stats.compare_with_previous(3, previous))


def test_workshop_figures_count_the_latest_check_and_skip_cleared_ones(community, village):
    shops = [workshop(community), workshop(community), workshop(village), workshop(village)]
    plan = [("normal", 30, 12), ("buffer", 10, 4), ("cleared", 0, 0), ("normal", 25, 9)]
    for shop, (status, workers, poverty) in zip(shops, plan, strict=True):
        earlier = {"month": months_ago(2), "status": "normal", "workers": 99, "poverty_workers": 1}
        services.record_workshop_check(shop, by=None, data=earlier)
        latest = {"month": months_ago(1), "status": status, "workers": workers, "poverty_workers": poverty}
        services.record_workshop_check(shop, by=None, data=latest)
    kept = [p for p in plan if p[0] != "cleared"]
    figures = stats.workshop_figures(community.code[:6], months_ago(1))
    assert (figures.total, figures.normal) == (len(kept), sum(1 for p in kept if p[0] == "normal"))
    assert figures.sentence == (
        f"共有{len(kept)}个帮扶车间，正常运行{figures.normal}个，"
        f"吸纳务工{sum(p[1] for p in kept)}人，其中脱贫人口{sum(p[2] for p in kept)}人"
    )
    earlier = stats.workshop_figures(community.code[:6], months_ago(2))
    assert (earlier.total, earlier.workers) == (len(shops), 99 * len(shops))


def test_assistance_coverage_reaches_100_percent_when_everyone_willing_got_a_service(community, community_staff):
    willing = [tagged_resident(community, "poverty_alleviated") for _ in range(3)]
    for person in willing:
        record(person, this_month(), WILLING)
    cases = [person.assistance_cases.get() for person in willing]
    for case in cases[:2]:
        services.record_case_service(case, by=community_staff, kind=ServiceKind.GUIDANCE)
    partial = stats.assistance_coverage(community.code, this_month())
    assert (partial.willing, partial.assisted, partial.ratio) == (3, 2, whole_percent(2, 3))
    services.record_case_service(cases[2], by=community_staff, kind=ServiceKind.TRAINING)
    full = stats.assistance_coverage(community.code, this_month())
    assert full.ratio == 100 and "实现了100%就业帮扶" in full.sentence


def test_1131_completions_are_counted_in_coverage_and_case_figures(community, community_staff):
    person = tagged_resident(community, "poverty_alleviated")
    record(person, this_month(), WILLING)
    case = person.assistance_cases.get()
    for kind in ("guidance", "job_info", "job_info", "job_info", "training"):
        services.record_case_service(case, by=community_staff, kind=kind)
    assert stats.assistance_coverage(community.code, this_month()).service_1131_done == 1
    assert stats.case_figures(community.code).open_1131_done == 1


def test_monitoring_progress_counts_done_and_overdue(community):
    people = [tagged_resident(community, "poverty_alleviated") for _ in range(4)]
    services.generate_monitoring_tasks(months_ago(1))
    record(people[0], months_ago(1), LOCAL)
    progress = stats.monitoring_progress(community.code, months_ago(1), on=timezone.localdate())
    assert (progress.tasks, progress.done, progress.overdue) == (4, 1, 3)
    assert progress.ratio == whole_percent(1, 4)
