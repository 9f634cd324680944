"""附近岗位 on the H5 page and through the API: one service (``matching.services.nearby_results``), one answer."""

import pytest
from django.urls import reverse

from jobcircle.employers.enums import JobStatus
from jobcircle.employers.models import Job
from tests.factories import JobFactory, make_user
from tests.matching.conftest import make_seeker
from tests.matching.helpers import point_near

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker_with_jobs(community, employer):
    """A seeker who accepts 5 km, and jobs around their home: inside and outside it, ties, closed ones,
    more than one page of them."""
    home = community.stations.first()
    me = make_seeker(community, lat=home.lat, lng=home.lng, max_km=5)
    centre = (home.lat, home.lng)
    for n in range(24):  # 200 m to 6 km
        lat, lng = point_near(centre, 200 + 250 * n, bearing=0.3 * n)
        JobFactory(employer=employer, lat=lat, lng=lng, work_type="part_time" if n % 3 == 0 else "full_time",
                   pay_min=2000, pay_max=3000 + 500 * n)  # fmt: skip
    lat, lng = point_near(centre, 900, bearing=2.0)
    JobFactory.create_batch(2, employer=employer, lat=lat, lng=lng)  # a tie: the smaller id first
    JobFactory(employer=employer, lat=lat, lng=lng, status=JobStatus.PAUSED)
    return me


def h5_ids(client, **query):
    page = client.get(reverse("portal:m_jobs"), query)
    assert page.status_code == 200
    return page.context["page_obj"].paginator.count, [job.pk for job in page.context["page_obj"].object_list]


def api_ids(client, resident, **query):
    response = client.get(f"/api/v1/residents/{resident.pk}/nearby-jobs", {"limit": 20, **query})
    assert response.status_code == 200
    body = response.json()
    return body["count"], [item["id"] for item in body["items"]]


def test_the_h5_page_and_the_api_give_the_same_nearby_jobs_in_the_same_order(client, seeker_with_jobs):
    client.force_login(make_user("seeker_user", "resident", resident=seeker_with_jobs))
    first = h5_ids(client)
    assert first == api_ids(client, seeker_with_jobs)
    assert first[0] > 20 and len(first[1]) == 20  # more than one page, and the default radius is theirs (5 km)
    assert h5_ids(client, page=2) == api_ids(client, seeker_with_jobs, offset=20)
    assert h5_ids(client, radius_km="3") == api_ids(client, seeker_with_jobs, radius_km=3)
    # A job moved by another process (no signal here): both answers come from the same snapshot
    # until it is rebuilt, never one from the snapshot and one from the database.
    nearest = first[1][0]
    Job.objects.filter(pk=nearest).update(lat=seeker_with_jobs.lat + 1)
    assert h5_ids(client) == api_ids(client, seeker_with_jobs)


def test_the_h5_filters_are_answered_by_the_snapshot_as_the_database_would(client, seeker_with_jobs, employer):
    client.force_login(make_user("seeker_user", "resident", resident=seeker_with_jobs))
    me = seeker_with_jobs
    around = Job.objects.open().within(me.lat, me.lng, 5000).order_by("distance_m", "id")
    expected = list(around.filter(work_type="full_time", pay_max__gte=6000).values_list("pk", flat=True))
    count, ids = h5_ids(client, work_type="full_time", min_pay=6000)
    assert (count, ids) == (len(expected), expected[:20]) and count > 0
    code = Job.objects.first().occupation.code
    expected = list(around.filter(occupation__code__startswith=code[:4]).values_list("pk", flat=True))
    assert h5_ids(client, occupation=code[:4]) == (len(expected), expected[:20])
