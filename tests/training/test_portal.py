"""H5 附近培训 and 见习岗位: within the resident's reach, intention matches first, eligibility shown, enrol/apply."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import JobIntention
from jobcircle.training.models import Enrolment, InternshipApplication
from tests.factories import ResidentFactory, make_user

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_resident_sees_nearby_programmes_matching_first_and_enrols(client, resident_user, community):
    provider = f.provider(community)
    station = community.stations.first()
    other = f.programme(provider, name="家政专项", occupation=None, special_name="家政服务")
    cook = f.programme(provider, name="厨师班")
    f.programme(provider, name="远处的班", lat=station.lat + 0.3, lng=station.lng)
    intention = JobIntention.objects.create(resident=resident_user.resident)
    intention.occupations.set([cook.occupation])
    client.force_login(resident_user)
    page = client.get("/m/training/").content.decode()
    assert page.index("厨师班") < page.index("家政专项") and "远处的班" not in page
    assert "与求职意向“中式烹调师”相符" in page
    assert "家政专项" not in client.get("/m/training/?mine=1").content.decode()
    client.post(f"/m/training/{cook.pk}/enrol/")
    assert Enrolment.objects.get().programme == cook
    page = client.get("/m/training/").content.decode()
    assert "厨师班：在训" in page and other.pk


def test_an_ineligible_resident_sees_why_and_cannot_enrol(client, resident_user, community):
    programme = f.programme(f.provider(community), max_age=20)
    client.force_login(resident_user)
    assert "年龄16–20岁" in client.get("/m/training/").content.decode()
    response = client.post(f"/m/training/{programme.pk}/enrol/", follow=True)
    assert "不符合报名条件" in response.content.decode() and not Enrolment.objects.exists()


def test_a_young_unemployed_resident_applies_for_an_internship(client, community, employer):
    person = ResidentFactory(community=community, birth_date=TODAY.replace(year=TODAY.year - 20) - datetime.timedelta(
        days=1), employment_status=EmploymentStatus.UNEMPLOYED)  # fmt: skip
    position = f.position(f.base(employer), title="文员见习")
    client.force_login(make_user("young", "resident", resident=person))
    assert "文员见习" in client.get("/m/internships/").content.decode()
    client.post(f"/m/internships/{position.pk}/apply/")
    client.post(f"/m/internships/{position.pk}/apply/")
    assert InternshipApplication.objects.get().resident == person


def test_staff_and_visitors_cannot_use_the_resident_pages(client, community_staff):
    assert client.get("/m/training/").status_code == 302  # to the resident sign-in
    client.force_login(community_staff)
    assert client.get("/m/training/").status_code == 403
    assert client.get("/m/internships/").status_code == 403
