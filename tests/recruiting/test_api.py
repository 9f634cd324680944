"""/api/v1/recruiting: own area OK, other area 404, wrong role 403; a lost race for the last place is 409."""

import datetime

import pytest

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.workflow import log_created
from jobcircle.recruiting.models import Application
from jobcircle.recruiting.services import APPLICATION_WORKFLOW, apply_to_job, transition
from tests.factories import EmployerFactory, JobFactory, ResidentFactory, Role, make_user

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


@pytest.fixture
def application(resident, resident_user, employer):
    return apply_to_job(resident, JobFactory(employer=employer, headcount=1), by=resident_user)


def test_the_employer_walks_an_application_from_interview_to_hire(client, employer_user, application, resident):
    client.force_login(employer_user)
    path = f"/api/v1/recruiting/applications/{application.pk}/transition"
    response = post(client, path, {"status": "interview", "interview_at": "2026-12-01T09:30:00+08:00",
                                   "interview_place": "幸福社区就业服务站"})  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "interview" and body["interview_place"] == "幸福社区就业服务站"
    assert body["resident_phone"] == resident.phone_masked and "*" in body["resident_name"]
    assert post(client, path, {"status": "offer"}).status_code == 200
    response = post(client, path, {"status": "hired", "started_on": "2026-12-02"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "hired" and body["started_on"] == "2026-12-02"
    assert [t["to_status"] for t in body["transitions"]] == ["interview", "offer", "hired"]
    resident.refresh_from_db()
    assert resident.employment_status == "employed"


def test_an_illegal_move_is_422_with_a_chinese_message(client, employer_user, application):
    client.force_login(employer_user)
    path = f"/api/v1/recruiting/applications/{application.pk}/transition"
    response = post(client, path, {"status": "hired", "started_on": "2026-12-02"})
    assert response.status_code == 422
    assert "不能从" in str(response.json()["detail"])


def test_interview_without_time_is_422(client, employer_user, application):
    client.force_login(employer_user)
    response = post(client, f"/api/v1/recruiting/applications/{application.pk}/transition", {"status": "interview"})
    assert response.status_code == 422
    assert "面试时间" in str(response.json()["detail"])


def test_hiring_when_the_last_place_is_taken_is_409(client, community_staff, application, community):
    other = ResidentFactory(community=community)
    winner = Application.objects.create(resident=other, job=application.job, area_code=application.area_code)
    scope = scope_for_user(community_staff)
    transition(winner, "intention", by=community_staff, scope=scope)
    transition(winner, "hired", by=community_staff, scope=scope, started_on=datetime.date(2026, 12, 1))
    transition(application, "intention", by=community_staff, scope=scope)
    client.force_login(community_staff)
    response = post(client, f"/api/v1/recruiting/applications/{application.pk}/transition",
                    {"status": "hired", "started_on": "2026-12-01"})  # fmt: skip
    assert response.status_code == 409
    assert "名额已满" in response.json()["detail"]


def test_the_resident_withdraws_but_cannot_move_it_forward(client, resident_user, application):
    client.force_login(resident_user)
    path = f"/api/v1/recruiting/applications/{application.pk}/transition"
    assert post(client, path, {"status": "screening"}).status_code == 403
    assert post(client, path, {"status": "withdrawn"}).json()["status"] == "withdrawn"


def test_the_resident_applies_through_the_api(client, resident_user, employer):
    job = JobFactory(employer=employer)
    client.force_login(resident_user)
    response = post(client, "/api/v1/recruiting/applications", {"job_id": job.pk})
    assert response.status_code == 201 and response.json()["status"] == "applied"
    assert post(client, "/api/v1/recruiting/applications", {"job_id": job.pk}).status_code == 422


def test_staff_see_applications_in_their_area_and_404_outside(
    client, community_staff, neighbour_staff, township_staff, application
):
    client.force_login(community_staff)
    assert client.get(f"/api/v1/recruiting/applications/{application.pk}").status_code == 200
    assert client.get("/api/v1/recruiting/applications").json()["count"] == 1
    client.force_login(township_staff)
    assert client.get(f"/api/v1/recruiting/applications/{application.pk}").status_code == 200
    client.force_login(neighbour_staff)
    assert client.get(f"/api/v1/recruiting/applications/{application.pk}").status_code == 404
    path = f"/api/v1/recruiting/applications/{application.pk}/transition"
    assert post(client, path, {"status": "screening"}).status_code == 404
    assert client.get("/api/v1/recruiting/applications").json()["count"] == 0


def test_another_employer_and_another_resident_get_404(client, application, community):
    stranger = make_user("stranger", Role.EMPLOYER, employer=EmployerFactory(community=community))
    neighbour = make_user("neighbour", Role.RESIDENT, resident=ResidentFactory(community=community))
    for user in (stranger, neighbour):
        client.force_login(user)
        assert client.get(f"/api/v1/recruiting/applications/{application.pk}").status_code == 404
        path = f"/api/v1/recruiting/applications/{application.pk}/transition"
        assert post(client, path, {"status": "withdrawn"}).status_code == 404


def test_administrator_roles_get_403(client, application, county):
    client.force_login(make_user("auditor", Role.AUDIT_ADMIN))
    assert client.get(f"/api/v1/recruiting/applications/{application.pk}").status_code == 403
    assert client.get("/api/v1/recruiting/applications").status_code == 403
    assert client.get("/api/v1/recruiting/funnel").status_code == 403


def test_the_funnel_counts_applications_by_state_in_the_area(
    client, community_staff, county_admin, neighbour_staff, employer, community, resident_user
):
    jobs = [JobFactory(employer=employer, headcount=5) for _ in range(2)]
    residents = [ResidentFactory(community=community) for _ in range(3)]
    made = [apply_to_job(r, job, by=None) for r in residents for job in jobs]
    transition(made[0], "screening", by=community_staff, scope=scope_for_user(community_staff))
    transition(made[1], "rejected", by=community_staff, scope=scope_for_user(community_staff))
    transition(made[2], "intention", by=community_staff, scope=scope_for_user(community_staff))
    expected = {s: sum(1 for a in Application.objects.all() if a.status == s) for s in
                ("applied", "screening", "rejected", "intention", "hired")}  # fmt: skip
    client.force_login(county_admin)
    body = client.get("/api/v1/recruiting/funnel").json()
    assert body["counts"]["total"] == len(made)
    assert {s: body["counts"][s] for s in expected} == expected
    assert body["labels"]["intention"] == "达成就业意向"
    client.force_login(neighbour_staff)
    assert client.get("/api/v1/recruiting/funnel").json()["counts"]["total"] == 0
    assert client.get("/api/v1/recruiting/funnel", {"area": community.code}).status_code == 404
    client.force_login(community_staff)
    body = client.get("/api/v1/recruiting/funnel", {"date_from": "2000-01-01", "date_to": "2000-01-31"}).json()
    assert body["counts"]["total"] == 0


def test_an_application_whose_history_has_a_system_move_is_read_with_no_actor(client, employer_user, application):
    """Creation rows of demo data and imports, and hires, are logged with no user (by = None): found by make fuzz."""
    log_created(APPLICATION_WORKFLOW, [application], reason="演示数据")
    client.force_login(employer_user)
    response = client.get(f"/api/v1/recruiting/applications/{application.pk}")
    assert response.status_code == 200, response.content
    assert None in [row["by_id"] for row in response.json()["transitions"]]
