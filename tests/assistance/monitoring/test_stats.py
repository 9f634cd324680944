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


def test_defect_7_a_person_who_moved_counts_where_they_lived_in_the_month_on_screen_and_in_the_export(
    client, county_admin, township_staff, other_township_staff, town, other_township, community, village
):
    """Issue 16 defect 7: after a move the task stayed with the old township (100% done there) while the record
    followed the person (exported by the new one). Both now count the person where the month's record was made."""
    from django.urls import reverse

    from jobcircle.accounts.access import scope_for_user
    from jobcircle.people.services import update_resident

    from ..factories import exported_sheet

    mover, stayer = (tagged_resident(community, "poverty_alleviated") for _ in range(2))
    monitoring_services.generate_monitoring_tasks(this_month())
    update_resident(mover, by=county_admin, scope=scope_for_user(county_admin), data={"community_code": village.code})
    record(mover, this_month(), LOCAL)
    on = timezone.localdate()
    old, new = (monitoring_stats.monitoring_progress(area, this_month(), on=on) for area in (town, other_township))
    assert (old.tasks, old.done, new.tasks, new.done) == (1, 0, 1, 1)
    for staff, region, done in ((township_staff, town, old.done), (other_township_staff, other_township, new.done)):
        client.force_login(staff)
        page = client.get(reverse("assistance:task_list"), {"month": f"{this_month():%Y-%m}"})
        assert [task.resident_id for task in page.context["page_obj"]] == [
            stayer.pk if region == town else mover.pk
        ] and page.context["progress"].done == done
        sheet = exported_sheet(client.get(reverse("assistance:task_list"), {"export": "xlsx"}))
        exported = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row and row[0]]
        assert len(exported) == done  # the records ledger lists the month's done tasks of the area
    task = mover.monitoring_tasks.get()
    client.force_login(township_staff)
    assert client.get(reverse("assistance:record_task", args=[task.pk])).status_code == 404
    client.force_login(other_township_staff)
    assert client.get(reverse("assistance:record_task", args=[task.pk])).status_code == 200


def test_work_scale_counts_poverty_and_monitored_workers_by_place_with_the_months_rule(settings, community, village):
    month = this_month()
    settings.JOBCIRCLE_WORK_SCALE_MIN_MONTHS, settings.JOBCIRCLE_TRANSFER_MIN_MONTHS = 1, month.month
    plan = [  # (key group, where, months worked this year)
        ("poverty_alleviated", "local", 1), ("monitored", "in_province", month.month),
        ("monitored", "out_of_province", 1), ("graduate", "local", month.month),
    ]  # fmt: skip
    for group, where, months in plan:
        person = tagged_resident(village if group == "graduate" else community, group)
        record(person, month, {"employment_status": "employed", "work_location": where, "months_worked": months})
    record(tagged_resident(community, "poverty_alleviated"), month, {
        "employment_status": "unemployed", "not_employed_reason": "no_skills", "wants_work": True})  # fmt: skip
    scale = monitoring_stats.work_scale(community.parent, month)
    assert (scale.local, scale.in_province, scale.out_of_province, scale.total) == (1, 1, 1, 3)  # not the graduate
    assert scale.transfer == (1 if month.month > 1 else 3)  # a whole year's months so far (all, in January)
    county_scale = monitoring_stats.work_scale(community.parent.parent, month)
    assert county_scale.total == 3 and county_scale.transfer == scale.transfer + 1  # the graduate transferred too
    settings.JOBCIRCLE_WORK_SCALE_MIN_MONTHS = month.month + 1  # nobody has worked that long yet this year
    assert monitoring_stats.work_scale(community.parent, month).total == 0
