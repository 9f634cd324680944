"""培训花名册 through the import gate: all-or-nothing, idempotent, every row checked by the enrolment rules."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobcircle.assistance.enums import ImportKind, ImportState
from jobcircle.assistance.models import ImportBatch
from jobcircle.common import pii
from jobcircle.training.enums import EnrolmentSource
from jobcircle.training.models import Enrolment
from tests.assistance.test_imports import error_rows, run, xlsx
from tests.households.factories import member

from . import factories as f

pytestmark = pytest.mark.django_db

HEADERS = ["培训项目编号", "身份证号", "姓名"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.JOBCIRCLE_UPLOAD_ROOT = tmp_path / "uploads"


@pytest.fixture
def programme(community):
    return f.programme(f.provider(community), sessions=2, max_age=45)


def row(programme, person, name=None):
    return [programme.pk, pii.decrypt(person.id_number_encrypted), name or person.name]


def test_a_roster_enrols_its_people_once_and_a_longer_roster_adds_only_the_new_one(community_staff, community,
                                                                                    programme):  # fmt: skip
    people = [member(community) for _ in range(3)]
    content = xlsx(HEADERS, [row(programme, p) for p in people[:2]])
    batch = run(community_staff, ImportKind.TRAINING_ROSTER, content)
    assert (batch.state, batch.created_count) == (ImportState.APPLIED, 2)
    assert {e.source for e in Enrolment.objects.all()} == {EnrolmentSource.IMPORT}
    same = run(community_staff, ImportKind.TRAINING_ROSTER, content)  # the very same file
    assert same.state == ImportState.DUPLICATE
    longer = run(community_staff, ImportKind.TRAINING_ROSTER, xlsx(HEADERS, [row(programme, p) for p in people]))
    assert (longer.state, longer.created_count, longer.unchanged_count) == (ImportState.APPLIED, 1, 2)
    assert Enrolment.objects.filter(programme=programme).count() == len(people)


def test_one_ineligible_row_rejects_the_whole_roster_naming_row_and_column(community_staff, community, programme):
    fine, too_old, misnamed = member(community), member(community, age=50), member(community)
    rows = [row(programme, fine), row(programme, too_old), row(programme, misnamed, name="别人"),
            [programme.pk + 1000, pii.decrypt(fine.id_number_encrypted), fine.name], row(programme, fine)]  # fmt: skip
    batch = run(community_staff, ImportKind.TRAINING_ROSTER, xlsx(HEADERS, rows))
    assert batch.state == ImportState.REJECTED
    errors = {(r, column): message for r, column, message in error_rows(batch)}
    assert "年龄" in errors[(3, "身份证号")]
    assert (4, "姓名") in errors and (5, "培训项目编号") in errors
    assert "第2行" in errors[(6, "身份证号")]
    assert not Enrolment.objects.exists()


def test_a_programme_of_another_area_is_not_found(neighbour_staff, neighbour_community, programme):
    person = member(neighbour_community)
    batch = run(neighbour_staff, ImportKind.TRAINING_ROSTER, xlsx(HEADERS, [row(programme, person)]))
    assert batch.state == ImportState.REJECTED
    assert [(r, column) for r, column, _m in error_rows(batch)] == [(2, "培训项目编号")]
    assert not Enrolment.objects.exists()


# --- the screen on the programme page --------------------------------------------------------------------


def upload(content, name="花名册.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def test_the_programme_page_uploads_a_roster_into_the_import_gate(client, community_staff, community, programme):
    person = member(community)
    client.force_login(community_staff)
    page = f"/backoffice/training/programmes/{programme.pk}/"
    assert "上传花名册" in client.get(page).content.decode()
    response = client.post(page + "roster/", {"file": upload(xlsx(HEADERS, [row(programme, person)]))})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/backoffice/assistance/imports/{batch.pk}/"
    assert (batch.kind, batch.state) == (ImportKind.TRAINING_ROSTER, ImportState.PREVIEWED)
    client.post(f"/backoffice/assistance/imports/{batch.pk}/confirm/")
    assert Enrolment.objects.get().resident == person


def test_a_file_that_is_not_a_workbook_is_refused_naming_the_field(client, community_staff, programme):
    client.force_login(community_staff)
    page = f"/backoffice/training/programmes/{programme.pk}/"
    response = client.post(page + "roster/", {"file": upload(b"not a workbook")}, follow=True)
    assert "花名册（.xlsx）" in response.content.decode()
    response = client.post(page + "roster/", {}, follow=True)
    assert "花名册（.xlsx）：" in response.content.decode()
    assert not ImportBatch.objects.exists() and not Enrolment.objects.exists()


def test_another_area_gets_404_and_residents_403_on_the_roster_upload(client, neighbour_staff, resident_user,
                                                                      programme):  # fmt: skip
    url = f"/backoffice/training/programmes/{programme.pk}/roster/"
    client.force_login(neighbour_staff)
    assert client.post(url, {"file": upload(xlsx(HEADERS, []))}).status_code == 404
    client.force_login(resident_user)
    assert client.post(url, {"file": upload(xlsx(HEADERS, []))}).status_code == 403
    assert not ImportBatch.objects.exists()
