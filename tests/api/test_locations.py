"""Issue 22 item 7: a coordinate system applies only to coordinates given in the same request.

Every PATCH that can carry a point (jobs, employers, residents) is walked: ``coord`` alone leaves the
stored point exactly as it was; ``coord`` with lat/lng converts once.
"""

import pytest

from jobcircle.areas.geo.convert import wgs84_to_bd09, wgs84_to_gcj02
from jobcircle.employers.models import Employer, Job
from jobcircle.people.models import Resident
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db

CONVERTERS = {"gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}


@pytest.fixture
def patchable(client, employer_user, community_staff, resident):
    """(url, model, pk) of each record with a location, with the client signed in as someone who may move it."""

    def make(kind):
        if kind == "job":
            job = JobFactory(employer=employer_user.employer)
            client.force_login(employer_user)
            return f"/api/v1/jobs/{job.pk}", Job, job.pk
        if kind == "employer":
            client.force_login(employer_user)
            return f"/api/v1/employers/{employer_user.employer.pk}", Employer, employer_user.employer.pk
        client.force_login(community_staff)
        return f"/api/v1/residents/{resident.pk}", Resident, resident.pk

    return make


def point(model, pk):
    obj = model.objects.get(pk=pk)
    return obj.lat, obj.lng


@pytest.mark.parametrize("coord", CONVERTERS)
@pytest.mark.parametrize("kind", ["job", "employer", "resident"])
def test_a_patch_with_only_a_coordinate_system_leaves_the_point_exactly_unchanged(client, patchable, kind, coord):
    url, model, pk = patchable(kind)
    before = point(model, pk)
    for _ in range(2):
        response = client.patch(url, {"coord": coord}, content_type="application/json")
        assert response.status_code == 200, response.content
    assert point(model, pk) == before


@pytest.mark.parametrize("coord", CONVERTERS)
@pytest.mark.parametrize("kind", ["job", "employer", "resident"])
def test_a_patch_with_coordinates_converts_them_once(client, patchable, kind, coord):
    url, model, pk = patchable(kind)
    wgs_lat, wgs_lng = 33.1650, 115.6300
    lng, lat = CONVERTERS[coord](wgs_lng, wgs_lat)
    response = client.patch(url, {"lat": lat, "lng": lng, "coord": coord}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert point(model, pk) == pytest.approx((wgs_lat, wgs_lng), abs=1e-6)
    moved = point(model, pk)
    client.patch(url, {"crs": coord}, content_type="application/json")
    assert point(model, pk) == moved
