"""The portal shows where an application stands: 我的申请 (resident) and the applicant list (employer)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.recruiting.services import apply_to_job, transition
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(resident, resident_user, employer, employer_user):
    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    at = timezone.make_aware(datetime.datetime(2026, 12, 3, 14, 0))
    return transition(
        application,
        "interview",
        by=employer_user,
        scope=scope_for_user(employer_user),
        interview_at=at,
        interview_place="幸福社区就业服务站",
    )


def test_my_applications_show_the_status_and_interview_details(client, resident_user, interview):
    client.force_login(resident_user)
    page = client.get(reverse("portal:m_applications")).content.decode()
    assert "待面试" in page and "12月3日 14:00" in page and "幸福社区就业服务站" in page


def test_the_applicant_list_shows_the_status(client, employer_user, interview, employer):
    client.force_login(employer_user)
    page = client.get(reverse("portal:employer_applicants", args=[interview.job_id])).content.decode()
    assert "待面试" in page and "幸福社区就业服务站" in page


def test_a_hired_application_shows_the_start_date(client, resident_user, interview, employer_user):
    transition(interview, "offer", by=employer_user, scope=scope_for_user(employer_user))
    transition(
        interview, "hired", by=employer_user, scope=scope_for_user(employer_user), started_on=datetime.date(2026, 12, 8)
    )
    client.force_login(resident_user)
    page = client.get(reverse("portal:m_applications")).content.decode()
    assert "已入职" in page and "2026年12月8日" in page


def _move(client, application, **data):
    return client.post(reverse("portal:employer_application_transition", args=[application.pk]), data, follow=True)


def test_the_employer_moves_an_applicant_from_interview_to_hire_on_the_portal(
    client, employer_user, resident, resident_user, employer
):
    application = apply_to_job(resident, JobFactory(employer=employer, headcount=1), by=resident_user)
    client.force_login(employer_user)
    page = _move(client, application, status="interview", interview_at="2026-12-03T14:00", interview_place="服务站")
    assert "申请状态已更新" in page.content.decode()
    application.refresh_from_db()
    assert application.status == "interview" and timezone.localtime(application.interview_at).hour == 14
    _move(client, application, status="offer")
    page = _move(client, application, status="hired", started_on="2026-12-08").content.decode()
    application.refresh_from_db()
    assert application.status == "hired" and "已入职" in page
    resident.refresh_from_db()
    assert resident.employment_status == "employed"


def test_an_illegal_move_shows_the_reason(client, employer_user, resident, resident_user, employer):
    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    client.force_login(employer_user)
    page = _move(client, application, status="hired", started_on="2026-12-08").content.decode()
    assert "不能从" in page
    page = _move(client, application, status="interview").content.decode()
    assert "面试时间" in page
    application.refresh_from_db()
    assert application.status == "applied"


def test_another_employer_gets_404_and_other_roles_403(
    client, resident, resident_user, employer, community, township_staff
):
    from tests.factories import EmployerFactory, Role, make_user

    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    client.force_login(make_user("stranger", Role.EMPLOYER, employer=EmployerFactory(community=community)))
    assert _move(client, application, status="screening").status_code == 404
    for user in (resident_user, township_staff):
        client.force_login(user)
        assert _move(client, application, status="screening").status_code == 403
    application.refresh_from_db()
    assert application.status == "applied"


def test_the_resident_withdraws_their_own_application_only(client, resident, resident_user, employer, community):
    from tests.factories import ResidentFactory

    mine = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    theirs = apply_to_job(ResidentFactory(community=community), JobFactory(employer=employer), by=None)
    client.force_login(resident_user)
    assert "撤回申请" in client.get(reverse("portal:m_applications")).content.decode()
    assert client.post(reverse("portal:m_withdraw", args=[theirs.pk])).status_code == 404
    page = client.post(reverse("portal:m_withdraw", args=[mine.pk]), follow=True).content.decode()
    assert "已撤回该申请" in page and "撤回申请</a>" not in page
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "withdrawn" and theirs.status == "applied"


def test_staff_and_employers_cannot_use_the_resident_withdraw(client, resident, resident_user, employer, employer_user):
    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    client.force_login(employer_user)
    assert client.post(reverse("portal:m_withdraw", args=[application.pk])).status_code == 403
    application.refresh_from_db()
    assert application.status == "applied"
