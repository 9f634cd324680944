"""Issue 21: one rule for a resident's home point, shared by the staff form, the API and the ledger import.

A change of community moves the home point to the new community's default location (its station,
else a stand-in with a warning), unless the person's own point was given in the same input; an update
that keeps the community keeps the point.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from jobcircle.areas.stations import location_for_community
from jobcircle.assistance.enums import ImportKind
from tests.assistance.test_imports import RESIDENT_HEADERS, run, xlsx
from tests.factories import ResidentFactory, demo_id_number, region

pytestmark = pytest.mark.django_db

OWN_POINT = (33.1655, 115.6255)  # the person's own home, away from every station of the fixtures


@pytest.fixture
def mover(community):
    return ResidentFactory(community=community, lat=OWN_POINT[0], lng=OWN_POINT[1])


@pytest.fixture
def stationless(town):
    """A community of the town without its own service station: placed by a stand-in, with a warning."""
    return region("990121001009", "新建社区", 5, town)


def home(resident):
    resident.refresh_from_db()
    return resident.lat, resident.lng


def default_home(community):
    point = location_for_community(community)
    return point.lat, point.lng


def edit_form(client, resident, community_code):
    return client.post(reverse("people:resident_edit", args=[resident.pk]), {
        "name": resident.name, "id_type": "resident_id", "id_number": "", "community_code": community_code,
        "employment_status": "unemployed", "phone": "",
    })  # fmt: skip


def test_the_staff_form_moving_a_resident_moves_the_home_point(client, township_staff, mover, neighbour_community):
    client.force_login(township_staff)
    response = edit_form(client, mover, neighbour_community.code)
    assert response.status_code == 302
    assert home(mover) == default_home(neighbour_community) != OWN_POINT


def test_the_staff_form_shows_the_stand_in_warning_of_a_community_without_a_station(
    client, township_staff, mover, stationless
):
    client.force_login(township_staff)
    response = edit_form(client, mover, stationless.code)
    assert home(mover) == default_home(stationless)
    warning = location_for_community(stationless).warning
    assert warning and warning in [str(m) for m in get_messages(response.wsgi_request)]


def test_an_api_patch_of_the_community_moves_the_home_point(client, township_staff, mover, neighbour_community):
    client.force_login(township_staff)
    url = f"/api/v1/residents/{mover.pk}"
    response = client.patch(url, {"community_code": neighbour_community.code}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert home(mover) == default_home(neighbour_community) != OWN_POINT


def test_an_api_patch_of_the_community_with_its_own_point_keeps_that_point(
    client, township_staff, mover, neighbour_community
):
    client.force_login(township_staff)
    given = (33.1590, 115.6420)
    response = client.patch(
        f"/api/v1/residents/{mover.pk}",
        {"community_code": neighbour_community.code, "lat": given[0], "lng": given[1]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    mover.refresh_from_db()
    assert mover.community == neighbour_community and home(mover) == given


def test_an_api_patch_to_a_community_without_a_station_returns_the_stand_in_warning(
    client, township_staff, mover, stationless
):
    client.force_login(township_staff)
    response = client.patch(
        f"/api/v1/residents/{mover.pk}", {"community_code": stationless.code}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert location_for_community(stationless).warning in response.json()["warnings"]
    assert home(mover) == default_home(stationless)


@pytest.mark.parametrize("target", ["neighbour_community", "stationless"])
def test_the_import_and_the_form_give_the_same_point_for_the_same_change(
    request, client, township_staff, community, target
):
    target = request.getfixturevalue(target)
    by_form = ResidentFactory(community=community, lat=OWN_POINT[0], lng=OWN_POINT[1])
    number = demo_id_number()
    by_import = ResidentFactory(community=community, id_number=number, lat=OWN_POINT[0], lng=OWN_POINT[1])
    client.force_login(township_staff)
    edit_form(client, by_form, target.code)
    row = [by_import.name, number, "", target.code, "", "", "", ""]
    batch = run(township_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, [row]))
    by_import.refresh_from_db()
    assert by_import.community == target
    assert home(by_import) == home(by_form) == default_home(target) != OWN_POINT
    warning = location_for_community(target).warning
    assert not warning or warning in batch.message


@pytest.mark.parametrize("how", ["form", "api"])
def test_an_update_that_keeps_the_community_keeps_the_point(client, township_staff, mover, community, how):
    client.force_login(township_staff)
    if how == "form":
        assert edit_form(client, mover, community.code).status_code == 302
    else:
        response = client.patch(
            f"/api/v1/residents/{mover.pk}",
            {"community_code": community.code, "is_job_seeking": False},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    assert home(mover) == OWN_POINT


def test_an_import_row_that_keeps_the_community_keeps_the_point(township_staff, community):
    number = demo_id_number()
    mover = ResidentFactory(community=community, id_number=number, lat=OWN_POINT[0], lng=OWN_POINT[1])
    row = [mover.name, number, "", community.code, "", "已就业", "", ""]
    run(township_staff, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, [row]))
    mover.refresh_from_db()
    assert mover.employment_status == "employed" and home(mover) == OWN_POINT
