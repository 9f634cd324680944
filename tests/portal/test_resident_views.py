"""社区快聘 H5: QR join, phone-code sign-in and registration, profile, nearby jobs, apply, 我的申请."""

import re

import pytest
from django.urls import reverse

from jobcircle.accounts.models import User
from jobcircle.common.pii import mask_phone
from jobcircle.common.sms import MemoryBackend
from jobcircle.people.models import Resident
from jobcircle.recruiting.models import Application
from jobcircle.recruiting.services import apply_to_job
from tests.factories import JobFactory, ResidentFactory, demo_id_number, demo_phone
from tests.portal.helpers import send_and_verify

KM = 1 / 111.2


@pytest.fixture(autouse=True)
def empty_outbox():
    MemoryBackend.outbox.clear()


def test_the_qr_link_preselects_the_community_for_a_new_phone(client, community, neighbour_community):
    response = client.get(reverse("portal:join", args=[neighbour_community.code]))
    assert response["Location"].startswith(reverse("portal:m_login"))
    phone = demo_phone()
    response = send_and_verify(client, phone)
    assert response["Location"] == reverse("portal:m_register")
    page = client.get(reverse("portal:m_register"))
    assert page.context["form"].initial["community_code"] == neighbour_community.code
    assert phone not in page.content.decode() and mask_phone(phone) in page.content.decode()  # shown masked only
    response = client.post(reverse("portal:m_register"), {
        "name": "扫码居民", "id_type": "resident_id", "id_number": demo_id_number(),
        "community_code": neighbour_community.code,
    })  # fmt: skip
    assert response["Location"] == reverse("portal:m_profile")
    resident = Resident.objects.get(name="扫码居民")
    assert resident.area_code == neighbour_community.code and resident.phone_masked.endswith(phone[-4:])
    assert User.objects.get(resident=resident).role == "resident"
    assert client.get(reverse("portal:m_home")).status_code == 200


def test_a_bad_id_number_is_shown_beside_the_field_and_nothing_is_written(client, community):
    send_and_verify(client, demo_phone())
    response = client.post(reverse("portal:m_register"), {
        "name": "某人", "id_type": "resident_id", "id_number": "990000199001011230", "community_code": community.code,
    })  # fmt: skip
    assert response.status_code == 200 and response.context["form"].errors["id_number"]
    assert not Resident.objects.exists()


def test_registration_needs_a_verified_phone(client, community):
    response = client.get(reverse("portal:m_register"))
    assert response["Location"] == reverse("portal:m_login")


def test_a_registered_phone_signs_straight_in(client, resident):
    phone = demo_phone()
    resident.set_phone(phone)
    resident.save()
    response = send_and_verify(client, phone)
    assert response["Location"] == reverse("portal:m_home")


def test_a_second_code_within_a_minute_is_429_and_a_wrong_code_an_error(client, db):
    phone = demo_phone()
    assert client.post(reverse("portal:m_login"), {"phone": phone, "action": "send"}).status_code == 200
    response = client.post(reverse("portal:m_login"), {"phone": phone, "action": "send"})
    assert response.status_code == 429 and "1分钟" in response.context["form"].errors["phone"][0]
    response = client.post(reverse("portal:m_login"), {"phone": phone, "code": "000000", "action": "verify"})
    assert response.status_code == 200 and response.context["form"].errors["code"]


