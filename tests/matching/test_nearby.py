"""Nearby search equals a brute-force haversine scan, on SQLite and PostgreSQL alike."""

import datetime
import math

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobcircle.areas.geo.distance import haversine_m
from jobcircle.employers.enums import JobStatus
from jobcircle.employers.models import Job
from jobcircle.matching.services import nearby_jobs
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db

CENTER = (33.1600, 115.6200)


def _point_near(center, distance_m, bearing):
    lat = center[0] + distance_m * math.cos(bearing) / 111_320
    lng = center[1] + distance_m * math.sin(bearing) / (111_320 * math.cos(math.radians(center[0])))
    return lat, lng


points = st.lists(st.tuples(st.floats(0, 12_000), st.floats(0, 2 * math.pi)), min_size=1, max_size=40)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    offsets=points,
    query=st.tuples(st.floats(0, 3_000), st.floats(0, 2 * math.pi)),
    radius_km=st.sampled_from([0.5, 1, 3, 5, 8, 15, 50]),
)
def test_nearby_equals_brute_force_haversine(employer, offsets, query, radius_km):
    Job.objects.all().delete()
    for distance, bearing in offsets:
        lat, lng = _point_near(CENTER, distance, bearing)
        JobFactory(employer=employer, lat=lat, lng=lng)
    q_lat, q_lng = _point_near(CENTER, *query)
    expected = sorted(
        (haversine_m(q_lat, q_lng, job.lat, job.lng), job.pk)
        for job in Job.objects.all()
        if haversine_m(q_lat, q_lng, job.lat, job.lng) <= radius_km * 1000
    )
    page = nearby_jobs(q_lat, q_lng, radius_km, limit=100)
    assert page.count == len(expected)
    # The database's floating point may order two jobs a nanometre apart either way: compare
    # the order with a micrometre tolerance, and each distance with the Python formula.
    exact = dict((pk, distance) for distance, pk in expected)
    assert sorted(job.pk for job in page.items) == sorted(exact)
    got = [exact[job.pk] for job in page.items]
    assert all(a <= b + 1e-6 for a, b in zip(got, got[1:], strict=False))
    for job in page.items:
        assert job.distance_m == pytest.approx(exact[job.pk], abs=1e-3)


def test_results_are_sorted_by_distance_and_paged(employer):
    for distance in (2500, 300, 1200, 2900, 50):
        JobFactory(
            employer=employer, lat=_point_near(CENTER, distance, 1.0)[0], lng=_point_near(CENTER, distance, 1.0)[1]
        )
    first = nearby_jobs(*CENTER, limit=2)
    second = nearby_jobs(*CENTER, limit=2, offset=2)
    distances = [round(j.distance_m) for j in first.items + second.items]
    assert first.count == 5
    assert distances == sorted(distances)
    assert distances[0] == pytest.approx(50, abs=1)


def test_only_open_jobs_within_their_validity_are_listed(employer):
    today = timezone.localdate()
    open_job = JobFactory(employer=employer)
    JobFactory(employer=employer, status=JobStatus.PAUSED)
    JobFactory(employer=employer, status=JobStatus.DRAFT)
    JobFactory(
        employer=employer,
        valid_from=today - datetime.timedelta(days=40),
        valid_until=today - datetime.timedelta(days=1),
    )
    assert [job.pk for job in nearby_jobs(*CENTER).items] == [open_job.pk]


def test_a_job_disappears_when_the_clock_passes_its_valid_until(employer):
    job = JobFactory(employer=employer)
    assert nearby_jobs(*CENTER, today=job.valid_until).count == 1
    assert nearby_jobs(*CENTER, today=job.valid_until + datetime.timedelta(days=1)).count == 0


def test_a_point_just_outside_the_radius_is_excluded(employer):
    inside = JobFactory(employer=employer, lat=_point_near(CENTER, 2990, 0.3)[0], lng=_point_near(CENTER, 2990, 0.3)[1])
    JobFactory(employer=employer, lat=_point_near(CENTER, 3010, 0.3)[0], lng=_point_near(CENTER, 3010, 0.3)[1])
    assert [job.pk for job in nearby_jobs(*CENTER, 3).items] == [inside.pk]


def test_a_job_closed_after_the_snapshot_leaves_the_page(employer):
    from jobcircle.matching.index import job_index

    closed = JobFactory(employer=employer)
    kept = JobFactory(employer=employer, lat=_point_near(CENTER, 500, 1.0)[0], lng=_point_near(CENTER, 500, 1.0)[1])
    job_index()
    Job.objects.filter(pk=closed.pk).update(status=JobStatus.CLOSED)  # no signal: the snapshot is stale
    assert [job.pk for job in nearby_jobs(*CENTER).items] == [kept.pk]


def test_work_type_filters_the_page(employer):
    JobFactory(employer=employer)
    gig = JobFactory(employer=employer, work_type="gig")
    assert [job.pk for job in nearby_jobs(*CENTER, work_type="gig").items] == [gig.pk]
    assert nearby_jobs(*CENTER, work_type="nonsense").count == 0
