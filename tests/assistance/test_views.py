"""Casework screens across the seams: the role triad on every list and detail (own area 200, other area 404,
other role 403), the overview, and the ledger export every list shares (masked, or revealed with a reason)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobcircle.assistance.enums import ImportState
from jobcircle.assistance.models import (
    ImportBatch,
    MonitoringRecord,
)
from jobcircle.common import pii
from jobcircle.common.models import AuditEvent

from .factories import exported_sheet, login, this_month

pytestmark = pytest.mark.django_db


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


def test_ledger_exports_are_masked_watermarked_and_neutralise_formulas(client, world, community_staff):
    response = login(client, community_staff).get(reverse("assistance:placement_list"), {"export": "xlsx"})
    sheet = exported_sheet(response)
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
    sheet = exported_sheet(response)
    assert sheet["A3"].value == pii.decrypt(world["idle"].id_number_encrypted)
    event = AuditEvent.objects.filter(action="assistance.ledger.exported").latest("id")
    assert event.data["revealed"] is True and event.data["reason"] == "核对后重新导入"
    assert pii.decrypt(world["idle"].id_number_encrypted) not in str(event.data)


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
    assert exported_sheet(response)["A3"].value == pii.decrypt(world["idle"].id_number_encrypted)
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
    assert exported_sheet(client.post(url, {"reason": "核对后重新导入"}))["A3"].value == pii.decrypt(
        world["idle"].id_number_encrypted
    )
    refused = client.post(url, {"reason": "核对后重新导入"}, follow=True)
    assert "查看完整号码过于频繁" in refused.content.decode()
    assert pii.decrypt(world["idle"].id_number_encrypted) not in refused.content.decode()
    assert AuditEvent.objects.filter(action="people.resident.pii_reveal_throttled", actor=community_staff).exists()


def test_a_role_without_the_reveal_permission_gets_no_full_idexported_sheet(
    client, world, community_staff, monkeypatch
):
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
    assert exported_sheet(response).protection.sheet is True
