"""The imports screens: own area 200, other area 404, other role 403, and the work done from them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jobcircle.assistance.enums import ImportKind, ImportState
from jobcircle.assistance.models import ImportBatch
from jobcircle.people.models import Resident

from ..factories import exported_sheet, login
from ..test_imports import RESIDENT_HEADERS, resident_rows, xlsx
from .test_runner import previewed

pytestmark = pytest.mark.django_db


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


def test_the_key_group_ledger_exports_in_the_residents_template_for_the_area_only(
    client, world, community_staff, neighbour_staff, resident_user, village
):
    url = reverse("assistance:resident_ledger")
    sheet = exported_sheet(login(client, community_staff).get(url, {"key_group": "monitored"}))
    assert [c.value for c in sheet[2]][:2] == ["姓名", "身份证号"]
    assert [row[1].value for row in sheet.iter_rows(min_row=3)] == [world["idle"].id_number_masked]
    assert exported_sheet(login(client, neighbour_staff).get(url, {"key_group": "monitored"})).max_row == 2
    assert login(client, community_staff).get(url, {"area": village.code}).status_code == 404
    assert login(client, resident_user).get(url).status_code == 403


def test_another_areas_staff_cannot_see_or_confirm_a_batch(
    client, community, community_staff, neighbour_staff, other_township_staff
):
    batch = previewed(community_staff, community)
    for user in (neighbour_staff, other_township_staff):
        client = login(client, user)
        assert client.get(reverse("assistance:import_detail", args=[batch.pk])).status_code == 404
        assert client.post(reverse("assistance:import_confirm", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.state == ImportState.PREVIEWED and not Resident.objects.filter(name__startswith="导入居民").exists()


def test_a_role_without_casework_cannot_upload_or_confirm(client, community, community_staff, audit_admin):
    batch = previewed(community_staff, community)
    client = login(client, audit_admin)
    upload = SimpleUploadedFile("居民.xlsx", xlsx(RESIDENT_HEADERS, resident_rows(community, 1)))
    assert client.post(reverse("assistance:import_list"), {"kind": "residents", "file": upload}).status_code == 403
    assert client.post(reverse("assistance:import_confirm", args=[batch.pk])).status_code == 403
    assert ImportBatch.objects.count() == 1
    batch.refresh_from_db()
    assert batch.state == ImportState.PREVIEWED


def test_only_the_uploader_confirms_a_batch(client, community, community_staff, township_staff):
    batch = previewed(community_staff, community)
    response = login(client, township_staff).post(reverse("assistance:import_confirm", args=[batch.pk]), follow=True)
    assert "只能由上传人确认导入" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == ImportState.PREVIEWED


def test_an_unknown_template_kind_is_404(client, community_staff):
    assert (
        login(client, community_staff).get(reverse("assistance:template_download", args=["salaries"])).status_code
        == 404
    )
