"""Casework screens: the role triad on every screen (own area 200, other area 404, other role 403), and the work."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jobcircle.assistance import services
from jobcircle.assistance.enums import ImportKind, ImportState
from jobcircle.assistance.models import (
    AssistanceCase,
    CaseService,
    ImportBatch,
    MonitoringRecord,
    MonitoringTask,
    WelfarePlacement,
    WelfarePost,
    Workshop,
    WorkshopCheck,
)
from jobcircle.common import pii
from jobcircle.common.models import AuditEvent
from jobcircle.people.models import Placement
from tests.factories import EmployerFactory

from .factories import months_ago, tagged_resident, this_month, welfare_post, workshop
from .test_imports import RESIDENT_HEADERS, resident_rows, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(community, community_staff):
    """One of everything in 幸福社区 (the community staff's area)."""
    person = tagged_resident(community, "poverty_alleviated", name='=HYPERLINK("http://x","点我")')
    idle = tagged_resident(community, "monitored")
    services.generate_monitoring_tasks(this_month())
    services.record_monitoring(
        idle,
        month=this_month(),
        by=community_staff,
        data={"employment_status": "unemployed", "not_employed_reason": "no_skills", "wants_work": "是"},
    )
    post = welfare_post(community)
    placement = services.place_on_welfare_post(post, person, by=community_staff, started_on=months_ago(1))
    shop = workshop(community)
    batch = ImportBatch.objects.create(
        kind=ImportKind.RESIDENTS,
        sha256="0" * 64,
        original_name="x.xlsx",
        stored_name="",
        area_code=community.code,
        created_by=community_staff,
        state=ImportState.REJECTED,
    )
    return {
        "person": person,
        "idle": idle,
        "task": MonitoringTask.objects.get(resident=person),
        "case": AssistanceCase.objects.get(resident=idle),
        "post": post,
        "placement": placement,
        "workshop": shop,
        "batch": batch,
    }


def login(client, user):
    client.force_login(user)
    return client


LISTS = ["index", "task_list", "case_list", "post_list", "placement_list", "workshop_list", "import_list"]
DETAILS = [
    ("record_task", "task"),
    ("case_detail", "case"),
    ("post_detail", "post"),
    ("workshop_detail", "workshop"),
    ("import_detail", "batch"),
    ("import_progress", "batch"),
]


@pytest.mark.parametrize("name", LISTS)
def test_lists_open_for_staff_and_refuse_other_roles(
    client, world, community_staff, resident_user, employer_user, name
):
    url = reverse(f"assistance:{name}")
    assert login(client, community_staff).get(url).status_code == 200
    for user in (resident_user, employer_user):
        assert login(client, user).get(url).status_code == 403


@pytest.mark.parametrize("name", LISTS[:-1])
def test_a_sub_area_outside_the_scope_is_404(client, world, community_staff, village, name):
    response = login(client, community_staff).get(reverse(f"assistance:{name}"), {"area": village.code})
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "key"), DETAILS)
def test_details_are_200_in_the_area_404_outside_and_403_for_other_roles(
    client, world, community_staff, neighbour_staff, other_township_staff, resident_user, name, key
):
    url = reverse(f"assistance:{name}", args=[world[key].pk])
    assert login(client, community_staff).get(url).status_code == 200
    assert login(client, neighbour_staff).get(url).status_code == 404
    assert login(client, other_township_staff).get(url).status_code == 404
    assert login(client, resident_user).get(url).status_code == 403


def test_other_areas_rows_do_not_appear_in_lists(client, world, neighbour_staff, township_staff):
    page = login(client, neighbour_staff).get(reverse("assistance:task_list")).content.decode()
    assert world["task"].resident.id_number_masked not in page
    page = login(client, township_staff).get(reverse("assistance:task_list")).content.decode()
    assert world["task"].resident.id_number_masked in page


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


def test_case_services_and_transitions_from_the_screen(client, world, community_staff):
    case = world["case"]
    client = login(client, community_staff)
    client.post(
        reverse("assistance:case_service", args=[case.pk]),
        {"kind": "guidance", "provided_on": services.today().isoformat(), "note": "面谈"},
    )
    assert CaseService.objects.filter(case=case, kind="guidance").exists()
    client.post(reverse("assistance:case_transition", args=[case.pk]), {"to_state": "withdrawn", "note": "外出上学"})
    case.refresh_from_db()
    assert case.state == "withdrawn"


def test_welfare_posts_placements_and_exits_from_the_screen(client, community, community_staff):
    client = login(client, community_staff)
    response = client.post(
        reverse("assistance:post_create"),
        {
            "name": "保洁员",
            "area_type": "urban",
            "community_code": community.code,
            "unit_name": "幸福社区居委会",
            "headcount": 2,
            "monthly_pay": "2000",
            "monthly_subsidy": "1500",
            "term_start": months_ago(3).isoformat(),
            "term_end": months_ago(-12).isoformat(),
        },
    )
    post = WelfarePost.objects.get()
    assert response.status_code == 302
    person = tagged_resident(community, "employment_difficulty")
    client.post(
        reverse("assistance:placement_add", args=[post.pk]),
        {"id_number": pii.decrypt(person.id_number_encrypted), "started_on": months_ago(1).isoformat()},
    )
    placement = WelfarePlacement.objects.get(resident=person)
    client.post(
        reverse("assistance:placement_exit", args=[placement.pk]),
        {"exited_on": services.today().isoformat(), "exit_reason": "found_job"},
    )
    placement.refresh_from_db()
    assert placement.exit_reason == "found_job"


