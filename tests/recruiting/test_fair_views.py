"""Fair screens, the QR sign-in page and the fairs API: own area OK, other area 404, wrong role 403."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from jobcircle.accounts.access import scope_for_user
from jobcircle.recruiting.models import FairAttendance
from jobcircle.recruiting.services import add_fair_employer, create_job_fair, fair_statistics
from tests.factories import JobFactory, ResidentFactory

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 11, 20, 9, 0)


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


@pytest.fixture
def fair(township_staff, town, employer):
    fair = create_job_fair(
        by=township_staff, scope=scope_for_user(township_staff),
        data={"name": "城关街道春风行动招聘会", "kind": "comprehensive", "starts_at": DAY,
              "ends_at": DAY + datetime.timedelta(hours=3), "venue": "城关街道文化广场", "area_code": town.code},
    )  # fmt: skip
    add_fair_employer(
        fair,
        employer,
        by=township_staff,
        scope=scope_for_user(township_staff),
        jobs=[JobFactory(employer=employer, headcount=4)],
    )
    return fair


def test_staff_see_the_fair_report_and_qr_in_their_area(client, township_staff, fair):
    client.force_login(township_staff)
    page = client.get(reverse("recruiting:fair_list")).content.decode()
    assert fair.name in page and "组织各类招聘会1场，参会企业1家，提供岗位4个，达成就业意向0人" in page
    page = client.get(reverse("recruiting:fair_detail", args=[fair.pk])).content.decode()
    assert "4个" in page and fair.sign_in_token in page
    svg = client.get(reverse("recruiting:fair_qr", args=[fair.pk]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_the_excel_export_holds_one_row_per_fair(client, township_staff, fair):
    client.force_login(township_staff)
    response = client.get(reverse("recruiting:fair_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert fair.name in values and 4 in values


def test_staff_of_another_township_get_404_and_other_roles_403(
    client, other_township_staff, fair, resident_user, employer_user
):
    client.force_login(other_township_staff)
    for name in ("recruiting:fair_detail", "recruiting:fair_qr"):
        assert client.get(reverse(name, args=[fair.pk])).status_code == 404
    assert fair.name not in client.get(reverse("recruiting:fair_list")).content.decode()
    for user in (resident_user, employer_user):
        client.force_login(user)
        assert client.get(reverse("recruiting:fair_list")).status_code == 403
        assert client.get(reverse("recruiting:fair_detail", args=[fair.pk])).status_code == 403


def test_a_resident_signs_in_by_scanning_and_scanning_again_changes_nothing(client, resident_user, resident, fair):
    client.force_login(resident_user)
    url = reverse("portal:m_fair_sign_in", args=[fair.sign_in_token])
    assert "签到" in client.get(url).content.decode()
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert "已签到过" in page and "data-jc-signed-in" in page
    assert FairAttendance.objects.filter(fair=fair, resident=resident).count() == 1
    assert client.get(reverse("portal:m_fair_sign_in", args=["no-such-token"])).status_code == 404


def test_the_sign_in_page_is_for_residents(client, employer_user, township_staff, fair):
    for user in (employer_user, township_staff):
        client.force_login(user)
        assert client.post(reverse("portal:m_fair_sign_in", args=[fair.sign_in_token])).status_code == 403
    assert FairAttendance.objects.count() == 0


def test_api_runs_a_fair_from_creation_to_statistics(client, township_staff, town, employer, resident):
    client.force_login(township_staff)
    response = post(client, "/api/v1/recruiting/fairs", {
        "name": "直播带岗第一期", "kind": "livestream", "starts_at": "2026-11-21T19:00:00+08:00",
        "ends_at": "2026-11-21T21:00:00+08:00", "stream_link": "https://live.example.org/1", "area_code": town.code,
    })  # fmt: skip
    assert response.status_code == 201, response.content
    fair_id = response.json()["id"]
    job = JobFactory(employer=employer, headcount=3)
    body = {"employer_id": employer.pk, "job_ids": [job.pk], "booth": "A01"}
    assert post(client, f"/api/v1/recruiting/fairs/{fair_id}/employers", body).json()["job_ids"] == [job.pk]
    walk_in = post(client, f"/api/v1/recruiting/fairs/{fair_id}/attendees", {"resident_id": resident.pk}).json()
    assert walk_in["channel"] == "staff" and not walk_in["already_signed_in"]
    again = post(client, f"/api/v1/recruiting/fairs/{fair_id}/attendees", {"resident_id": resident.pk}).json()
    assert again["already_signed_in"]
    intention = post(client, f"/api/v1/recruiting/fairs/{fair_id}/intentions", {"resident_id": resident.pk,
                                                                                 "job_id": job.pk})  # fmt: skip
    assert intention.json()["status"] == "intention"
    report = client.get(f"/api/v1/recruiting/fairs/{fair_id}").json()["report"]
    assert report == {"enterprises": 1, "positions": 3, "attendees": 1, "intentions": 1, "hires": 0}
    stats = client.get("/api/v1/recruiting/fairs/statistics", {"kind": "livestream"}).json()
    expected = fair_statistics(town, kind="livestream")
    assert stats["sentence"] == expected["sentence"] == "组织各类招聘会1场，参会企业1家，提供岗位3个，达成就业意向1人"


def test_api_qr_sign_in_by_token_is_once(client, resident_user, fair):
    client.force_login(resident_user)
    first = post(client, "/api/v1/recruiting/fairs/sign-in", {"token": fair.sign_in_token}).json()
    second = post(client, "/api/v1/recruiting/fairs/sign-in", {"token": fair.sign_in_token}).json()
    assert not first["already_signed_in"] and second["already_signed_in"] and first["channel"] == "qr"
    assert post(client, "/api/v1/recruiting/fairs/sign-in", {"token": "nope"}).status_code == 404


def test_api_fairs_are_scoped_and_staff_only(client, other_township_staff, fair, resident_user, community):
    client.force_login(other_township_staff)
    assert client.get(f"/api/v1/recruiting/fairs/{fair.pk}").status_code == 404
    far = ResidentFactory(community=community)
    assert post(client, f"/api/v1/recruiting/fairs/{fair.pk}/attendees", {"resident_id": far.pk}).status_code == 404
    assert client.get("/api/v1/recruiting/fairs").json()["count"] == 0
    client.force_login(resident_user)
    assert client.get(f"/api/v1/recruiting/fairs/{fair.pk}").status_code == 403
    assert client.get("/api/v1/recruiting/fairs").status_code == 403
    assert client.get("/api/v1/recruiting/fairs/statistics").status_code == 403


def test_the_funnel_screen_counts_applications_in_the_area(
    client, township_staff, other_township_staff, employer, community, resident_user
):
    from jobcircle.recruiting.services import apply_to_job, transition

    applications = [apply_to_job(ResidentFactory(community=community), JobFactory(employer=employer), by=None)
                    for _ in range(3)]  # fmt: skip
    transition(applications[0], "screening", by=township_staff, scope=scope_for_user(township_staff))
    client.force_login(township_staff)
    page = client.get(reverse("recruiting:funnel")).content.decode()
    assert "<strong data-jc-count>3</strong>" in page
    assert 'data-jc-state="筛选中">1<' in page and 'data-jc-state="已投递">2<' in page
    client.force_login(other_township_staff)
    assert "<strong data-jc-count>0</strong>" in client.get(reverse("recruiting:funnel")).content.decode()
    client.force_login(resident_user)
    assert client.get(reverse("recruiting:funnel")).status_code == 403


def test_the_excel_export_ends_with_a_total_row_of_distinct_employers_and_people(
    client, township_staff, town, fair, employer, community
):
    """Issue 16 defect 8: one employer and one person at two fairs are 2 家次 / 1 家 and 2 人次 / 1 人."""
    from jobcircle.recruiting.services import record_fair_intention, sign_in_at_fair, transition

    second = create_job_fair(
        by=township_staff,
        scope=scope_for_user(township_staff),
        data={"name": "城关街道秋季招聘会", "kind": "comprehensive", "starts_at": DAY + datetime.timedelta(days=1),
              "ends_at": DAY + datetime.timedelta(days=1, hours=3), "venue": "文化广场", "area_code": town.code},
    )  # fmt: skip
    job = JobFactory(employer=employer, headcount=2)
    add_fair_employer(second, employer, by=township_staff, scope=scope_for_user(township_staff), jobs=[job])
    person = ResidentFactory(community=community)
    for each in (fair, second):
        sign_in_at_fair(each, person, by=township_staff, scope=scope_for_user(township_staff), channel="staff")
    hired = record_fair_intention(second, person, job, by=township_staff, scope=scope_for_user(township_staff))
    transition(
        hired, "hired", by=township_staff, scope=scope_for_user(township_staff), started_on=datetime.date(2026, 11, 22)
    )  # no longer 意向: counts
    client.force_login(township_staff)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("recruiting:fair_export")).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "招聘会")
    total = dict(zip(header, rows[-1], strict=True))
    assert total["招聘会"] == "合计（2场）"
    assert (total["参会企业（家次）"], total["参会企业（家）"]) == (2, 1)
    assert (total["签到（人次）"], total["签到（人）"]) == (2, 1)
    assert (total["达成就业意向（人次）"], total["达成就业意向（人）"], total["录用人数"]) == (1, 1, 1)
    assert total["提供岗位（个）"] == 4 + 2
