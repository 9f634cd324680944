"""社区快聘 H5 推送设置 (issue 18): pause, stop or resume job pushes; texts every time or weekly."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcircle.common.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = reverse("portal:m_push_settings")


def test_a_resident_pauses_stops_and_resumes_pushes_on_h5(client, resident_user, resident):
    client.force_login(resident_user)
    page = client.get(URL)
    assert page.status_code == 200 and page.context["form"].initial["receive"] == "on"
    response = client.post(URL, {"receive": "7", "sms_every_time": "on"})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.push_paused_until == timezone.localdate() + datetime.timedelta(days=7)
    assert resident.push_sms_every_time is True
    page = client.get(URL)
    assert page.context["form"].initial["receive"] == "keep" and "暂停至" in page.content.decode()
    client.post(URL, {"receive": "keep", "sms_every_time": "on"})  # keeping the pause keeps its end day
    resident.refresh_from_db()
    assert resident.push_paused_until == timezone.localdate() + datetime.timedelta(days=7)
    client.post(URL, {"receive": "stop"})
    resident.refresh_from_db()
    assert resident.push_stopped and not resident.push_sms_every_time
    client.post(URL, {"receive": "on"})
    resident.refresh_from_db()
    assert (resident.push_stopped, resident.push_paused_until) == (False, None)
    assert AuditEvent.objects.filter(action="people.resident.push_preferences_set").count() == 4


def test_a_bad_choice_is_refused_and_nothing_written(client, resident_user, resident):
    client.force_login(resident_user)
    page = client.post(URL, {"receive": "365"})
    assert page.status_code == 200 and page.context["form"].errors["receive"]
    resident.refresh_from_db()
    assert resident.push_paused_until is None and not resident.push_stopped


def test_staff_cannot_open_the_residents_push_settings(client, community_staff):
    client.force_login(community_staff)
    assert client.get(URL).status_code == 403
