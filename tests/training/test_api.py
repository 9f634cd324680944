"""/api/v1/training/... and /api/v1/internships/...: scoped, roles, documented errors."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.people.enums import EmploymentStatus
from jobcircle.training.models import Enrolment, InternPlacement
from tests.factories import ResidentFactory

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def programme(community):
    return f.programme(f.provider(community))


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_staff_list_their_programmes_and_another_community_gets_404_on_the_roster(
    client, community_staff, neighbour_staff, programme
):
    client.force_login(community_staff)
    body = client.get("/api/v1/training/programmes").json()
    assert body["count"] == 1 and body["items"][0]["trade"] == "中式烹调师"
    assert client.get(f"/api/v1/training/programmes/{programme.pk}/enrolments").status_code == 200
    client.force_login(neighbour_staff)
    assert client.get("/api/v1/training/programmes").json()["count"] == 0
    assert client.get(f"/api/v1/training/programmes/{programme.pk}/enrolments").status_code == 404
    assert post(client, f"/api/v1/training/programmes/{programme.pk}/enrolments", {"resident_id": 1}).status_code == 404


def test_staff_create_a_programme_and_bad_input_names_the_field(client, community_staff, community):
    provider = f.provider(community)
    client.force_login(community_staff)
    body = {"provider_id": provider.pk, "name": "家政服务员培训班", "occupation_code": "4-10-01-01",
            "kind": "employment",
            "places": 20, "starts_on": str(TODAY), "ends_on": str(TODAY + datetime.timedelta(days=9)),
            "venue": "社区活动室", "community_code": community.code, "subsidy_per_head": "900.00",
            "sessions": [str(TODAY)]}  # fmt: skip
    created = post(client, "/api/v1/training/programmes", body)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "recruiting"
    wrong = post(client, "/api/v1/training/programmes", {**body, "kind": "nope", "name": "a\x00b"})
    assert wrong.status_code == 422
    assert {item["field"] for item in wrong.json()["detail"]} >= {"name"}
    wrong = post(client, "/api/v1/training/programmes", {**body, "kind": "nope"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "kind"


def test_staff_enrol_a_resident_and_an_ineligible_one_gets_each_failing_rule(client, community_staff, community,
                                                                             programme):  # fmt: skip
    client.force_login(community_staff)
    person = ResidentFactory(community=community)
    path = f"/api/v1/training/programmes/{programme.pk}/enrolments"
    assert post(client, path, {"resident_id": person.pk}).status_code == 201
    again = post(client, path, {"resident_id": person.pk})
    assert again.status_code == 422 and "未报名本期培训" in again.json()["detail"][0]["message"]
    assert post(client, path, {}).json()["detail"][0]["field"] == "resident_id"


def test_a_resident_sees_programmes_near_home_and_enrols_themself(client, resident_user, programme, community):
    station = community.stations.first()
    far = f.programme(programme.provider, name="远处", lat=station.lat + 0.3, lng=station.lng)
    client.force_login(resident_user)
    names = [p["name"] for p in client.get("/api/v1/training/programmes").json()["items"]]
    assert names == [programme.name]
    created = post(client, f"/api/v1/training/programmes/{programme.pk}/enrolments", {})
    assert created.status_code == 201 and created.json()["source"] == "self"
    assert Enrolment.objects.get().resident == resident_user.resident
    far.status = "cancelled"
    far.save()
    assert post(client, f"/api/v1/training/programmes/{far.pk}/enrolments", {}).status_code == 404


def test_read_only_roles_get_403(client, employer_user, resident_user, programme):
    client.force_login(employer_user)
    assert client.get("/api/v1/training/programmes").status_code == 403
    assert client.get("/api/v1/internships/placements").status_code == 403
    client.force_login(resident_user)
    assert client.get(f"/api/v1/training/programmes/{programme.pk}/enrolments").status_code == 403
    assert client.get("/api/v1/training/statistics").status_code == 403


def test_training_statistics_have_the_four_figures_and_a_bad_period_is_422(client, county_admin, programme):
    client.force_login(county_admin)
    body = client.get(f"/api/v1/training/statistics?period={TODAY:%Y}").json()
    assert set(body) == {"programmes", "trainees", "completed", "employed_after"}
    bad = client.get("/api/v1/training/statistics?period=上个月")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "period"


def test_internship_positions_placements_and_statistics(client, community_staff, neighbour_staff, employer, community):
    base = f.base(employer)
    client.force_login(community_staff)
    raised = post(client, "/api/v1/internships/positions", {"base_id": base.pk, "title": "出纳见习", "places": 2,
                                                           "term_months": 6, "monthly_allowance": "1700.00",
                                                           "address": "幸福路2号"})  # fmt: skip
    assert raised.status_code == 201, raised.content
    person = ResidentFactory(community=community, birth_date=TODAY.replace(year=TODAY.year - 20),
                             employment_status=EmploymentStatus.UNEMPLOYED)  # fmt: skip
    placed = post(
        client, "/api/v1/internships/placements", {"position_id": raised.json()["id"], "resident_id": person.pk}
    )
    assert placed.status_code == 201, placed.content
    assert client.get("/api/v1/internships/placements").json()["count"] == 1
    figures = client.get(f"/api/v1/internships/statistics?date={TODAY}").json()
    assert figures == {"bases": 1, "positions": 2, "on_post": 1, "retained": 0}
    too_long = post(client, "/api/v1/internships/positions", {"base_id": base.pk, "title": "x", "places": 1,
                                                             "term_months": 13, "monthly_allowance": "1",
                                                             "address": "y"})  # fmt: skip
    assert too_long.status_code == 422
    client.force_login(neighbour_staff)
    assert client.get("/api/v1/internships/placements").json()["count"] == 0
    again = post(
        client, "/api/v1/internships/placements", {"position_id": raised.json()["id"], "resident_id": person.pk}
    )
    assert again.status_code == 404
    assert InternPlacement.objects.count() == 1


def test_a_resident_sees_open_positions_near_home(client, resident_user, employer):
    f.position(f.base(employer))
    client.force_login(resident_user)
    assert client.get("/api/v1/internships/positions").json()["count"] == 1
