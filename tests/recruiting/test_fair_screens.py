"""Staff screens that run a fair (issue 17): create/edit, participants, poster, live sign-ins, intentions,
close and report — the area officer succeeds, another township gets 404, other roles 403."""

import datetime

import pytest
from django.urls import reverse

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.recruiting.enums import ApplicationStatus
from jobcircle.recruiting.models import Application, FairEmployer, JobFair
from jobcircle.recruiting.services import add_fair_employer, create_job_fair, fair_report, sign_in_at_fair
from tests.factories import EmployerFactory, JobFactory, ResidentFactory, Role, make_user

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 11, 20, 9, 0)


def fair_form(area_code, **changes):
    return {"name": "城关街道春风行动招聘会", "kind": "comprehensive", "starts_at": "2026-11-20T09:00",
            "ends_at": "2026-11-20T12:00", "venue": "城关街道文化广场", "stream_link": "",
            "area_code": area_code, **changes}  # fmt: skip


@pytest.fixture
def fair(township_staff, town):
    return create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data={
        "name": "城关街道春风行动招聘会", "kind": "comprehensive", "starts_at": DAY,
        "ends_at": DAY + datetime.timedelta(hours=3), "venue": "城关街道文化广场", "area_code": town.code,
    })  # fmt: skip


@pytest.fixture
def job(employer):
    return JobFactory(employer=employer, headcount=4, title="仓库理货员")


def test_staff_create_a_fair_of_any_kind_and_edit_it(client, township_staff, town, community):
    client.force_login(township_staff)
    assert client.get(reverse("recruiting:fair_create")).status_code == 200
    response = client.post(reverse("recruiting:fair_create"), fair_form(town.code))
    fair = JobFair.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("recruiting:fair_detail", args=[fair.pk])
    token = fair.sign_in_token
    live = fair_form(community.code, kind="livestream", venue="", stream_link="https://live.example.org/1")
    assert client.post(reverse("recruiting:fair_edit", args=[fair.pk]), live).status_code == 302
    fair.refresh_from_db()
    assert (fair.kind, fair.area_code, fair.stream_link) == ("livestream", community.code, "https://live.example.org/1")
    assert fair.sign_in_token == token  # a printed poster keeps working
    assert AuditEvent.objects.filter(action="recruiting.job_fair.updated").exists()


def test_the_fair_form_names_the_field_the_service_refuses(client, township_staff, town):
    client.force_login(township_staff)
    response = client.post(reverse("recruiting:fair_create"), fair_form(town.code, kind="livestream", venue=""))
    assert response.status_code == 200 and "直播链接" in response.context["form"].errors["stream_link"][0]
    response = client.post(reverse("recruiting:fair_create"), fair_form(town.code, ends_at="2026-11-20T08:00"))
    assert "结束时间" in response.context["form"].errors["ends_at"][0]
    assert not JobFair.objects.exists()


def test_the_fair_form_offers_only_areas_inside_the_officers(client, township_staff, other_township, town):
    client.force_login(township_staff)
    response = client.post(reverse("recruiting:fair_create"), fair_form(other_township.code))
    assert response.status_code == 200 and "area_code" in response.context["form"].errors
    assert not JobFair.objects.exists()


def test_staff_add_an_employer_of_their_area_with_its_jobs(client, township_staff, fair, employer, job):
    client.force_login(township_staff)
    url = reverse("recruiting:fair_add_employer", args=[fair.pk])
    assert employer.name in client.get(url).content.decode()
    response = client.post(url, {"employer": employer.pk, "jobs": [job.pk], "booth": "A01"})
    assert response.status_code == 302
    entry = FairEmployer.objects.get(fair=fair)
    assert entry.employer == employer and list(entry.jobs.all()) == [job] and entry.booth == "A01"
    page = client.get(reverse("recruiting:fair_detail", args=[fair.pk])).content.decode()
    assert "仓库理货员（4人）" in page


def test_an_employer_or_job_of_another_area_is_not_offered(client, township_staff, fair, employer, village):
    far = EmployerFactory(community=village)
    far_job = JobFactory(employer=far)
    client.force_login(township_staff)
    url = reverse("recruiting:fair_add_employer", args=[fair.pk])
    assert far.name not in client.get(url).content.decode()
    response = client.post(url, {"employer": far.pk, "jobs": []})
    assert response.status_code == 200 and "employer" in response.context["form"].errors
    response = client.post(url, {"employer": employer.pk, "jobs": [far_job.pk]})
    assert response.status_code == 200 and "jobs" in response.context["form"].errors
    assert not FairEmployer.objects.exists()


def test_a_job_of_another_employer_is_refused_beside_the_jobs_field(client, township_staff, fair, employer, community):
    other_job = JobFactory(employer=EmployerFactory(community=community))
    client.force_login(township_staff)
    response = client.post(reverse("recruiting:fair_add_employer", args=[fair.pk]),
                           {"employer": employer.pk, "jobs": [other_job.pk]})  # fmt: skip
    assert response.status_code == 200 and "只能登记该企业自己的岗位" in response.context["form"].errors["jobs"][0]


def test_the_poster_prints_the_fairs_qr_code(client, township_staff, fair):
    client.force_login(township_staff)
    page = client.get(reverse("recruiting:fair_poster", args=[fair.pk])).content.decode()
    assert fair.name in page and reverse("recruiting:fair_qr", args=[fair.pk]) in page
    assert fair.sign_in_token in page and "data-jc-print" in page


