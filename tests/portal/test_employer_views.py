"""Employer portal: self-registration, own jobs only, posting with compliance feedback, status, applicants."""

import pytest
from django.urls import reverse

from jobcircle.accounts.models import User
from jobcircle.employers.models import Job
from jobcircle.recruiting.services import apply_to_job
from tests.employers.test_views import job_data
from tests.factories import EmployerFactory, JobFactory, demo_credit_code, demo_phone


@pytest.fixture
def signed_in(client, employer_user):
    client.force_login(employer_user)
    return client


def registration(community, **overrides):
    return {
        "name": "自助注册小店", "credit_code": demo_credit_code(), "employer_type": "sole_proprietor", "size": "micro",
        "address": "幸福路8号", "community_code": community.code, "contact_name": "李老板",
        "contact_phone": demo_phone(), "username": "xiaodian", "password": "Kq7#mVz2-pLr9", **overrides,
    }  # fmt: skip


def test_an_employer_registers_itself_with_a_valid_credit_code(client, community):
    response = client.post(reverse("portal:employer_register"), registration(community, credit_code="91990121MA00001"))
    assert response.status_code == 200 and response.context["form"].errors["credit_code"]
    assert not User.objects.filter(username="xiaodian").exists()
    response = client.post(reverse("portal:employer_register"), registration(community))
    assert response["Location"] == reverse("portal:employer_home")
    user = User.objects.get(username="xiaodian")
    assert user.role == "employer" and user.employer.area_code == community.code
    assert not user.employer.is_key_enterprise


def test_a_weak_password_or_taken_username_writes_nothing(client, community, employer_user):
    response = client.post(reverse("portal:employer_register"),
                           registration(community, username="employer_user", password="123"))  # fmt: skip
    errors = response.context["form"].errors
    assert errors["username"] and errors["password"]
    assert not User.objects.filter(employer__name="自助注册小店").exists()


def test_employers_see_only_their_own_jobs(signed_in, employer, neighbour_community):
    mine = JobFactory(employer=employer, title="我的岗位")
    theirs = JobFactory(employer=EmployerFactory(community=neighbour_community), title="别家岗位")
    page = signed_in.get(reverse("portal:employer_home")).content.decode()
    assert "我的岗位" in page and "别家岗位" not in page
    assert signed_in.get(reverse("portal:employer_job_edit", args=[mine.pk])).status_code == 200
    for name in ("portal:employer_job_edit", "portal:employer_applicants"):
        assert signed_in.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert (
        signed_in.post(reverse("portal:employer_job_status", args=[theirs.pk]), {"action": "pause"}).status_code == 404
    )


def test_other_roles_get_403_and_anonymous_visitors_the_login(client, resident_user, county_admin):
    assert "/accounts/login/" in client.get(reverse("portal:employer_home"))["Location"]
    for user in (resident_user, county_admin):
        client.force_login(user)
        assert client.get(reverse("portal:employer_home")).status_code == 403


def test_a_blocked_phrase_is_quoted_and_highlighted_then_the_fixed_job_opens(signed_in, employer):
    response = signed_in.post(reverse("portal:employer_job_create"), job_data(requirements="限男性，有经验"))
    assert "「限男性」" in response.context["form"].errors["requirements"][0]
    assert '<mark class="block">限男性</mark>' in response.content.decode()
    response = signed_in.post(reverse("portal:employer_job_create"), job_data())
    assert response["Location"] == reverse("portal:employer_home")
    job = Job.objects.get(employer=employer)
    assert job.status == "open" and job.created_by.username == "employer_user"


def test_pause_resume_and_close(signed_in, employer):
    job = JobFactory(employer=employer)
    for action, status in [("pause", "paused"), ("open", "open"), ("close", "closed")]:
        signed_in.post(reverse("portal:employer_job_status", args=[job.pk]), {"action": action})
        job.refresh_from_db()
        assert job.status == status
    response = signed_in.post(reverse("portal:employer_job_status", args=[job.pk]), {"action": "open"}, follow=True)
    assert "不能从" in response.content.decode()


def test_applicants_are_listed_masked_with_distance(signed_in, employer, resident):
    job = JobFactory(employer=employer)
    apply_to_job(resident, job, by=None)
    page = signed_in.get(reverse("portal:employer_applicants", args=[job.pk])).content.decode()
    assert str(resident) in page and resident.name not in page and resident.phone_masked in page
    assert "米" in page
    assert "no-store" in signed_in.get(reverse("portal:employer_home"))["Cache-Control"]
