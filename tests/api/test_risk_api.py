"""/api/v1/insights/warnings: the area's warnings, acknowledged, worked with a case and resolved with a note."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.assistance.models import AssistanceCase
from jobcircle.households import services as households
from jobcircle.risk import services
from jobcircle.risk.models import RiskWarning
from tests.households.factories import household, member

pytestmark = pytest.mark.django_db

URL = "/api/v1/insights/warnings"


@pytest.fixture
def warning(county, community):
    household(community, [member(community, status="unemployed")])
    households.sync_zero_employment(community, on=timezone.localdate() - datetime.timedelta(days=40))
    services.run_warnings(county)
    return RiskWarning.objects.get()


def test_staff_list_acknowledge_work_and_resolve(client, community_staff, warning):
    client.force_login(community_staff)
    listed = client.get(URL, {"status": "open"}).json()
    assert listed["count"] == 1 and listed["items"][0]["kind"] == "zero_household_open"
    assert client.post(f"{URL}/{warning.pk}/acknowledge").json()["status"] == "acknowledged"
    case = AssistanceCase.objects.filter(area_code=warning.area_code).first()
    worked = client.post(f"{URL}/{warning.pk}/work", {"case_id": case.pk}, content_type="application/json")
    assert worked.json()["case_id"] == case.pk
    short = client.post(f"{URL}/{warning.pk}/resolve", {"note": "好"}, content_type="application/json")
    assert short.status_code == 422 and short.json()["detail"][0]["field"] == "reason"
    done = client.post(f"{URL}/{warning.pk}/resolve", {"note": "已就业"}, content_type="application/json")
    assert done.json()["status"] == "resolved"


def test_another_area_is_404_and_a_read_only_role_is_refused(client, neighbour_staff, audit_admin, warning):
    client.force_login(neighbour_staff)
    assert client.get(URL).json()["count"] == 0
    assert client.post(f"{URL}/{warning.pk}/acknowledge").status_code == 404
    client.force_login(audit_admin)
    assert client.get(URL).status_code == 403
    assert RiskWarning.objects.get().status == "open"
