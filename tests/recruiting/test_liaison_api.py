"""/api/v1/recruiting/liaison: own area OK, other area 404, wrong role 403."""

import pytest
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.recruiting.services import assign_liaison_officer, liaison_statistics
from tests.factories import EmployerFactory, JobFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


@pytest.fixture
def key_employer(community):
    return EmployerFactory(community=community, is_key_enterprise=True)


def test_staff_assign_then_the_officer_visits_and_recommends(
    client, township_staff, community_staff, key_employer, community, town
):
    client.force_login(township_staff)
    body = {"officer_id": community_staff.pk, "employer_id": key_employer.pk}
    response = post(client, "/api/v1/recruiting/liaison/assignments", body)
    assert response.status_code == 201, response.content
    assignment_id = response.json()["id"]
    client.force_login(community_staff)
    visit = post(client, f"/api/v1/recruiting/liaison/assignments/{assignment_id}/visits",
                 {"visited_on": str(timezone.localdate()), "needed_headcount": 5, "needs": "普工5名"})  # fmt: skip
    assert visit.status_code == 201 and visit.json()["needed_headcount"] == 5
    person = ResidentFactory(community=community)
    path = f"/api/v1/recruiting/liaison/assignments/{assignment_id}/recommendations"
    job = JobFactory(employer=key_employer)
    first = post(client, path, {"resident_id": person.pk, "job_id": job.pk}).json()
    assert not first["already_recommended"] and first["job_id"] == job.pk
    assert post(client, path, {"resident_id": person.pk}).json()["already_recommended"]
    client.force_login(township_staff)
    stats = client.get("/api/v1/recruiting/liaison/statistics").json()
    assert (
        stats["sentence"] == liaison_statistics(town)["sentence"] == ("配备人社服务专员1人，包保企业1家，推荐用工1人")
    )
    assert client.get("/api/v1/recruiting/liaison/assignments").json()["count"] == 1


def test_a_non_key_enterprise_is_422(client, township_staff, community_staff, employer):
    client.force_login(township_staff)
    body = {"officer_id": community_staff.pk, "employer_id": employer.pk}
    response = post(client, "/api/v1/recruiting/liaison/assignments", body)
    assert response.status_code == 422 and "白名单" in str(response.json()["detail"])


def test_other_area_404_and_other_roles_403(
    client, township_staff, community_staff, other_township_staff, key_employer, resident_user, employer_user
):
    assignment = assign_liaison_officer(
        community_staff, key_employer, by=township_staff, scope=scope_for_user(township_staff)
    )
    visit = {"visited_on": str(timezone.localdate())}
    client.force_login(other_township_staff)
    assert post(client, f"/api/v1/recruiting/liaison/assignments/{assignment.pk}/visits", visit).status_code == 404
    assert client.get("/api/v1/recruiting/liaison/assignments").json()["count"] == 0
    body = {"officer_id": other_township_staff.pk, "employer_id": key_employer.pk}
    assert post(client, "/api/v1/recruiting/liaison/assignments", body).status_code == 422  # not in their area
    for user in (resident_user, employer_user):
        client.force_login(user)
        assert post(client, f"/api/v1/recruiting/liaison/assignments/{assignment.pk}/visits", visit).status_code == 403
        assert client.get("/api/v1/recruiting/liaison/statistics").status_code == 403
