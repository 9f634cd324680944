"""Issue 16 defect 3: one meaning of 招聘中 (``Job.is_open`` / ``Job.objects.open()``) in every channel."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_open_jobs(employer):
    """Stored status open: one inside its validity, one expired yesterday, one starting tomorrow."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    return {
        "current": JobFactory(employer=employer, title="在招岗位", valid_from=today - day, valid_until=today + day),
        "expired": JobFactory(employer=employer, title="过期岗位", valid_from=today - 9 * day, valid_until=today - day),
        "future": JobFactory(
            employer=employer, title="未到期岗位", valid_from=today + day, valid_until=today + 9 * day
        ),  # fmt: skip
    }


def test_the_job_list_shows_only_jobs_open_today_as_open(client, county_admin, three_open_jobs):
    client.force_login(county_admin)
    listed = client.get(reverse("employers:job_list"), {"status": "open"}).context["page_obj"].object_list
    assert [job.title for job in listed] == ["在招岗位"]
    expired = client.get(reverse("employers:job_list"), {"status": "expired"}).context["page_obj"].object_list
    assert [job.title for job in expired] == ["过期岗位"]
    future = client.get(reverse("employers:job_list"), {"status": "not_yet_valid"}).context["page_obj"].object_list
    assert [job.title for job in future] == ["未到期岗位"]
    page = client.get(reverse("employers:job_list")).content.decode()
    assert "已过期" in page and "未到有效期" in page


def test_the_job_export_labels_expired_and_future_jobs(client, county_admin, three_open_jobs):
    client.force_login(county_admin)
    response = client.get(reverse("employers:job_list"), {"export": "xlsx", "sort": "title"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    shown = {row[0]: row[header.index("状态")] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert shown == {"在招岗位": "招聘中", "过期岗位": "已过期", "未到期岗位": "未到有效期"}


def test_the_api_status_filter_open_means_open_today(client, county_admin, three_open_jobs):
    client.force_login(county_admin)
    body = client.get("/api/v1/jobs", {"status": "open"}).json()
    assert [item["title"] for item in body["items"]] == ["在招岗位"] and body["items"][0]["is_open"]
    expired = client.get("/api/v1/jobs", {"status": "expired"}).json()
    assert [item["title"] for item in expired["items"]] == ["过期岗位"]