def test_the_live_list_shows_who_signed_in_and_polls_until_closed(client, township_staff, fair, resident,
                                                                   resident_user):  # fmt: skip
    sign_in_at_fair(fair, resident, by=resident_user, scope=scope_for_user(resident_user))
    client.force_login(township_staff)
    part = client.get(reverse("recruiting:fair_sign_ins", args=[fair.pk])).content.decode()
    assert resident.name in part and "扫码签到" in part and 'hx-trigger="every 5s"' in part
    assert "1人次" in part
    client.post(reverse("recruiting:fair_close", args=[fair.pk]))
    part = client.get(reverse("recruiting:fair_sign_ins", args=[fair.pk])).content.decode()
    assert resident.name in part and "hx-trigger" not in part


def test_staff_record_an_intention_for_a_resident_who_signed_in(client, township_staff, fair, employer, job,
                                                                resident, resident_user):  # fmt: skip
    add_fair_employer(fair, employer, by=township_staff, scope=scope_for_user(township_staff), jobs=[job])
    sign_in_at_fair(fair, resident, by=resident_user, scope=scope_for_user(resident_user))
    client.force_login(township_staff)
    response = client.post(reverse("recruiting:fair_intention", args=[fair.pk]),
                           {"resident": resident.pk, "job": job.pk, "note": "现场面谈"})  # fmt: skip
    assert response.status_code == 302
    application = Application.objects.get(resident=resident, job=job)
    assert application.status == ApplicationStatus.INTENTION and application.fair == fair
    assert fair_report(fair)["intentions"] == 1


def test_an_intention_needs_a_signed_in_resident(client, township_staff, fair, employer, job, community):
    add_fair_employer(fair, employer, by=township_staff, scope=scope_for_user(township_staff), jobs=[job])
    absent = ResidentFactory(community=community)
    client.force_login(township_staff)
    response = client.post(reverse("recruiting:fair_intention", args=[fair.pk]),
                           {"resident": absent.pk, "job": job.pk}, follow=True)  # fmt: skip
    assert "求职者" in response.content.decode() and not Application.objects.exists()


def test_closing_stops_new_sign_ins_and_the_report_labels_people_and_visits(
    client, township_staff, fair, resident, resident_user, community
):
    sign_in_at_fair(fair, resident, by=resident_user, scope=scope_for_user(resident_user))
    client.force_login(township_staff)
    assert client.post(reverse("recruiting:fair_close", args=[fair.pk])).status_code == 302
    fair.refresh_from_db()
    assert fair.is_closed
    page = client.get(reverse("recruiting:fair_detail", args=[fair.pk])).content.decode()
    assert "data-jc-fair-closed" in page and "结束签到</button>" not in page
    assert 'data-jc-figure="attendees">1人次<' in page and 'data-jc-figure="intentions">0人<' in page
    assert "口径说明" in page and "同一人对多个岗位有意向只计一人" in page
    late = ResidentFactory(community=community)
    client.force_login(make_user("late_resident", Role.RESIDENT, resident=late))
    page = client.post(reverse("portal:m_fair_sign_in", args=[fair.sign_in_token]), follow=True).content.decode()
    assert "已结束签到" in page and fair.attendances.count() == 1
    client.force_login(resident_user)  # one who signed in before still sees it
    assert "已签到过" in client.post(reverse("portal:m_fair_sign_in", args=[fair.sign_in_token]),
                                    follow=True).content.decode()  # fmt: skip


def _screens(fair):
    return [("get", reverse("recruiting:fair_edit", args=[fair.pk])),
            ("get", reverse("recruiting:fair_add_employer", args=[fair.pk])),
            ("get", reverse("recruiting:fair_sign_ins", args=[fair.pk])),
            ("get", reverse("recruiting:fair_poster", args=[fair.pk])),
            ("post", reverse("recruiting:fair_intention", args=[fair.pk])),
            ("post", reverse("recruiting:fair_close", args=[fair.pk]))]  # fmt: skip


def test_another_townships_fair_is_404_and_other_roles_get_403(
    client, fair, other_township_staff, resident_user, employer_user, audit_admin, system_admin
):
    client.force_login(other_township_staff)
    for method, url in _screens(fair):
        assert getattr(client, method)(url).status_code == 404, url
    for user in (resident_user, employer_user, audit_admin, system_admin):
        client.force_login(user)
        assert client.get(reverse("recruiting:fair_create")).status_code == 403
        for method, url in _screens(fair):
            assert getattr(client, method)(url).status_code == 403, url
    fair.refresh_from_db()
    assert not fair.is_closed


def test_the_api_edits_and_closes_a_fair_through_the_same_services(client, township_staff, fair, resident_user, town):
    client.force_login(township_staff)
    body = {"name": "春风行动（改期）", "kind": "comprehensive", "starts_at": "2026-11-21T09:00:00+08:00",
            "ends_at": "2026-11-21T12:00:00+08:00", "venue": "城关街道文化广场", "area_code": town.code}  # fmt: skip
    response = client.put(f"/api/v1/recruiting/fairs/{fair.pk}", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["name"] == "春风行动（改期）"
    refused = client.put(f"/api/v1/recruiting/fairs/{fair.pk}", {**body, "ends_at": "2026-11-21T08:00:00+08:00"},
                         content_type="application/json")  # fmt: skip
    assert refused.status_code == 422 and "结束时间" in refused.json()["detail"][0]["message"]
    closed = client.post(f"/api/v1/recruiting/fairs/{fair.pk}/close").json()
    assert closed["closed_at"] is not None
    client.force_login(resident_user)
    late = client.post(
        "/api/v1/recruiting/fairs/sign-in", {"token": fair.sign_in_token}, content_type="application/json"
    )
    assert late.status_code == 422 and "已结束签到" in late.json()["detail"][0]["message"]
