"""The caller's Scope (accounts.access): resolved once per request, carrying the region and the permissions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from jobcircle.accounts.access import NO_SCOPE, scope_for_user
from jobcircle.accounts.permissions import CASEWORK, PERMISSIONS, READ_AUDIT_LOG, REVEAL_PII
from jobcircle.common.web import permission_required

pytestmark = pytest.mark.django_db


def test_staff_scope_carries_their_region_and_their_roles_permissions(township_staff, town):
    scope = scope_for_user(township_staff)
    assert scope.region == town and scope.is_staff
    assert scope.permissions == PERMISSIONS[township_staff.role]
    assert scope.can(CASEWORK) and scope.can(REVEAL_PII) and not scope.can(READ_AUDIT_LOG)


def test_a_staff_region_covers_the_codes_inside_it_only(township_staff, community, village):
    scope = scope_for_user(township_staff)
    assert scope.covers(community.code) and not scope.covers(village.code)


def test_residents_employers_and_administrators_have_no_region(resident_user, employer_user, audit_admin):
    for user in (resident_user, employer_user, audit_admin):
        assert scope_for_user(user).region is None and not scope_for_user(user).is_staff
    assert scope_for_user(resident_user).owner_id == resident_user.resident_id
    assert scope_for_user(employer_user).owner_id == employer_user.employer_id
    assert scope_for_user(audit_admin).can(READ_AUDIT_LOG)


def test_an_inactive_or_anonymous_user_has_no_scope_and_no_permission(township_staff):
    township_staff.is_active = False
    assert scope_for_user(township_staff) == NO_SCOPE and not NO_SCOPE.can(CASEWORK)
    assert scope_for_user(None) == NO_SCOPE


def test_a_duty_screen_reads_the_permission_from_the_requests_scope(audit_admin, township_staff):
    view = permission_required(READ_AUDIT_LOG)(lambda request: "shown")
    request = RequestFactory().get("/")
    request.scope = scope_for_user(audit_admin)
    assert view(request) == "shown"
    request.scope = scope_for_user(township_staff)
    with pytest.raises(PermissionDenied):
        view(request)


def test_the_middleware_resolves_the_scope_once_per_request(client, township_staff, town):
    client.force_login(township_staff)
    response = client.get("/backoffice/")
    assert response.wsgi_request.scope.region == town
