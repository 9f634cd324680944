"""Back-office employer and job screens: role triad, filters, export, posting with compliance feedback."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jobcircle.employers.models import Employer, Job
from tests.factories import EmployerFactory, JobFactory, demo_credit_code, demo_phone


@pytest.fixture
def other_employer(neighbour_community):
    return EmployerFactory(community=neighbour_community, name="邻社区工厂")


def job_data(**overrides):
    return {
        "title": "收银员", "occupation_code": "4-10-01-05 养老护理员", "headcount": 2, "pay_min": 3000, "pay_max": 4000,
        "work_type": "full_time", "education_min": "0", "description": "收银", "requirements": "男女不限",
        "valid_from": "2026-01-01", "valid_until": "2099-12-31", **overrides,
    }  # fmt: skip


def test_community_staff_see_their_employers_and_jobs_and_get_404_elsewhere(
    client, community_staff, employer, other_employer
):
    own_job, other_job = JobFactory(employer=employer), JobFactory(employer=other_employer)
    client.force_login(community_staff)
    assert client.get(reverse("employers:employer_detail", args=[employer.pk])).status_code == 200
    assert client.get(reverse("employers:employer_detail", args=[other_employer.pk])).status_code == 404
    assert client.get(reverse("employers:job_detail", args=[own_job.pk])).status_code == 200
    assert client.get(reverse("employers:job_detail", args=[other_job.pk])).status_code == 404
    assert client.get(reverse("employers:job_create", args=[other_employer.pk])).status_code == 404
    assert client.post(reverse("employers:job_status", args=[other_job.pk]), {"status": "paused"}).status_code == 404
    assert list(client.get(reverse("employers:employer_list")).context["page_obj"].object_list) == [employer]
    assert list(client.get(reverse("employers:job_list")).context["page_obj"].object_list) == [own_job]


@pytest.mark.parametrize("who", ["resident_user", "employer_user"])
def test_residents_and_employers_get_403(client, request, who, employer):
    client.force_login(request.getfixturevalue(who))
    job = JobFactory(employer=employer)
    for url in [reverse("employers:employer_list"), reverse("employers:employer_detail", args=[employer.pk]),
                reverse("employers:job_list"), reverse("employers:job_detail", args=[job.pk])]:  # fmt: skip
        assert client.get(url).status_code == 403


def test_lists_pin_their_queries(client, county_admin, employer, django_assert_max_num_queries):
    for _ in range(25):
        JobFactory(employer=EmployerFactory(community=employer.community))
    client.force_login(county_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("employers:employer_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("employers:job_list"), {"sort": "-pay_max"}).status_code == 200


def test_job_filters_by_title_status_occupation_and_work_type(client, county_admin, employer):
    match = JobFactory(employer=employer, title="叉车司机", work_type="gig")
    JobFactory(employer=employer, title="叉车司机", status="paused")
    JobFactory(employer=employer, title="厨师")
    client.force_login(county_admin)
    params = {"q": "叉车", "status": "open", "occupation": "4-10", "work_type": "gig"}
    assert list(client.get(reverse("employers:job_list"), params).context["page_obj"].object_list) == [match]


def test_job_export_is_the_filtered_list(client, county_admin, employer):
    JobFactory(employer=employer, title="甲岗位")
    JobFactory(employer=employer, title="乙岗位", status="closed")
    client.force_login(county_admin)
    response = client.get(reverse("employers:job_list"), {"status": "open", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["甲岗位"]


def test_a_blocked_phrase_is_an_error_beside_its_field_with_the_phrase_highlighted(client, community_staff, employer):
    client.force_login(community_staff)
    response = client.post(reverse("employers:job_create", args=[employer.pk]), job_data(requirements="限男性"))
    assert response.status_code == 200
    assert "「限男性」" in response.context["form"].errors["requirements"][0]
    assert '<mark class="block">限男性</mark>' in response.content.decode()
    assert not Job.objects.exists()


def test_staff_post_edit_and_pause_a_job(client, community_staff, employer):
    client.force_login(community_staff)
    response = client.post(reverse("employers:job_create", args=[employer.pk]), job_data())
    job = Job.objects.get()
    assert response["Location"] == reverse("employers:job_detail", args=[job.pk]) and job.status == "open"
    client.post(reverse("employers:job_edit", args=[job.pk]), job_data(title="收银主管", headcount=1))
    job.refresh_from_db()
    assert (job.title, job.headcount) == ("收银主管", 1)
    client.post(reverse("employers:job_status", args=[job.pk]), {"status": "paused"})
    job.refresh_from_db()
    assert job.status == "paused"


def test_registering_an_employer_validates_the_credit_code_beside_the_field(client, community_staff, community):
    client.force_login(community_staff)
    data = {"name": "新单位", "credit_code": "91990121MA0000000X", "employer_type": "enterprise", "size": "small",
            "address": "幸福路1号", "community_code": community.code, "contact_name": "王经理",
            "contact_phone": demo_phone()}  # fmt: skip
    response = client.post(reverse("employers:employer_create"), data)
    assert "credit_code" in response.context["form"].errors
    data["credit_code"] = demo_credit_code()
    response = client.post(reverse("employers:employer_create"), data)
    assert response.status_code == 302 and Employer.objects.get(name="新单位").area_code == community.code


def test_an_employer_of_a_community_without_a_station_is_registered_with_a_warning(client, township_staff, community):
    from tests.factories import region

    bare = region("990121001009", "新建社区", 5, community.parent)
    client.force_login(township_staff)
    data = {"name": "新社区单位", "credit_code": demo_credit_code(), "employer_type": "enterprise", "size": "small",
            "address": "新建路1号", "community_code": bare.code, "contact_name": "王经理",
            "contact_phone": demo_phone()}  # fmt: skip
    response = client.post(reverse("employers:employer_create"), data, follow=True)
    assert Employer.objects.get(name="新社区单位").lat == community.stations.get().lat
    assert "新建社区尚未设置就业服务站" in response.content.decode()


def test_a_job_and_a_resident_stored_with_a_control_character_still_export(client, county_admin, employer):
    """Rows written before input refused control characters (here: straight into the table) export cleanly."""
    from tests.factories import ResidentFactory

    job = JobFactory(employer=employer)
    Job.objects.filter(pk=job.pk).update(title="门店\x1f理货员")
    person = ResidentFactory(community=employer.community)
    type(person).objects.filter(pk=person.pk).update(name="张\x1f三")
    client.force_login(county_admin)
    jobs = client.get(reverse("employers:job_list"), {"export": "xlsx"})
    assert jobs.status_code == 200
    assert [
        row[0] for row in load_workbook(io.BytesIO(jobs.content)).active.iter_rows(min_row=3, values_only=True)
    ] == ["门店理货员"]
    residents = client.get(reverse("people:resident_list"), {"export": "xlsx"})
    assert residents.status_code == 200
    names = [
        row[0] for row in load_workbook(io.BytesIO(residents.content)).active.iter_rows(min_row=3, values_only=True)
    ]
    assert names and "\x1f" not in "".join(names)


def test_the_job_form_refuses_a_control_character_beside_the_field(client, community_staff, employer):
    client.force_login(community_staff)
    response = client.post(reverse("employers:job_create", args=[employer.pk]), job_data(title="门店\x1f理货员"))
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["岗位名称：不能包含控制字符或换行"]
    assert not Job.objects.exists()


def test_an_overlong_description_is_refused_by_the_form_before_the_compliance_checker_reads_it(
    client, community_staff, employer, monkeypatch
):
    from jobcircle.employers import compliance, forms, services

    read = []
    real = compliance.review_posting

    def spy(fields, **kwargs):
        read.extend(len(text or "") for text in fields.values())
        return real(fields, **kwargs)

    monkeypatch.setattr(forms, "review_posting", spy)
    monkeypatch.setattr(services, "review_posting", spy)
    limit = Job._meta.get_field("description").max_length
    client.force_login(community_staff)
    response = client.post(
        reverse("employers:job_create", args=[employer.pk]), job_data(description="缝" * (limit + 1))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["description"]
    assert read and max(read) <= limit  # the other fields are highlighted; the long one is never scanned
    assert not Job.objects.exists()