def test_anonymous_visitors_choose_a_community_first_and_other_roles_get_403(client, employer_user, county_admin):
    response = client.get(reverse("portal:m_jobs"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    response = client.get(reverse("portal:m_applications"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:m_login"))
    for user in (employer_user, county_admin):
        client.force_login(user)
        assert client.get(reverse("portal:m_jobs")).status_code == 403


@pytest.fixture
def signed_in(client, resident_user):
    client.force_login(resident_user)
    return client


def test_nearby_jobs_are_within_the_distance_nearest_first_with_filters(
    signed_in, resident, employer, django_assert_max_num_queries
):
    far = JobFactory(employer=employer, title="远", lat=resident.lat + 2.0 * KM, lng=resident.lng)
    near = JobFactory(employer=employer, title="近", lat=resident.lat + 0.3 * KM, lng=resident.lng, pay_max=6000)
    JobFactory(employer=employer, title="太远", lat=resident.lat + 9 * KM, lng=resident.lng)
    JobFactory(employer=employer, title="暂停", status="paused")
    with django_assert_max_num_queries(14):
        response = signed_in.get(reverse("portal:m_jobs"))
    assert [j.title for j in response.context["page_obj"].object_list] == ["近", "远"]
    assert "300米" in response.content.decode() and "2.0公里" in response.content.decode()
    response = signed_in.get(reverse("portal:m_jobs"), {"min_pay": 5000})
    assert list(response.context["page_obj"].object_list) == [near]
    response = signed_in.get(reverse("portal:m_jobs"), {"radius_km": "10", "work_type": "full_time"})
    assert len(response.context["page_obj"].object_list) == 3
    assert far.pk and response["Cache-Control"].count("no-store") == 1


def test_a_resident_applies_once_and_sees_it_in_my_applications(signed_in, resident, employer, neighbour_community):
    job = JobFactory(employer=employer)
    assert signed_in.get(reverse("portal:m_job_detail", args=[job.pk])).status_code == 200
    response = signed_in.post(reverse("portal:m_apply", args=[job.pk]))
    assert response["Location"] == reverse("portal:m_applications")
    signed_in.post(reverse("portal:m_apply", args=[job.pk]))
    assert Application.objects.filter(resident=resident).count() == 1
    someone_else = ResidentFactory(community=neighbour_community)
    apply_to_job(someone_else, JobFactory(employer=employer, title="别人的申请"), by=None)
    page = signed_in.get(reverse("portal:m_applications")).content.decode()
    assert job.title in page and "别人的申请" not in page


def test_a_closed_job_is_404_unless_the_resident_applied(signed_in, resident, employer):
    closed = JobFactory(employer=employer, status="closed")
    assert signed_in.get(reverse("portal:m_job_detail", args=[closed.pk])).status_code == 404
    applied = JobFactory(employer=employer)
    apply_to_job(resident, applied, by=None)
    applied.status = "closed"
    applied.save()
    assert signed_in.get(reverse("portal:m_job_detail", args=[applied.pk])).status_code == 200


def test_the_profile_saves_the_intention_through_the_service(signed_in, resident):
    response = signed_in.post(reverse("portal:m_profile"), {
        "education": "30", "employment_status": "unemployed", "skills": "叉车，电焊",
        "occupation_codes": "4-10-01-05 养老护理员", "work_type": "part_time", "min_monthly_pay": "3000",
        "max_distance_km": "5",
    })  # fmt: skip
    assert response["Location"] == reverse("portal:m_jobs")
    resident.refresh_from_db()
    assert resident.skills == ["叉车", "电焊"] and resident.is_job_seeking
    assert resident.intention.work_type == "part_time" and float(resident.intention.max_distance_km) == 5.0
    assert [o.code for o in resident.intention.occupations.all()] == ["4-10-01-05"]
    response = signed_in.post(reverse("portal:m_profile"), {"employment_status": "unemployed", "work_type": "gig",
                                                            "max_distance_km": "80"})  # fmt: skip
    assert response.status_code == 200 and response.context["form"].errors["max_distance_km"]


def test_h5_pages_are_not_cached(signed_in):
    assert "no-store" in signed_in.get(reverse("portal:m_home"))["Cache-Control"]


# Shared networks (issue 17): a service station's one address serves a queue of residents.


def solve_captcha(page):
    """The answer of the captcha on ``page``, read from the library's store (what the picture shows)."""
    from captcha.models import CaptchaStore

    key = re.search(r'name="captcha_0" value="(\w+)"', page.content.decode()).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


@pytest.fixture
def station_clock(monkeypatch):
    """Ten o'clock, moved on a minute per resident: the whole queue falls within one hour."""
    import datetime

    from django.utils import timezone

    from jobcircle.accounts import services

    state = {"now": timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)}
    monkeypatch.setattr(services, "_now", lambda: state["now"])
    return lambda: state.update(now=state["now"] + datetime.timedelta(minutes=1))


def test_thirty_residents_sign_in_from_one_address_in_an_hour(client, community, station_clock, settings):
    login = reverse("portal:m_login")
    for i in range(30):
        phone = demo_phone()
        resident = ResidentFactory(community=community)
        resident.set_phone(phone)
        resident.save()
        client.logout()
        page = client.get(login, REMOTE_ADDR="198.51.100.7")
        asked = {"phone": phone, "action": "send"}
        if i >= settings.JOBCIRCLE_SMS_CAPTCHA_AFTER:
            assert 'alt="图片验证码' in page.content.decode()
            sent_before = len(MemoryBackend.outbox)
            refused = client.post(login, asked, REMOTE_ADDR="198.51.100.7")  # no answer: nothing is sent
            assert "图片验证码" in refused.content.decode() and len(MemoryBackend.outbox) == sent_before
            asked |= solve_captcha(refused)
        else:
            assert "captcha_0" not in page.content.decode()
        sent = client.post(login, asked, REMOTE_ADDR="198.51.100.7")
        assert sent.status_code == 200 and sent.context["code_sent"], i
        code = re.search(r"\d{6}", MemoryBackend.outbox[-1][1]).group()
        assert MemoryBackend.outbox[-1][0] == phone
        done = client.post(login, {"phone": phone, "code": code, "action": "verify"}, REMOTE_ADDR="198.51.100.7")
        assert done["Location"] == reverse("portal:m_home")
        station_clock()


def test_a_wrong_captcha_answer_sends_nothing_and_shows_a_new_picture(client, db, settings):
    login = reverse("portal:m_login")
    for _ in range(settings.JOBCIRCLE_SMS_CAPTCHA_AFTER):
        client.post(login, {"phone": demo_phone(), "action": "send"}, REMOTE_ADDR="198.51.100.8")
    sent = len(MemoryBackend.outbox)
    page = client.get(login, REMOTE_ADDR="198.51.100.8")
    answer = solve_captcha(page)
    answer["captcha_1"] = str(int(answer["captcha_1"]) + 1)
    response = client.post(login, {"phone": demo_phone(), "action": "send", **answer}, REMOTE_ADDR="198.51.100.8")
    assert "计算结果不正确" in response.content.decode() and len(MemoryBackend.outbox) == sent
    assert solve_captcha(response)["captcha_0"] != answer["captcha_0"]
    image = client.get(re.search(r'src="(/m/captcha/\w+/)"', response.content.decode()).group(1))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_a_trusted_office_network_signs_in_without_a_captcha(client, db, settings):
    settings.JOBCIRCLE_TRUSTED_NETWORKS = ["198.51.100.0/24"]
    login = reverse("portal:m_login")
    for _ in range(settings.JOBCIRCLE_SMS_CAPTCHA_AFTER + 3):
        response = client.post(login, {"phone": demo_phone(), "action": "send"}, REMOTE_ADDR="198.51.100.9")
        assert response.context["code_sent"] and "captcha_0" not in response.content.decode()


def test_the_address_counted_is_the_one_the_trusted_proxy_saw_not_a_forged_header(client, db, settings):
    settings.JOBCIRCLE_TRUSTED_PROXIES = ["10.0.0.2"]
    settings.JOBCIRCLE_TRUSTED_NETWORKS = ["192.0.2.0/24"]
    login = reverse("portal:m_login")
    for i in range(settings.JOBCIRCLE_SMS_CAPTCHA_AFTER):  # a forged header from outside is not believed
        client.post(login, {"phone": demo_phone(), "action": "send"}, REMOTE_ADDR="203.0.113.5",
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")  # fmt: skip
    assert "captcha_0" in client.get(login, REMOTE_ADDR="203.0.113.5").content.decode()
    via_proxy = client.post(login, {"phone": demo_phone(), "action": "send"}, REMOTE_ADDR="10.0.0.2",
                            HTTP_X_FORWARDED_FOR="203.0.113.99, 192.0.2.40")  # fmt: skip
    assert via_proxy.context["code_sent"]  # the office address the proxy appended is trusted
