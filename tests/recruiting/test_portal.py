"""The portal shows where an application stands: 我的申请 (resident) and the applicant list (employer)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcircle.recruiting.services import apply_to_job, transition
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(resident, resident_user, employer, employer_user):
    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    at = timezone.make_aware(datetime.datetime(2026, 12, 3, 14, 0))
    return transition(application, "interview", by=employer_user, interview_at=at, interview_place="幸福社区就业服务站")


def test_my_applications_show_the_status_and_interview_details(client, resident_user, interview):
    client.force_login(resident_user)
    page = client.get(reverse("portal:m_applications")).content.decode()
    assert "待面试" in page and "12月3日 14:00" in page and "幸福社区就业服务站" in page


def test_the_applicant_list_shows_the_status(client, employer_user, interview, employer):
    client.force_login(employer_user)
    page = client.get(reverse("portal:employer_applicants", args=[interview.job_id])).content.decode()
    assert "待面试" in page and "幸福社区就业服务站" in page


def test_a_hired_application_shows_the_start_date(client, resident_user, interview, employer_user):
    transition(interview, "offer", by=employer_user)
    transition(interview, "hired", by=employer_user, started_on=datetime.date(2026, 12, 8))
    client.force_login(resident_user)
    page = client.get(reverse("portal:m_applications")).content.decode()
    assert "已入职" in page and "2026年12月8日" in page
