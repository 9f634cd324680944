"""Administrator duties through the API: users (系统管理员), audit log (审计管理员), unlock (安全管理员)."""

from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from jobcircle.accounts.enums import Role
from jobcircle.accounts.models import User
from jobcircle.common.audit import log_action
from jobcircle.common.models import AuditEvent
from tests.factories import demo_phone, make_user

pytestmark = pytest.mark.django_db
STRONG = "Strong-pass-2026!"


@pytest.fixture
def admins(county):
    return {role: make_user(role.value, role) for role in (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.SECURITY_ADMIN)}


def test_the_system_administrator_creates_staff_and_the_audit_administrator_cannot(client, admins, community):
    payload = {"username": "new_staff", "role": "community_staff", "area_code": community.code,
               "phone": demo_phone(), "password": STRONG}  # fmt: skip
    client.force_login(admins[Role.AUDIT_ADMIN])
    assert client.post("/api/v1/admin/users", payload, content_type="application/json").status_code == 403
    client.force_login(admins[Role.SYSTEM_ADMIN])
    response = client.post("/api/v1/admin/users", payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["phone"].count("*") == 4
    assert AuditEvent.objects.filter(action="accounts.user.created", actor=admins[Role.SYSTEM_ADMIN]).exists()


def test_a_weak_password_or_missing_area_is_refused(client, admins):
    client.force_login(admins[Role.SYSTEM_ADMIN])
    payload = {"username": "x1", "role": "community_staff", "phone": demo_phone(), "password": "weak"}
    response = client.post("/api/v1/admin/users", payload, content_type="application/json")
    assert response.status_code == 422
    assert {"password", "area_code"} <= {item["field"] for item in response.json()["detail"]}
    # An area code that names no current region is refused by name, for administrators too (the same
    # rule as the 账号管理 screen's: accounts.security.create_staff_user resolves the code).
    unknown = {**payload, "role": "audit_admin", "area_code": "990121999", "password": STRONG}
    response = client.post("/api/v1/admin/users", unknown, content_type="application/json")
    assert response.status_code == 422
    errors = [(item["field"], item["message"]) for item in response.json()["detail"]]
    assert errors == [("area_code", "负责区划：没有这个区划代码")]
    assert not User.objects.filter(username="x1").exists()


def test_only_the_audit_administrator_reads_the_audit_log_and_reading_is_audited(client, admins, county_admin):
    client.force_login(admins[Role.SYSTEM_ADMIN])
    assert client.get("/api/v1/admin/audit/events").status_code == 403
    client.force_login(county_admin)
    assert client.get("/api/v1/admin/audit/events").status_code == 403
    client.force_login(admins[Role.AUDIT_ADMIN])
    response = client.get("/api/v1/admin/audit/events", {"action": "accounts"})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="common.audit.read", actor=admins[Role.AUDIT_ADMIN]).exists()
    # The screen's filters, from the API too: actor by username, result, an inclusive date range.
    mine = log_action("test.edit", by=county_admin)
    refused = log_action("test.refused", result="failure")
    today = timezone.localdate().isoformat()
    by_name = client.get("/api/v1/admin/audit/events", {"actor": county_admin.username, "until": today,
                                                        "action": "test"})  # fmt: skip
    assert [e["id"] for e in by_name.json()["items"]] == [mine.pk]
    failures = client.get("/api/v1/admin/audit/events", {"result": "failure", "since": today, "action": "test"})
    assert [e["id"] for e in failures.json()["items"]] == [refused.pk]


def test_deactivation_by_the_system_administrator(client, admins, county_admin):
    client.force_login(admins[Role.SYSTEM_ADMIN])
    response = client.post(f"/api/v1/admin/users/{county_admin.pk}/deactivate")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert AuditEvent.objects.filter(action="accounts.user.deactivated").exists()
    own = client.post(f"/api/v1/admin/users/{admins[Role.SYSTEM_ADMIN].pk}/deactivate")
    assert own.status_code == 422 and "不能停用自己的账号" in str(own.json())


def test_the_first_system_administrator_comes_only_from_the_command_with_a_strong_password():
    with mock.patch("getpass.getpass", side_effect=["weak", "weak"]), pytest.raises(CommandError, match="密码"):
        call_command("create_first_admin", "root_admin", "--phone", demo_phone())
    with mock.patch("getpass.getpass", side_effect=[STRONG, STRONG]):
        call_command("create_first_admin", "root_admin", "--phone", demo_phone())
    assert User.objects.get(username="root_admin").role == Role.SYSTEM_ADMIN
    with mock.patch("getpass.getpass", side_effect=[STRONG, STRONG]), pytest.raises(CommandError, match="已存在"):
        call_command("create_first_admin", "second_admin", "--phone", demo_phone())
