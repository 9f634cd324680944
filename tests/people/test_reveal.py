import pytest

from jobcircle.accounts.enums import Role
from jobcircle.common import pii
from jobcircle.common.models import AuditEvent
from tests.factories import ResidentFactory, make_user

pytestmark = pytest.mark.django_db

REASON = {"fields": ["id_number", "phone"], "reason": "核对补贴申请材料"}


def _post(client, resident, payload=REASON):
    return client.post(f"/api/v1/residents/{resident.pk}/reveal", payload, content_type="application/json")


def test_area_staff_reveal_with_a_reason_and_it_is_audited(client, community_staff, resident):
    client.force_login(community_staff)
    response = _post(client, resident)
    assert response.status_code == 200
    assert response.json() == {
        "id_number": pii.decrypt(resident.id_number_encrypted), "phone": pii.decrypt(resident.phone_encrypted),
    }  # fmt: skip
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="people.resident.pii_revealed")
    assert event.data == {"fields": ["id_number", "phone"], "reason": "核对补贴申请材料"}
    assert pii.decrypt(resident.id_number_encrypted) not in str(event.data)


def test_a_reveal_without_a_reason_is_refused(client, community_staff, resident):
    client.force_login(community_staff)
    response = _post(client, resident, {"fields": ["id_number"], "reason": " "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "reason"
    assert not AuditEvent.objects.filter(action="people.resident.pii_revealed").exists()


def test_another_communitys_resident_is_404(client, community_staff, neighbour_community):
    client.force_login(community_staff)
    assert _post(client, ResidentFactory(community=neighbour_community)).status_code == 404


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.SECURITY_ADMIN])
def test_administrator_roles_cannot_see_residents(client, county, resident, role):
    client.force_login(make_user(f"admin_{role}", role, area=county))
    assert _post(client, resident).status_code == 403  # a role that may not use the route (issue 22 item 13)


def test_a_resident_cannot_use_the_staff_reveal(client, resident_user):
    client.force_login(resident_user)
    assert _post(client, resident_user.resident).status_code == 403
