"""The monitoring screens: own area 200, other area 404, other role 403, and the work done from them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobcircle.assistance.models import (
    MonitoringRecord,
    MonitoringTask,
)
from jobcircle.assistance.monitoring import services
from jobcircle.people.models import Placement
from tests.factories import EmployerFactory

from ..factories import login, tagged_resident, this_month

pytestmark = pytest.mark.django_db


def test_the_task_list_costs_the_same_queries_for_more_rows(client, community, community_staff):
    tagged_resident(community, "poverty_alleviated")
    services.generate_monitoring_tasks(this_month())
    client = login(client, community_staff)
    url = reverse("assistance:task_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        tagged_resident(community, "poverty_alleviated")
    services.generate_monitoring_tasks(this_month())
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


def test_a_staff_member_records_a_month_and_sees_it_in_the_history(client, world, community_staff):
    task = world["task"]
    url = reverse("assistance:record_task", args=[task.pk])
    data = {
        "employment_status": "employed",
        "work_location": "in_province",
        "employer_name": "某电子厂",
        "months_worked": "1",
        "monthly_income": "4100",
    }
    response = login(client, community_staff).post(url, data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == "done"
    assert "某电子厂" in client.get(url).content.decode()


def test_the_monitoring_form_is_prefilled_with_this_months_hire_and_its_employer(
    client, world, community, community_staff
):
    person, task = world["person"], world["task"]
    employer = EmployerFactory(name="县城电子厂", community=community)
    Placement.objects.create(resident=person, employer=employer, started_on=task.month, area_code=person.area_code)
    person.employment_status, person.is_job_seeking = "employed", False
    person.save(update_fields=["employment_status", "is_job_seeking"])
    response = login(client, community_staff).get(reverse("assistance:record_task", args=[task.pk]))
    form = response.context["form"]
    assert form.initial["employment_status"] == "employed"
    assert form.initial["employer_name"] == "县城电子厂"
    assert "本月经平台录用：县城电子厂" in response.content.decode()


def test_the_monitoring_form_of_an_idle_seeker_is_prefilled_with_the_wish_to_work(client, world, community_staff):
    person, task = world["person"], world["task"]
    person.employment_status, person.is_job_seeking = "unemployed", True
    person.save(update_fields=["employment_status", "is_job_seeking"])
    form = login(client, community_staff).get(reverse("assistance:record_task", args=[task.pk])).context["form"]
    assert (form.initial["employment_status"], form.initial["wants_work"]) == ("unemployed", "是")


def test_a_bad_monitoring_form_shows_the_error_beside_the_field(client, world, community_staff):
    url = reverse("assistance:record_task", args=[world["task"].pk])
    response = login(client, community_staff).post(url, {"employment_status": "employed"})
    assert response.status_code == 200
    assert "务工地点：已就业或灵活就业时必填" in response.content.decode()
    assert not MonitoringRecord.objects.filter(resident=world["person"]).exists()


def test_generating_tasks_from_the_screen_is_idempotent(client, world, community_staff):
    before = MonitoringTask.objects.count()
    login(client, community_staff).post(reverse("assistance:generate_tasks"), {"month": f"{this_month():%Y-%m}"})
    assert MonitoringTask.objects.count() == before


def test_only_the_county_admin_sets_the_monitoring_policy(client, county, county_admin, township_staff):
    url = reverse("assistance:policy")
    assert login(client, township_staff).get(url).status_code == 403
    response = login(client, county_admin).post(
        url, {"key_groups": ["graduate"], "min_age": 16, "max_age": 35, "due_day": 20}
    )
    assert response.status_code == 302
    assert services.policy_for(county.code).key_group_codes == ("graduate",)


def test_another_areas_staff_cannot_record_a_task(client, world, neighbour_staff, other_township_staff):
    task = world["task"]
    data = {"employment_status": "employed", "work_location": "local", "months_worked": 1}
    for user in (neighbour_staff, other_township_staff):
        assert login(client, user).post(reverse("assistance:record_task", args=[task.pk]), data).status_code == 404
    assert not MonitoringRecord.objects.filter(resident=task.resident, month=task.month).exists()


def test_a_role_without_casework_cannot_record_generate_or_remind(client, world, audit_admin, resident_user):
    task = world["task"]
    before = MonitoringTask.objects.count()
    for user in (audit_admin, resident_user):
        client = login(client, user)
        recorded = client.post(reverse("assistance:record_task", args=[task.pk]), {"employment_status": "employed"})
        generated = client.post(reverse("assistance:generate_tasks"), {"month": f"{this_month():%Y-%m}"})
        reminded = client.post(reverse("assistance:remind_overdue"))
        assert (recorded.status_code, generated.status_code, reminded.status_code) == (403, 403, 403)
    assert MonitoringTask.objects.count() == before
    assert not MonitoringRecord.objects.filter(resident=task.resident).exists()


def test_the_task_list_shows_a_chosen_sub_area_only(client, world, township_staff, neighbour_community):
    neighbour = tagged_resident(neighbour_community, "poverty_alleviated")
    services.generate_monitoring_tasks(this_month())
    client = login(client, township_staff)
    page = client.get(reverse("assistance:task_list"), {"area": world["person"].area_code}).content.decode()
    assert world["task"].resident.id_number_masked in page and neighbour.id_number_masked not in page
