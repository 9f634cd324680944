"""The 充分就业社区 assessment: every shipped criterion with a passing and a failing community built here."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jobcircle.assistance.enums import TaskState
from jobcircle.assistance.models import MonitoringTask
from jobcircle.communities import services
from jobcircle.communities.enums import Measure
from jobcircle.communities.measures import percent
from jobcircle.communities.models import Standard
from jobcircle.people.models import DifficultyCertification, UnemploymentRegistration, UrbanEmployedBase
from jobcircle.recruiting.models import JobFair
from tests.factories import EmployerFactory, JobFactory, ResidentFactory, make_user, region, station
from tests.households.factories import household, member

from .factories import officer, one_criterion_standard

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def year():
    return today().year


@pytest.fixture
def staff(county):
    from jobcircle.accounts.enums import Role

    return make_user("assessor", Role.COUNTY_ADMIN, area=county)


def result_of(community, measure):
    assessment = services.assess(community, year())
    [result] = [r for r in assessment.results if r.criterion.measure == measure]
    return assessment, result


def test_the_shipped_default_standard_has_every_criterion_and_applies_without_a_county_one(community):
    standard = services.standard_for(community, today())
    assert standard.area_code == ""
    assert {c.measure for c in standard.criteria.all()} == set(Measure.values)
    assert standard.reward >= 6000


def test_a_county_version_wins_over_the_default_and_a_new_version_over_the_old(county, community, staff):
    first = one_criterion_standard(county, Measure.FAIRS_HELD, 1, by=staff)
    second = one_criterion_standard(county, Measure.FAIRS_HELD, 3, by=staff)
    assert (first.number, second.number) == (1, 2)
    assert services.standard_for(community, today()) == second


def test_bad_standard_input_is_refused_naming_the_field_and_writes_nothing(county, staff):
    with pytest.raises(ValidationError) as refused:
        services.new_standard_version(county, by=staff, name="坏\x00标准", valid_from=today(), reward="100", criteria=[
            {"measure": "nonsense", "threshold": 1, "evidence": "x"},
            {"measure": Measure.FAIRS_HELD, "threshold": "-1", "evidence": ""},
        ])  # fmt: skip
    fields = refused.value.message_dict
    assert {"name", "reward", "criteria[0].measure", "criteria[1].threshold", "criteria[1].evidence"} <= set(fields)
    assert not Standard.objects.filter(area_code=county.code).exists()


def _unemployed(community, by, n):
    for _ in range(n):
        person = ResidentFactory(community=community)
        UnemploymentRegistration.objects.create(
            resident=person, registered_on=today() - datetime.timedelta(days=30), area_code=community.code,
            recorded_by=by,
        )  # fmt: skip


def test_unemployment_rate_passes_at_or_below_the_threshold_and_fails_above(
    county, community, neighbour_community, staff
):
    one_criterion_standard(county, Measure.UNEMPLOYMENT_RATE, "4.00")
    for place, unemployed in ((community, 1), (neighbour_community, 10)):
        UrbanEmployedBase.objects.create(area_code=place.code, year=year(), employed=90, recorded_by=staff)
        _unemployed(place, staff, unemployed)
    _, passing = result_of(community, Measure.UNEMPLOYMENT_RATE)
    _, failing = result_of(neighbour_community, Measure.UNEMPLOYMENT_RATE)
    assert passing.passed and passing.records.count() == 1
    assert not failing.passed and failing.value > 4


def test_unemployment_rate_without_an_employed_base_fails_and_says_why(county, community):
    one_criterion_standard(county, Measure.UNEMPLOYMENT_RATE, "4.00")
    _, result = result_of(community, Measure.UNEMPLOYMENT_RATE)
    assert result.value is None and not result.passed and "基数" in result.note


def test_zero_employment_households_pass_when_cleared_and_fail_while_one_is_open(
    county, community, neighbour_community
):
    one_criterion_standard(county, Measure.ZERO_HOUSEHOLDS, 0)
    household(community, [member(community, status="unemployed"), member(community, status="employed")])
    household(neighbour_community, [member(neighbour_community, status="unemployed")])
    assessment, passing = result_of(community, Measure.ZERO_HOUSEHOLDS)
    _, failing = result_of(neighbour_community, Measure.ZERO_HOUSEHOLDS)
    assert passing.passed and assessment.passed
    assert not failing.passed and failing.records.count() == 1


def _difficult(community, by, status):
    person = member(community, status=status)
    DifficultyCertification.objects.create(
        resident=person, category="long_unemployed", valid_from=today() - datetime.timedelta(days=400),
        evidence="认定表", area_code=community.code, recorded_by=by,
    )  # fmt: skip
    return person


def test_difficulty_employment_rate_against_the_threshold(county, community, neighbour_community, staff):
    one_criterion_standard(county, Measure.DIFFICULTY_EMPLOYED, "50")
    _difficult(community, staff, "employed")
    _difficult(community, staff, "unemployed")
    _difficult(neighbour_community, staff, "unemployed")
    _, passing = result_of(community, Measure.DIFFICULTY_EMPLOYED)
    _, failing = result_of(neighbour_community, Measure.DIFFICULTY_EMPLOYED)
    assert passing.passed and passing.value == 50
    assert not failing.passed and failing.value == 0


def test_a_station_counts_only_with_a_named_officer_in_post(county, community, neighbour_community):
    one_criterion_standard(county, Measure.STATION_OFFICER, 1)
    officer(community, "李专干")
    officer(neighbour_community, "王专干", left_on=today() - datetime.timedelta(days=1))
    _, passing = result_of(community, Measure.STATION_OFFICER)
    _, failing = result_of(neighbour_community, Measure.STATION_OFFICER)
    assert passing.passed and "李专干" in passing.note
    assert not failing.passed


def _task(community, *, done_late):
    person = ResidentFactory(community=community)
    month = datetime.date(year(), 1, 1)
    due = month + datetime.timedelta(days=9)
    done_on = due + datetime.timedelta(days=5 if done_late else -1)
    MonitoringTask.objects.create(
        resident=person, month=month, due_on=due, state=TaskState.DONE, area_code=community.code,
        completed_at=timezone.make_aware(datetime.datetime.combine(done_on, datetime.time(10))),
    )  # fmt: skip


def test_monitoring_on_time_counts_tasks_done_by_their_due_day(county, community, neighbour_community):
    if today() < datetime.date(year(), 1, 15):
        pytest.skip("the year's first task is not due yet")
    one_criterion_standard(county, Measure.MONITORING_ON_TIME, "90")
    _task(community, done_late=False)
    _task(neighbour_community, done_late=True)
    _, passing = result_of(community, Measure.MONITORING_ON_TIME)
    _, failing = result_of(neighbour_community, Measure.MONITORING_ON_TIME)
    assert passing.passed and passing.value == 100
    assert not failing.passed and failing.value == 0


def test_fairs_held_in_the_township_count_for_its_communities(county, town, community, village):
    one_criterion_standard(county, Measure.FAIRS_HELD, 1)
    start = timezone.now() - datetime.timedelta(minutes=5)
    JobFair.objects.create(name="春风行动", starts_at=start, ends_at=start, area_code=town.code, sign_in_token="t1")
    _, passing = result_of(community, Measure.FAIRS_HELD)
    _, failing = result_of(village, Measure.FAIRS_HELD)
    assert passing.passed and passing.records.count() == 1
    assert not failing.passed


def test_station_reach_is_the_share_of_residents_within_three_km_of_a_station(county, community, village):
    one_criterion_standard(county, Measure.STATION_REACH, "80")
    ResidentFactory(community=community)  # at the station
    far_town = region("990121201000", "远山乡", 4, county)
    far = region("990121201201", "远山村", 5, far_town)
    station(far, 34.5, 116.5)
    ResidentFactory(community=village, lat=33.60, lng=115.62)  # about 29 km from every station
    _, passing = result_of(community, Measure.STATION_REACH)
    _, failing = result_of(village, Measure.STATION_REACH)
    assert passing.passed and passing.value == 100
    assert not failing.passed and failing.value == 0


def test_jobs_published_in_the_township_in_the_year(county, community, village):
    one_criterion_standard(county, Measure.JOBS_PUBLISHED, 1)
    JobFactory(employer=EmployerFactory(community=community))
    JobFactory(employer=EmployerFactory(community=village), status="draft")
    _, passing = result_of(community, Measure.JOBS_PUBLISHED)
    _, failing = result_of(village, Measure.JOBS_PUBLISHED)
    assert passing.passed and passing.records.count() == 1
    assert not failing.passed


def test_compliance_counts_the_area_s_passing_communities(county, community, neighbour_community, village):
    one_criterion_standard(county, Measure.STATION_OFFICER, 1)
    officer(community)
    result = services.compliance(county, year())
    assert (result.communities, result.passing) == (3, 1)
    assert result.rate == percent(1, 3)
