"""The 就业失业登记 section of the resident page: the area's staff read and record, another township's
staff get 404, residents and employers 403, and a bad entry is shown beside its field."""

import pytest
from django.urls import reverse

from jobcircle.people.models import EmploymentRegistration, UnemploymentRegistration

pytestmark = pytest.mark.django_db


def url(resident):
    return reverse("people:resident_registrations", args=[resident.pk])


def test_staff_record_a_registration_and_see_it_on_the_resident_page(client, community_staff, resident):
    client.force_login(community_staff)
    answer = client.post(url(resident), {"kind": "unemployment", "unemployment-registered_on": "2026-01-10",
                                          "unemployment-is_urban": "on"})  # fmt: skip
    assert answer.status_code == 302 and answer["Location"].endswith("#registrations")
    assert UnemploymentRegistration.objects.get(resident=resident).is_urban
    client.post(url(resident), {"kind": "employment", "employment-registered_on": "2026-02-01",
                                "employment-employer_name": "示范食品厂"})  # fmt: skip
    section = client.get(url(resident), HTTP_HX_REQUEST="true")
    assert section.templates[0].name == "people/_registrations.html"
    assert "示范食品厂" in section.content.decode() and "实现就业" in section.content.decode()
    detail = client.get(reverse("people:resident_detail", args=[resident.pk])).content.decode()
    assert url(resident) in detail


def test_a_service_refusal_is_shown_beside_its_field(client, community_staff, resident):
    client.force_login(community_staff)
    page = client.post(url(resident), {"kind": "employment_end", "employment_end-ended_on": "2026-01-10",
                                        "employment_end-end_reason": "left"})  # fmt: skip
    assert page.status_code == 200
    assert page.context["forms"]["employment_end"].errors["ended_on"] == ["没有可终止（注销）的登记"]
    future = client.post(url(resident), {"kind": "employment", "employment-registered_on": "2999-01-01"})
    assert "不能晚于今天" in future.context["forms"]["employment"].errors["registered_on"][0]
    assert not EmploymentRegistration.objects.exists()


def test_another_township_gets_404_and_residents_403(client, other_township_staff, resident_user, resident):
    client.force_login(other_township_staff)
    assert client.get(url(resident)).status_code == 404
    assert (
        client.post(url(resident), {"kind": "unemployment", "unemployment-registered_on": "2026-01-10"}).status_code
        == 404
    )
    client.force_login(resident_user)
    assert client.get(url(resident_user.resident)).status_code == 403
    assert not UnemploymentRegistration.objects.exists()
