"""Area scoping through every API route (SEC-09): out of scope looks exactly like missing (404)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from jobcircle.accounts.models import ApiToken
from tests.factories import JobFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def api_object_routes():
    """(path template, kinds of id it takes) for every /api/v1 route with an object id, from the URLconf."""
    routes = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and "<int:" in str(p.pattern):
                routes.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "/")
    return [r for r in routes if r.startswith("/api/v1/")]


def test_the_route_list_covers_residents_employers_and_jobs():
    routes = " ".join(api_object_routes())
    for kind in ("residents/<int:resident_id>", "employers/<int:employer_id>", "jobs/<int:job_id>"):
        assert kind in routes


@pytest.fixture
def objects_in_neighbour_community(neighbour_community):
    from tests.factories import EmployerFactory

    employer = EmployerFactory(community=neighbour_community)
    return {
        "resident_id": ResidentFactory(community=neighbour_community).pk,
        "employer_id": employer.pk,
        "job_id": JobFactory(employer=employer).pk,
    }


def _call(client, method, path, **headers):
    if method == "get":
        return client.get(path, **headers)
    body = {"status": "paused", "fields": ["id_number"], "reason": "核对申请材料"}  # valid for every route
    return getattr(client, method)(path, body, content_type="application/json", **headers)


def _concrete(route, ids):
    for name, value in ids.items():
        route = route.replace(f"<int:{name}>", str(value))
    return route


@pytest.mark.parametrize("method", ["get", "patch", "post"])
def test_community_staff_get_404_for_another_communitys_objects_on_every_route(
    client, community_staff, objects_in_neighbour_community, method
):
    client.force_login(community_staff)
    checked = 0
    for route in api_object_routes():
        path = _concrete(route, objects_in_neighbour_community)
        if "<" in path:  # an id kind this fixture does not build (e.g. recruiting: tested in tests/recruiting)
            continue
        response = _call(client, method, path)
        if response.status_code == 405:  # route does not take this method
            continue
        checked += 1
        assert response.status_code == 404, (route, method, response.content)
    assert checked > 0


def test_township_staff_see_their_communities_but_not_another_township(
    client, township_staff, other_township_staff, resident
):
    client.force_login(township_staff)
    assert client.get(f"/api/v1/residents/{resident.pk}").status_code == 200
    client.force_login(other_township_staff)
    assert client.get(f"/api/v1/residents/{resident.pk}").status_code == 404


def test_lists_hold_only_the_callers_area(client, community_staff, resident, neighbour_community):
    ResidentFactory(community=neighbour_community)
    client.force_login(community_staff)
    body = client.get("/api/v1/residents").json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [resident.pk]


def test_a_resident_sees_only_their_own_record(client, resident_user, community):
    other = ResidentFactory(community=community)
    client.force_login(resident_user)
    assert client.get(f"/api/v1/residents/{resident_user.resident_id}").status_code == 200
    assert client.get(f"/api/v1/residents/{other.pk}").status_code == 404


def test_an_employer_sees_only_its_own_jobs(client, employer_user, community):
    from tests.factories import EmployerFactory

    own = JobFactory(employer=employer_user.employer)
    other = JobFactory(employer=EmployerFactory(community=community))
    client.force_login(employer_user)
    assert client.get(f"/api/v1/jobs/{own.pk}").status_code == 200
    assert client.get(f"/api/v1/jobs/{other.pk}").status_code == 404


def test_bearer_token_authenticates_with_the_users_scope(client, community_staff, resident, neighbour_community):
    far = ResidentFactory(community=neighbour_community)
    _, raw = ApiToken.issue(community_staff)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/residents/{resident.pk}", **auth).status_code == 200
    assert client.get(f"/api/v1/residents/{far.pk}", **auth).status_code == 404


def test_requests_without_credentials_are_refused(client, resident):
    assert client.get(f"/api/v1/residents/{resident.pk}").status_code == 401
    assert client.get("/api/v1/residents/1", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_api_responses_with_personal_data_are_not_cached(client, community_staff, resident):
    client.force_login(community_staff)
    response = client.get(f"/api/v1/residents/{resident.pk}")
    assert "no-store" in response["Cache-Control"]


def test_resident_output_carries_only_masked_id_and_phone(client, community_staff, resident):
    from jobcircle.common import pii

    client.force_login(community_staff)
    body = client.get(f"/api/v1/residents/{resident.pk}").json()
    plain_id, plain_phone = pii.decrypt(resident.id_number_encrypted), pii.decrypt(resident.phone_encrypted)
    assert body["id_number"] == pii.mask_id_number(plain_id)
    assert body["phone"] == pii.mask_phone(plain_phone)
    assert plain_id not in str(body) and plain_phone not in str(body)


def test_look_up_by_id_number_in_the_body_finds_only_in_scope(client, community_staff, community, neighbour_community):
    from jobcircle.common import pii

    mine = ResidentFactory(community=community)
    theirs = ResidentFactory(community=neighbour_community)
    client.force_login(community_staff)

    def lookup(resident):
        number = pii.decrypt(resident.id_number_encrypted)
        return client.post("/api/v1/residents/lookup", {"id_number": number}, content_type="application/json").json()

    assert [item["id"] for item in lookup(mine)["items"]] == [mine.pk]
    assert lookup(theirs)["count"] == 0
    bad = client.post("/api/v1/residents/lookup", {"id_number": "123"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "id_number"
