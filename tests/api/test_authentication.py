"""Who the API accepts (SEC-04, issue 22 item 1): a valid bearer token of an active user, or a fully
signed-in session — never a session waiting for its second factor, with or without a bad token beside it.

The crawls walk every operation in the URLconf (tests/api/helpers.py), with real ids in the paths.
"""

import pytest
from django.urls import reverse

from jobcircle.accounts.models import ApiToken, User
from jobcircle.accounts.security import deactivate_user
from jobcircle.common.models import AuditEvent
from tests.api.helpers import api_operations, call, concrete, is_public

pytestmark = pytest.mark.django_db
PASSWORD = "Test-password-2026"
SIGNED_IN_ROLES = ["county_admin", "community_staff", "system_admin", "audit_admin", "security_admin"]
BAD_AUTHORIZATIONS = ["Bearer junk", "Bearer ", "Basic anVuazpqdW5r", "junk"]


def password_only(client, user):
    """Sign in with the password alone: the session now waits for the second factor."""
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/verify/")


def private_operations(ids):
    return [(method, concrete(template, ids)) for method, template, op in api_operations() if not is_public(op)]


def test_the_crawl_covers_every_router_and_only_nearby_jobs_is_public(api_objects):
    operations = api_operations()
    paths = {template for _method, template, _op in operations}
    for router in ("residents", "employers", "jobs", "stats", "admin", "recruiting", "matching"):
        assert any(p.startswith(f"/api/v1/{router}") for p in paths), router
    assert [(m, t) for m, t, op in operations if is_public(op)] == [("GET", "/api/v1/jobs/nearby")]
    assert len(private_operations(api_objects)) == len(operations) - 1  # every path id is built


@pytest.mark.parametrize("who", SIGNED_IN_ROLES)
def test_a_half_signed_session_is_refused_on_every_route(client, request, api_objects, who):
    password_only(client, request.getfixturevalue(who))
    for method, path in private_operations(api_objects):
        response = call(client, method, path)
        assert response.status_code == 401, (method, path, response.content)
        assert response.json()["detail"]


@pytest.mark.parametrize("who", SIGNED_IN_ROLES)
def test_a_half_signed_session_with_a_bad_authorization_header_is_refused_on_every_route(
    client, request, api_objects, who
):
    password_only(client, request.getfixturevalue(who))
    for authorization in BAD_AUTHORIZATIONS:
        for method, path in private_operations(api_objects):
            response = call(client, method, path, HTTP_AUTHORIZATION=authorization)
            assert response.status_code == 401, (authorization, method, path, response.content)


@pytest.mark.parametrize("who", ["county_admin", "system_admin"])
def test_a_bad_bearer_token_is_refused_even_beside_a_fully_signed_in_session(client, request, api_objects, who):
    client.force_login(request.getfixturevalue(who))
    for method, path in private_operations(api_objects):
        response = call(client, method, path, HTTP_AUTHORIZATION="Bearer junk")
        assert response.status_code == 401, (method, path, response.content)


@pytest.mark.parametrize("who", ["county_admin", "system_admin", "resident_user", "employer_user"])
def test_the_token_of_a_deactivated_user_is_refused_on_every_route(client, request, api_objects, system_admin, who):
    user = request.getfixturevalue(who)
    _, raw = ApiToken.issue(user)
    if user == system_admin:  # nobody deactivates themselves: another system administrator does
        from tests.factories import Role, make_user

        deactivate_user(user, by=make_user("second_system_admin", Role.SYSTEM_ADMIN))
    else:
        deactivate_user(user, by=system_admin)
    for method, path in private_operations(api_objects):
        response = call(client, method, path, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 401, (method, path, response.content)


def test_a_valid_token_still_works_beside_a_half_signed_session(client, county_admin, resident):
    _, raw = ApiToken.issue(county_admin)
    password_only(client, county_admin)
    assert client.get(f"/api/v1/residents/{resident.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert client.get(f"/api/v1/residents/{resident.pk}").status_code == 401


# The three reproductions of the issue, each with the session cookie of a password-only sign-in and a junk token.
JUNK = {"HTTP_AUTHORIZATION": "Bearer junk"}


def test_an_audit_administrator_half_signed_in_cannot_read_the_audit_log(client, audit_admin):
    password_only(client, audit_admin)
    reads_before = AuditEvent.objects.filter(action="common.audit.read").count()
    assert client.get("/api/v1/admin/audit/events", **JUNK).status_code == 401
    assert AuditEvent.objects.filter(action="common.audit.read").count() == reads_before


def test_a_system_administrator_half_signed_in_cannot_create_a_county_administrator(client, system_admin, county):
    password_only(client, system_admin)
    payload = {"username": "intruder", "role": "county_admin", "area_code": county.code, "phone": "14012345678",
               "password": "Brand-new-pass-2027"}  # fmt: skip
    response = client.post("/api/v1/admin/users", payload, content_type="application/json", **JUNK)
    assert response.status_code == 401
    assert not User.objects.filter(username="intruder").exists()


def test_a_county_administrator_half_signed_in_cannot_reveal_an_id_number(client, county_admin, resident):
    from jobcircle.common import pii

    password_only(client, county_admin)
    body = {"fields": ["id_number", "phone"], "reason": "核对申请材料"}
    response = client.post(f"/api/v1/residents/{resident.pk}/reveal", body, content_type="application/json", **JUNK)
    assert response.status_code == 401
    assert pii.decrypt(resident.id_number_encrypted) not in response.content.decode()
    assert not AuditEvent.objects.filter(action="people.resident.pii_revealed").exists()


def test_an_expired_staff_password_closes_the_api_to_the_session_but_not_to_a_token(client, county_admin, resident):
    import datetime

    from django.utils import timezone

    county_admin.password_changed_at = timezone.now() - datetime.timedelta(days=365)
    county_admin.save(update_fields=["password_changed_at"])
    _, raw = ApiToken.issue(county_admin)
    client.force_login(county_admin)
    assert client.get(f"/api/v1/residents/{resident.pk}").status_code == 401
    assert client.get(f"/api/v1/residents/{resident.pk}", **JUNK).status_code == 401
    assert client.get(f"/api/v1/residents/{resident.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
