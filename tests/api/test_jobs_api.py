import datetime

import pytest
from django.utils import timezone

from jobcircle.areas.geo.convert import wgs84_to_bd09, wgs84_to_gcj02
from jobcircle.employers.models import Job
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def job_payload(**overrides):
    today = timezone.localdate()
    return {
        "title": "缝纫工", "occupation_code": "4-10-01-05",
        "headcount": 3, "pay_min": 3500, "pay_max": 5000, "description": "服装缝制", "requirements": "会使用平缝机",
        "valid_from": str(today), "valid_until": str(today + datetime.timedelta(days=30)), **overrides,
    }  # fmt: skip


def test_nearby_returns_count_and_items_with_distance(client, employer):
    JobFactory(employer=employer)
    response = client.get("/api/v1/jobs/nearby", {"lat": 33.16, "lng": 115.62})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["distance_m"] == pytest.approx(0, abs=1)


@pytest.mark.parametrize("convert, coord", [(wgs84_to_gcj02, "gcj02"), (wgs84_to_bd09, "bd09")])
def test_nearby_converts_chinese_map_coordinates(client, employer, convert, coord):
    JobFactory(employer=employer)
    lng, lat = convert(115.62, 33.16)
    response = client.get("/api/v1/jobs/nearby", {"lat": lat, "lng": lng, "coord": coord, "radius_km": 0.05})
    assert response.json()["count"] == 1


def test_nearby_rejects_a_point_outside_china(client):
    response = client.get("/api/v1/jobs/nearby", {"lat": 35.6895, "lng": 139.6917})
    assert response.status_code == 422
    assert "中国境内" in response.json()["detail"][0]["message"]


@pytest.mark.parametrize("radius", [0, 51, -1])
def test_nearby_radius_is_between_zero_and_fifty_km(client, radius):
    response = client.get("/api/v1/jobs/nearby", {"lat": 33.16, "lng": 115.62, "radius_km": radius})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "radius_km"


def test_employer_posts_a_job_that_opens_at_once(client, employer_user):
    client.force_login(employer_user)
    response = client.post("/api/v1/jobs", job_payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "open"
    assert response.json()["lat"] == employer_user.employer.lat


def test_discriminatory_wording_is_refused_with_the_phrase_quoted(client, employer_user):
    client.force_login(employer_user)
    response = client.post("/api/v1/jobs", job_payload(requirements="限男性，能吃苦"), content_type="application/json")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["field"] == "requirements"
    assert "限男性" in detail[0]["message"]
    assert not Job.objects.exists()


def test_missing_mandatory_elements_are_each_named(client, employer_user):
    client.force_login(employer_user)
    payload = job_payload(description="", requirements="", headcount=0)
    response = client.post("/api/v1/jobs", payload, content_type="application/json")
    assert response.status_code == 422
    assert {item["field"] for item in response.json()["detail"]} >= {"description", "requirements", "headcount"}


def test_pause_then_close_then_reopen_is_refused(client, employer_user):
    client.force_login(employer_user)
    job = JobFactory(employer=employer_user.employer)
    for status, code in (("paused", 200), ("closed", 200), ("open", 422)):
        response = client.post(f"/api/v1/jobs/{job.pk}/status", {"status": status}, content_type="application/json")
        assert response.status_code == code


def test_staff_post_for_an_employer_in_their_area_only(client, community_staff, employer, village):
    from tests.factories import EmployerFactory

    far_employer = EmployerFactory(community=village)
    client.force_login(community_staff)
    ok = client.post("/api/v1/jobs", job_payload(employer_id=employer.pk), content_type="application/json")
    refused = client.post("/api/v1/jobs", job_payload(employer_id=far_employer.pk), content_type="application/json")
    assert ok.status_code == 201
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "employer_id"


def test_a_badly_typed_field_gets_a_chinese_message_naming_it(client, employer_user):
    client.force_login(employer_user)
    response = client.post("/api/v1/jobs", job_payload(headcount="三个"), content_type="application/json")
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert item["field"] == "headcount"
    assert item["message"] == "招聘人数：应为整数"


def test_api_docs_are_served_without_any_cdn(client):
    response = client.get("/api/docs", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "http://" not in html and "https://" not in html


def test_staff_review_a_held_posting_through_the_api(client, community_staff, employer, employer_user):
    from jobcircle.employers.models import JobTransition
    from jobcircle.employers.services import post_job
    from tests.employers.test_services import job_data

    job = post_job(by=employer_user, employer=employer, data=job_data(requirements="35岁以下"))
    url = f"/api/v1/jobs/{job.pk}/status"
    client.force_login(employer_user)
    assert client.post(url, {"status": "open"}, content_type="application/json").status_code == 403
    client.force_login(community_staff)
    assert client.post(url, {"status": "draft"}, content_type="application/json").status_code == 422
    response = client.post(url, {"status": "draft", "reason": "请删除年龄限制"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "draft"
    assert JobTransition.objects.get(job=job, to_status="draft").reason == "请删除年龄限制"