def test_placing_someone_from_another_area_is_refused_beside_the_field(client, world, community_staff, village):
    outsider = tagged_resident(village, "employment_difficulty")
    response = login(client, community_staff).post(
        reverse("assistance:placement_add", args=[world["post"].pk]),
        {"id_number": pii.decrypt(outsider.id_number_encrypted), "started_on": months_ago(1).isoformat()},
    )
    assert response.status_code == 200 and "没有该身份证号的居民" in response.content.decode()


def test_workshops_are_registered_and_checked_from_the_screen(client, community, community_staff):
    client = login(client, community_staff)
    client.post(
        reverse("assistance:workshop_create"),
        {
            "code": "CJ-9",
            "name": "编织车间",
            "community_code": community.code,
            "operator_name": "某合作社",
            "certified_on": months_ago(6).isoformat(),
        },
    )
    shop = Workshop.objects.get(code="CJ-9")
    client.post(
        reverse("assistance:workshop_detail", args=[shop.pk]),
        {"month": f"{months_ago(1):%Y-%m}", "status": "buffer", "workers": 9, "poverty_workers": 4},
    )
    assert WorkshopCheck.objects.get(workshop=shop).status == "buffer"


# --- Excel in and out ----------------------------------------------------------------------------


def test_an_upload_is_checked_then_confirmed_and_its_progress_reported(client, community, community_staff):
    client = login(client, community_staff)
    content = xlsx(RESIDENT_HEADERS, resident_rows(community, 2))
    response = client.post(
        reverse("assistance:import_list"), {"kind": "residents", "file": SimpleUploadedFile("居民.xlsx", content)}
    )
    batch = ImportBatch.objects.get()
    assert response.url == reverse("assistance:import_detail", args=[batch.pk])
    progress = client.get(reverse("assistance:import_progress", args=[batch.pk])).json()
    assert progress["finished"] and progress["percent"] == 100 and progress["state"] == "previewed"
    client.post(reverse("assistance:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == ImportState.APPLIED and batch.created_count == 2


def test_a_rejected_upload_offers_its_error_workbook_as_an_attachment(client, community, community_staff):
    rows = resident_rows(community, 2)
    rows[0][1] = "990000"
    client = login(client, community_staff)
    client.post(
        reverse("assistance:import_list"),
        {"kind": "residents", "file": SimpleUploadedFile("x.xlsx", xlsx(RESIDENT_HEADERS, rows))},
    )
    batch = ImportBatch.objects.get()
    response = client.get(reverse("assistance:import_errors", args=[batch.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["错误清单"]
    assert sheet["A2"].value == 2 and sheet["B2"].value == "身份证号"


def test_a_refused_upload_shows_why_beside_the_file_field(client, community_staff):
    response = login(client, community_staff).post(
        reverse("assistance:import_list"),
        {"kind": "residents", "file": SimpleUploadedFile("x.xlsx", b"MZ" + b"0" * 99)},
    )
    assert response.status_code == 200 and "文件内容与扩展名不符" in response.content.decode()


@pytest.mark.parametrize("kind", list(ImportKind))
def test_templates_download_as_workbooks(client, community_staff, kind):
    response = login(client, community_staff).get(reverse("assistance:template_download", args=[kind]))
    assert response["Content-Disposition"].startswith("attachment")
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0]


def _export(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_ledger_exports_are_masked_watermarked_and_neutralise_formulas(client, world, community_staff):
    response = login(client, community_staff).get(reverse("assistance:placement_list"), {"export": "xlsx"})
    sheet = _export(response)
    assert sheet["A1"].value.startswith("导出人：community_staff")
    header = [c.value for c in sheet[2]]
    assert header[:2] == ["身份证号", "姓名"]
    id_cell, name_cell = sheet["A3"], sheet["B3"]
    assert id_cell.data_type == "s" and id_cell.value == world["person"].id_number_masked and "*" in id_cell.value
    assert name_cell.data_type != "f" and name_cell.value.startswith("'=")
    assert AuditEvent.objects.filter(action="assistance.ledger.exported").exists()


def test_a_full_id_export_needs_a_reason_and_is_audited(client, world, community_staff):
    client = login(client, community_staff)
    url = f"{reverse('assistance:task_list')}?month={this_month():%Y-%m}"
    refused = client.post(url, {"reason": "短"})
    assert refused.status_code == 302
    response = client.post(url, {"reason": "核对后重新导入"})
    sheet = _export(response)
    assert sheet["A3"].value == pii.decrypt(world["idle"].id_number_encrypted)
    event = AuditEvent.objects.filter(action="assistance.ledger.exported").latest("id")
    assert event.data["revealed"] is True and event.data["reason"] == "核对后重新导入"
    assert pii.decrypt(world["idle"].id_number_encrypted) not in str(event.data)


# Issue 21: the full-ID export goes through the one reveal door (people.services), not its own decrypt.


def test_a_full_id_export_goes_through_the_reveal_door(client, world, community_staff, monkeypatch):
    from jobcircle.people import services as people_services

    calls = []
    door = people_services.reveal_residents_pii_for_export

    def spy(residents, **kwargs):
        calls.append(([r.pk for r in residents], kwargs))
        return door(residents, **kwargs)

    monkeypatch.setattr(people_services, "reveal_residents_pii_for_export", spy)
    response = login(client, community_staff).post(
        f"{reverse('assistance:task_list')}?month={this_month():%Y-%m}", {"reason": "核对后重新导入"}
    )
    assert _export(response)["A3"].value == pii.decrypt(world["idle"].id_number_encrypted)
    [(residents, kwargs)] = calls
    assert world["idle"].pk in residents
    assert kwargs["by"] == community_staff and kwargs["fields"] == ["id_number"]
    assert kwargs["reason"] == "核对后重新导入"


def test_a_full_id_export_is_audited_as_a_reveal_with_its_row_count(client, world, community_staff):
    login(client, community_staff).post(
        f"{reverse('assistance:task_list')}?month={this_month():%Y-%m}", {"reason": "核对后重新导入"}
    )
    event = AuditEvent.objects.get(action="people.resident.pii_revealed", actor=community_staff)
    assert event.data["fields"] == ["id_number"] and event.data["reason"] == "核对后重新导入"
    assert event.data["rows"] == MonitoringRecord.objects.filter(month=this_month()).count()
    assert "month=" in event.data["filters"]
    assert pii.decrypt(world["idle"].id_number_encrypted) not in str(event.data)


def test_a_full_id_export_past_the_reveal_ceiling_is_refused(client, world, community_staff, settings):
    settings.JOBCIRCLE_REVEAL_LIMIT = 1
    url = f"{reverse('assistance:task_list')}?month={this_month():%Y-%m}"
    client = login(client, community_staff)
    assert _export(client.post(url, {"reason": "核对后重新导入"}))["A3"].value == pii.decrypt(
        world["idle"].id_number_encrypted
    )
    refused = client.post(url, {"reason": "核对后重新导入"}, follow=True)
    assert "查看完整号码过于频繁" in refused.content.decode()
    assert pii.decrypt(world["idle"].id_number_encrypted) not in refused.content.decode()
    assert AuditEvent.objects.filter(action="people.resident.pii_reveal_throttled", actor=community_staff).exists()


def test_a_role_without_the_reveal_permission_gets_no_full_id_export(client, world, community_staff, monkeypatch):
    from jobcircle.accounts import permissions

    casework_only = permissions.PERMISSIONS[community_staff.role] - {permissions.REVEAL_PII}
    monkeypatch.setitem(permissions.PERMISSIONS, community_staff.role, casework_only)
    response = login(client, community_staff).post(
        f"{reverse('assistance:task_list')}?month={this_month():%Y-%m}", {"reason": "核对后重新导入"}
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="people.resident.pii_revealed").exists()


def test_a_revealed_export_reimports_without_changes(client, world, community_staff):
    client = login(client, community_staff)
    response = client.post(
        f"{reverse('assistance:task_list')}?month={this_month():%Y-%m}", {"reason": "核对后重新导入"}
    )
    client.post(
        reverse("assistance:import_list"),
        {"kind": "monitoring", "file": SimpleUploadedFile("监测.xlsx", response.content)},
    )
    batch = ImportBatch.objects.filter(kind="monitoring").get()
    assert batch.state == ImportState.PREVIEWED, batch.message
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 1)


def test_exports_are_sheet_protected_when_configured(client, world, community_staff, settings):
    settings.JOBCIRCLE_EXPORT_SHEET_PASSWORD = "county-export"
    response = login(client, community_staff).get(reverse("assistance:workshop_list"), {"export": "xlsx"})
    assert _export(response).protection.sheet is True


def test_the_key_group_ledger_exports_in_the_residents_template_for_the_area_only(
    client, world, community_staff, neighbour_staff, resident_user, village
):
    url = reverse("assistance:resident_ledger")
    sheet = _export(login(client, community_staff).get(url, {"key_group": "monitored"}))
    assert [c.value for c in sheet[2]][:2] == ["姓名", "身份证号"]
    assert [row[1].value for row in sheet.iter_rows(min_row=3)] == [world["idle"].id_number_masked]
    assert _export(login(client, neighbour_staff).get(url, {"key_group": "monitored"})).max_row == 2
    assert login(client, community_staff).get(url, {"area": village.code}).status_code == 404
    assert login(client, resident_user).get(url).status_code == 403
