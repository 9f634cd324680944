"""Interactive recommendations through the services other code calls (resident H5, portals)."""

import datetime
import importlib.util

import pytest
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.areas.geo.distance import haversine_m
from jobcircle.classifications.models import Occupation
from jobcircle.employers.enums import JobStatus
from jobcircle.employers.models import Job
from jobcircle.matching import services
from jobcircle.matching.index import job_index
from jobcircle.people.enums import Education
from tests.factories import EmployerFactory, JobFactory

from .helpers import point_near

pytestmark = pytest.mark.django_db
HOME = (33.1600, 115.6200)


def job_at(employer, distance_m, bearing=1.0, **fields):
    lat, lng = point_near(HOME, distance_m, bearing)
    return JobFactory(employer=employer, lat=lat, lng=lng, **fields)


def test_recommendations_respect_every_hard_filter(employer, community, seeker_factory):
    today = timezone.localdate()
    me = seeker_factory(community, max_km=3, education=Education.SENIOR, birth=datetime.date(1970, 1, 1))
    good = job_at(employer, 800, title="合适")
    job_at(employer, 3200, title="太远")
    job_at(employer, 500, title="学历不够", education_min=Education.BACHELOR)
    job_at(employer, 500, title="兼职", work_type="part_time")
    job_at(employer, 500, title="已暂停", status=JobStatus.PAUSED)
    job_at(employer, 500, title="已过期", valid_from=today - datetime.timedelta(days=40),
           valid_until=today - datetime.timedelta(days=1))  # fmt: skip
    recs = services.recommend_jobs(me, k=10)
    assert [r.item.pk for r in recs] == [good.pk]
    assert recs[0].distance_m == pytest.approx(haversine_m(*HOME, good.lat, good.lng), abs=1e-3)


def test_the_seekers_own_maximum_distance_is_the_radius(employer, community, seeker_factory):
    me = seeker_factory(community, max_km=5)
    near, far = job_at(employer, 4500), job_at(employer, 5200)
    assert [r.item.pk for r in services.recommend_jobs(me)] == [near.pk]
    assert far.pk not in [r.item.pk for r in services.recommend_jobs(me)]


def test_a_resident_without_intention_gets_the_three_km_default(employer, community, seeker_factory):
    me = seeker_factory(community, intention=False)
    near = job_at(employer, 2900)
    job_at(employer, 3100)
    assert [r.item.pk for r in services.recommend_jobs(me)] == [near.pk]


def test_reasons_read_like_a_person_would_say_them(employer, community, seeker_factory):
    me = seeker_factory(community, occupations=["4-10-01-05"], min_pay=3000, skills=["护理"])
    job_at(employer, 1234, skills=["护理", "驾驶"])
    (rec,) = services.recommend_jobs(me)
    name = Occupation.objects.get(code="4-10-01-05").name
    assert rec.reasons[:4] == ["距离1.2公里", f"职业对口：{name}", "技能匹配：护理", "薪资符合期望"]
    assert "新发布" in rec.reasons


def test_ranking_is_monotonic_in_distance_when_all_else_is_equal(employer, community, seeker_factory):
    me = seeker_factory(community)
    jobs = [job_at(employer, d) for d in (2500, 100, 1700, 900)]
    recs = services.recommend_jobs(me)
    assert [round(r.distance_m) for r in recs] == sorted(round(r.distance_m) for r in recs)
    assert len(recs) == len(jobs)
    assert all(a.score > b.score for a, b in zip(recs, recs[1:], strict=False))


def test_a_job_closed_after_the_snapshot_is_never_recommended(employer, community, seeker_factory):
    me = seeker_factory(community)
    job = job_at(employer, 300)
    kept = job_at(employer, 600)
    job_index()  # snapshot taken with both jobs open
    Job.objects.filter(pk=job.pk).update(status=JobStatus.CLOSED)  # no signal: the snapshot is stale
    assert [r.item.pk for r in services.recommend_jobs(me)] == [kept.pk]


def test_a_new_job_saved_in_this_process_shows_at_once(employer, community, seeker_factory):
    me = seeker_factory(community)
    assert services.recommend_jobs(me) == []
    job = job_at(employer, 300)
    assert [r.item.pk for r in services.recommend_jobs(me)] == [job.pk]


def test_a_snapshot_past_its_ttl_serves_while_another_thread_rebuilds(employer, community, seeker_factory):
    from jobcircle.matching import index as snapshot_index

    me = seeker_factory(community)
    job = job_at(employer, 300)
    old = job_index()
    old.built_at -= 3600  # past its TTL
    Job.objects.filter(pk=job.pk).update(title="改过")  # no signal: only the TTL brings it in
    with snapshot_index._lock:  # another thread is building
        assert job_index() is old
        assert [r.item.title for r in services.recommend_jobs(me)] == ["改过"]  # rows re-read all the same
    new = job_index()
    assert new is not old and job_index() is new


