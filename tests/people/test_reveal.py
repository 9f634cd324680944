import pytest

from jobcircle.accounts.access import scope_for_user
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


# Issue 22 item 12: a ceiling on reveals per user, refused with 429 and an alert to the 安全管理员.


@pytest.fixture
def ceiling(settings):
    settings.JOBCIRCLE_REVEAL_LIMIT = 3
    settings.JOBCIRCLE_REVEAL_WINDOW_MINUTES = 15
    return settings.JOBCIRCLE_REVEAL_LIMIT


@pytest.fixture
def outbox():
    from jobcircle.common.sms import MemoryBackend

    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox


def test_the_reveal_past_the_ceiling_is_refused_and_alerts_the_security_administrator(
    client, community_staff, community, security_admin, ceiling, outbox
):
    people = [ResidentFactory(community=community) for _ in range(ceiling + 2)]
    client.force_login(community_staff)
    for person in people[:ceiling]:
        assert _post(client, person).status_code == 200
    refused = _post(client, people[ceiling])
    assert refused.status_code == 429
    assert "查看完整号码过于频繁" in refused.json()["detail"]
    assert pii.decrypt(people[ceiling].id_number_encrypted) not in refused.content.decode()
    assert _post(client, people[ceiling + 1]).status_code == 429
    assert AuditEvent.objects.filter(action="people.resident.pii_revealed").count() == ceiling
    alerts = AuditEvent.objects.filter(action="people.resident.pii_reveal_throttled", actor=community_staff)
    assert alerts.count() == 2 and {e.result for e in alerts} == {"failure"}
    to_security = [text for phone, text in outbox if phone == pii.decrypt(security_admin.phone_encrypted)]
    assert len(to_security) == 1  # one alert per user and window, however many refusals
    assert community_staff.username in to_security[0] and "查看完整个人信息" in to_security[0]
    assert not any(pii.decrypt(p.id_number_encrypted) in to_security[0] for p in people)


def test_the_ceiling_is_per_user(client, community_staff, township_staff, community, ceiling, outbox):
    people = [ResidentFactory(community=community) for _ in range(ceiling + 1)]
    client.force_login(community_staff)
    for person in people:
        _post(client, person)
    client.force_login(township_staff)
    assert _post(client, people[0]).status_code == 200


def test_the_resident_page_refuses_the_reveal_past_the_ceiling_with_429(
    client, community_staff, community, ceiling, outbox
):
    from django.urls import reverse

    people = [ResidentFactory(community=community) for _ in range(ceiling + 1)]
    client.force_login(community_staff)
    form = {"what": ["id_number"], "reason": "核对补贴申请材料"}
    for person in people[:ceiling]:
        assert client.post(reverse("people:resident_reveal", args=[person.pk]), form).status_code == 200
    response = client.post(reverse("people:resident_reveal", args=[people[ceiling].pk]), form)
    assert response.status_code == 429
    assert "查看完整号码过于频繁" in response.content.decode()
    assert pii.decrypt(people[ceiling].id_number_encrypted) not in response.content.decode()


# Issue 21: the bulk form of the door, for exports of full numbers.


def test_an_export_reveal_leaves_out_residents_the_predicate_refuses_and_is_audited_once(
    community_staff, community, neighbour_community
):
    from jobcircle.people.services import reveal_residents_pii_for_export

    mine, theirs = ResidentFactory(community=community), ResidentFactory(community=neighbour_community)
    revealed = reveal_residents_pii_for_export(
        [mine, theirs],
        by=community_staff,
        scope=scope_for_user(community_staff),
        fields=["id_number"],
        reason="核对后重新导入",
        filters="month=2026-12",
    )
    assert revealed == {mine.pk: {"id_number": pii.decrypt(mine.id_number_encrypted)}}
    event = AuditEvent.objects.get(action="people.resident.pii_revealed")
    assert event.data == {"fields": ["id_number"], "reason": "核对后重新导入", "rows": 1, "filters": "month=2026-12"}


def test_an_export_reveal_needs_the_reveal_permission_and_a_reason(community_staff, employer_user, resident):
    from django.core.exceptions import PermissionDenied, ValidationError

    from jobcircle.people.services import reveal_residents_pii_for_export

    with pytest.raises(PermissionDenied):
        reveal_residents_pii_for_export(
            [resident], by=employer_user, scope=scope_for_user(employer_user), fields=["phone"], reason="联系申请人面试"
        )
    with pytest.raises(ValidationError):
        reveal_residents_pii_for_export(
            [resident], by=community_staff, scope=scope_for_user(community_staff), fields=["id_number"], reason="短"
        )
    assert not AuditEvent.objects.filter(action="people.resident.pii_revealed").exists()
