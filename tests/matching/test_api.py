"""Matching endpoints: scoped like every route (404 across communities), masked PII only."""

import pytest

from jobcircle.common import pii
from jobcircle.matching.models import InboxMessage
from tests.factories import EmployerFactory, JobFactory

pytestmark = pytest.mark.django_db


def test_recommendations_list_jobs_with_score_distance_and_reasons(client, community_staff, community, employer,
                                                                   seeker_factory):  # fmt: skip
    me = seeker_factory(community, min_pay=3000)
    job = JobFactory(employer=employer)
    client.force_login(community_staff)
    response = client.get(f"/api/v1/residents/{me.pk}/recommendations", {"k": 5})
    assert response.status_code == 200, response.content
    (item,) = response.json()["items"]
    assert item["job_id"] == job.pk
    assert item["distance_m"] == pytest.approx(0, abs=1)
    assert 0 < item["score"] <= 1.2
    assert item["reasons"][0] == "距离0米" and "薪资符合期望" in item["reasons"]
    assert item["employer_name"] == employer.name


def test_a_resident_sees_their_own_recommendations_only(client, resident_user, community, employer, seeker_factory):
    other = seeker_factory(community)
    JobFactory(employer=employer)
    client.force_login(resident_user)
    assert client.get(f"/api/v1/residents/{resident_user.resident_id}/recommendations").status_code == 200
    assert client.get(f"/api/v1/residents/{other.pk}/recommendations").status_code == 404


def test_another_communitys_resident_is_404(client, neighbour_staff, community, seeker_factory):
    me = seeker_factory(community)
    client.force_login(neighbour_staff)
    assert client.get(f"/api/v1/residents/{me.pk}/recommendations").status_code == 404
    assert client.get(f"/api/v1/residents/{me.pk}/inbox").status_code == 404


@pytest.mark.parametrize(("k", "reason"), [(0, "不能小于1"), (51, "不能大于50")])
def test_k_out_of_range_is_a_chinese_422(client, community_staff, community, seeker_factory, k, reason):
    me = seeker_factory(community)
    client.force_login(community_staff)
    response = client.get(f"/api/v1/residents/{me.pk}/recommendations", {"k": k})
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "k", "message": f"推荐数量：{reason}"}]


def test_candidates_show_masked_personal_data_only(client, community_staff, community, employer, seeker_factory):
    me = seeker_factory(community, name="王小明", key_groups=["graduate"])
    job = JobFactory(employer=employer)
    client.force_login(community_staff)
    response = client.get(f"/api/v1/jobs/{job.pk}/candidates")
    assert response.status_code == 200, response.content
    (item,) = response.json()["items"]
    assert item["resident_id"] == me.pk
    assert item["name"] == pii.mask_name("王小明") == "王*明"
    assert item["phone"] == me.phone_masked and "****" in item["phone"]
    phone = pii.decrypt(me.phone_encrypted)
    id_number = pii.decrypt(me.id_number_encrypted)
    assert phone not in response.content.decode() and id_number not in response.content.decode()
    assert "重点群体优先" in item["reasons"]


def test_candidates_of_another_communitys_job_are_404(client, neighbour_staff, employer):
    job = JobFactory(employer=employer)
    client.force_login(neighbour_staff)
    assert client.get(f"/api/v1/jobs/{job.pk}/candidates").status_code == 404


def test_candidates_hold_only_residents_the_caller_may_see(client, community_staff, township_staff, community,
                                                           neighbour_community, seeker_factory):  # fmt: skip
    mine = seeker_factory(community)
    theirs = seeker_factory(neighbour_community)
    job = JobFactory(employer=EmployerFactory(community=community))
    client.force_login(community_staff)
    assert [i["resident_id"] for i in client.get(f"/api/v1/jobs/{job.pk}/candidates").json()["items"]] == [mine.pk]
    client.force_login(township_staff)
    got = [i["resident_id"] for i in client.get(f"/api/v1/jobs/{job.pk}/candidates").json()["items"]]
    assert got == [mine.pk, theirs.pk]


def test_staff_start_a_push_in_their_area_and_the_resident_reads_the_inbox(client, township_staff, resident_user,
                                                                          employer, seeker_factory):  # fmt: skip
    me = resident_user.resident
    me.is_job_seeking = True
    me.save()
    JobFactory(employer=employer, title="缝纫工")
    client.force_login(township_staff)
    area = township_staff.area.code
    response = client.post("/api/v1/matching/push", {"area": area, "k": 3}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["area_code"] == "990121001000" and body["status"] == "done" and body["percent"] == 100
    assert body["partitions"][0]["pushes"] == 1
    assert client.get(f"/api/v1/matching/push-runs/{body['id']}").json()["id"] == body["id"]
    client.force_login(resident_user)
    inbox = client.get(f"/api/v1/residents/{me.pk}/inbox").json()
    assert inbox["unread"] == 1
    (message,) = inbox["items"]
    assert message["title"] == "为您推荐1个附近岗位"
    assert (message["kind"], message["kind_label"], message["body"]) == ("job_push", "岗位推送", "")
    assert message["items"][0]["title"] == "缝纫工" and message["items"][0]["reasons"][0].startswith("距离")
    read = client.post(f"/api/v1/residents/{me.pk}/inbox/{message['id']}/read")
    assert read.status_code == 200
    assert InboxMessage.objects.get(pk=message["id"]).read_at is not None
    assert client.get(f"/api/v1/residents/{me.pk}/inbox").json()["unread"] == 0


def test_only_the_resident_marks_their_messages_read(client, community_staff, community, employer, seeker_factory):
    from jobcircle.matching.push import start_push

    me = seeker_factory(community)
    JobFactory(employer=employer)
    start_push()
    message = InboxMessage.objects.get(resident=me)
    client.force_login(community_staff)
    assert client.post(f"/api/v1/residents/{me.pk}/inbox/{message.pk}/read").status_code == 403


def test_a_push_outside_the_callers_area_is_404_and_residents_may_not_push(client, community_staff, resident_user):
    client.force_login(community_staff)
    response = client.post("/api/v1/matching/push", {"area": "990121101000"}, content_type="application/json")
    assert response.status_code == 404
    client.force_login(resident_user)
    response = client.post("/api/v1/matching/push", {"area": "990121"}, content_type="application/json")
    assert response.status_code == 403


@pytest.mark.parametrize("body", [[None, None], {"area": None, "k": None}, {}, {"area": ""}, {"area": "99012x"}])
def test_a_push_needs_an_explicit_valid_area_and_starts_nothing_without_one(client, county_admin, body):
    from jobcircle.matching.models import PushRun

    client.force_login(county_admin)
    response = client.post("/api/v1/matching/push", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert not PushRun.objects.exists()


def test_the_inbox_api_carries_messages_of_any_kind_with_their_label_body_and_link(client, resident_user):
    from django.utils import timezone

    me = resident_user.resident
    InboxMessage.objects.create(
        resident=me, kind="offer", title="录用通知", body="欢迎加入", link="/m/applications/",
        pushed_on=timezone.localdate(), area_code=me.area_code, created_at=timezone.now(),
    )  # fmt: skip
    client.force_login(resident_user)
    (message,) = client.get(f"/api/v1/residents/{me.pk}/inbox").json()["items"]
    assert (message["kind"], message["kind_label"], message["body"], message["link"], message["items"]) == (
        "offer",
        InboxMessage.Kind.OFFER.label,
        "欢迎加入",
        "/m/applications/",
        [],
    )