def test_k_limits_and_ties_go_to_the_older_job(employer, community, seeker_factory):
    me = seeker_factory(community)
    same_place = [job_at(employer, 700) for _ in range(4)]
    assert [r.item.pk for r in services.recommend_jobs(me, k=2)] == [j.pk for j in same_place[:2]]


def test_candidates_are_scoped_ranked_and_filtered_per_seeker(
    employer, community, neighbour_community, community_staff, seeker_factory
):
    job = job_at(employer, 0)
    near = seeker_factory(community, lat=point_near(HOME, 300, 0)[0], lng=point_near(HOME, 300, 0)[1])
    farther = seeker_factory(community, lat=point_near(HOME, 1500, 0)[0], lng=point_near(HOME, 1500, 0)[1])
    seeker_factory(community, lat=point_near(HOME, 4000, 0)[0], lng=point_near(HOME, 4000, 0)[1], max_km=3)
    wide = seeker_factory(community, lat=point_near(HOME, 4000, 0)[0], lng=point_near(HOME, 4000, 0)[1], max_km=5)
    seeker_factory(neighbour_community)  # 2 km away but outside the staff member's community
    recs = services.recommend_candidates(job, scope_for_user(community_staff))
    assert [r.item.pk for r in recs] == [near.pk, farther.pk, wide.pk]


def test_key_group_members_rank_first_among_equals_and_say_why(employer, community, community_staff, seeker_factory):
    job = job_at(employer, 0)
    plain = seeker_factory(community)
    helped = seeker_factory(community, key_groups=["poverty_alleviated"])
    recs = services.recommend_candidates(job, scope_for_user(community_staff))
    assert [r.item.pk for r in recs] == [helped.pk, plain.pk]
    assert "重点群体优先" in recs[0].reasons and "重点群体优先" not in recs[1].reasons


def test_a_closed_job_has_no_candidates(employer, community, community_staff, seeker_factory):
    job = job_at(employer, 0, status=JobStatus.CLOSED)
    seeker_factory(community)
    assert services.recommend_candidates(job, scope_for_user(community_staff)) == []


def test_an_employer_sees_no_residents_until_scoping_allows_it(employer_user, community, seeker_factory):
    job = job_at(employer_user.employer, 0)
    seeker_factory(community)
    assert services.recommend_candidates(job, scope_for_user(employer_user)) == []


def test_recommendations_reach_across_a_county_border(county, community, seeker_factory):
    from tests.factories import region, station

    other_county = region("990122000000", "南河县", 3, county.parent)
    town = region("990122001000", "城关镇", 4, other_county)
    across = region("990122001001", "河东社区", 5, town)
    station(across, *point_near(HOME, 2000, 1.5))
    me = seeker_factory(community)
    job = JobFactory(employer=EmployerFactory(community=across))
    assert [r.item.pk for r in services.recommend_jobs(me)] == [job.pk]


def test_applicants_get_the_engines_reasons_when_the_pair_passes_the_filters(employer, community, seeker_factory):
    job = job_at(employer, 0)
    near = seeker_factory(community, min_pay=3000)
    too_far = seeker_factory(community, lat=point_near(HOME, 4000, 0)[0], lng=point_near(HOME, 4000, 0)[1])
    got = services.explain_candidates(job, [near, too_far])
    assert set(got) == {near.pk}
    assert "薪资符合期望" in got[near.pk].reasons


def test_an_age_bound_hides_no_job_from_an_older_resident(employer, community, seeker_factory):
    """Issue 17: an age condition is wording staff review, never a silent filter (H5 and API read this)."""
    me = seeker_factory(community, birth=datetime.date(1970, 1, 1))
    capped = job_at(employer, 500, title="年龄上限", age_max=35)
    assert capped.pk in [r.item.pk for r in services.recommend_jobs(me, k=10)]


def test_the_postgis_comparison_is_not_reachable_from_the_application(employer, community, seeker_factory, settings):
    """Issue 21: the benchmarks' PostGIS query lives in bench/, and no setting routes a recommendation to it."""
    assert importlib.util.find_spec("jobcircle.matching.postgis") is None
    me = seeker_factory(community)
    near = job_at(employer, 500)
    settings.JOBCIRCLE_MATCHING = {**settings.JOBCIRCLE_MATCHING, "backend": "postgis"}
    assert [r.item.pk for r in services.recommend_jobs(me, k=10)] == [near.pk]
