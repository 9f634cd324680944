"""The monitoring figures (assistance.monitoring.stats), each checked against data counted in the test."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.assistance.models import MigrationBaseline
from jobcircle.assistance.monitoring import services as monitoring_services
from jobcircle.assistance.monitoring import stats as monitoring_stats
from jobcircle.assistance.periods import month_end

from ..factories import months_ago, record, tagged_resident, this_month, whole_percent

pytestmark = pytest.mark.django_db


AWAY = {"employment_status": "employed", "work_location": "in_province", "months_worked": 1}


LOCAL = {"employment_status": "employed", "work_location": "local", "months_worked": 1}


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
    figures = monitoring_stats.out_migration(town, this_month())
    assert [(r.area_name, r.away_now, r.baseline) for r in figures.rows] == [
        (area.name, now, before) for area, (now, before) in plan.items() if area.code.startswith(town.scope_prefix)
    ]
    county_figures = monitoring_stats.out_migration(county, this_month())
    now = sum(n for n, _ in plan.values())
    before = sum(b for _, b in plan.values())
    assert county_figures.sentence == f"外出务工{now}人，占上年底{before}人的{whole_percent(now, before)}%"


def test_an_entered_baseline_replaces_the_count_for_its_sub_area(away_people, village, other_township, county):
    plan, december = away_people
    MigrationBaseline.objects.create(area_code=village.code, as_of=month_end(december), away_count=40)
    figures = monitoring_stats.out_migration(county, this_month())
    row = next(r for r in figures.rows if r.area_code == other_township.code)
    assert row.baseline == 40 and row.baseline_entered
    assert figures.baseline == 40 + sum(b for area, (_, b) in plan.items() if area != village)


def test_monitoring_progress_counts_done_and_overdue(community):
    people = [tagged_resident(community, "poverty_alleviated") for _ in range(4)]
    monitoring_services.generate_monitoring_tasks(months_ago(1))
    record(people[0], months_ago(1), LOCAL)
    progress = monitoring_stats.monitoring_progress(community, months_ago(1), on=timezone.localdate())
    assert (progress.tasks, progress.done, progress.overdue) == (4, 1, 3)
    assert progress.ratio == whole_percent(1, 4)
