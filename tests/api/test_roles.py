"""One answer for a role that may not use a route: 403 with a JSON ``detail`` (issue 22 item 13, SEC-08).

Each route names the permissions that may use it (``api.auth.access`` over accounts.permissions); these
crawls walk every operation of the URLconf as each role and hold the result to the tables below, written
from what each role does: residents their own record, applications, inbox and fair sign-in; employers
their unit, jobs and the applications to them; each administrator only their duty.
"""

import pytest

from jobcircle.api.auth import BearerToken
from tests.api.helpers import api_operations, call, concrete, is_public

pytestmark = pytest.mark.django_db

# Subsidies (issue 13): applicants list, apply, read and withdraw their own; screening and batches are the county's.
SUBSIDY_APPLICANT = {
    ("GET", "/api/v1/subsidies/applications"),
    ("POST", "/api/v1/subsidies/applications"),
    ("GET", "/api/v1/subsidies/applications/<int:application_id>"),
    ("POST", "/api/v1/subsidies/applications/<int:application_id>/transition"),
}
# Entrepreneurship (issue 15): borrowers list, apply, read and withdraw their own loans.
LOAN_BORROWER = {
    ("GET", "/api/v1/entrepreneurship/loans"),
    ("POST", "/api/v1/entrepreneurship/loans"),
    ("GET", "/api/v1/entrepreneurship/loans/<int:loan_id>"),
    ("POST", "/api/v1/entrepreneurship/loans/<int:loan_id>/transition"),
}
COUNTY_ONLY = {
    ("GET", "/api/v1/subsidies/policies/<policy_code>/screen"),
    ("POST", "/api/v1/subsidies/policies/<policy_code>/screen"),
    ("GET", "/api/v1/subsidies/batches"),
    ("POST", "/api/v1/subsidies/batches"),
}
# Gigs (issue 20): residents and employers find, post and work gigs; sharing is for employers and staff.
GIGS = {
    ("GET", "/api/v1/gigs"),
    ("POST", "/api/v1/gigs"),
    ("GET", "/api/v1/gigs/<int:gig_id>/signups"),
    ("POST", "/api/v1/gigs/<int:gig_id>/signups/<int:signup_id>/transition"),
}
SHARING_EMPLOYER = {
    ("GET", "/api/v1/sharing/offers"),
    ("POST", "/api/v1/sharing/offers"),
    ("GET", "/api/v1/sharing/needs"),
    ("POST", "/api/v1/sharing/needs"),
    ("GET", "/api/v1/sharing/agreements"),
}
# Training (issue 14): a resident sees the programmes and internship positions near home and enrols themself.
TRAINING_RESIDENT = {
    ("GET", "/api/v1/training/programmes"),
    ("POST", "/api/v1/training/programmes/<programme_id>/enrolments"),
    ("GET", "/api/v1/internships/positions"),
}
RESIDENT = {
    ("GET", "/api/v1/residents/<int:resident_id>"),
    ("PATCH", "/api/v1/residents/<int:resident_id>"),
    ("GET", "/api/v1/residents/<int:resident_id>/nearby-jobs"),
    ("GET", "/api/v1/residents/<int:resident_id>/recommendations"),
    ("GET", "/api/v1/residents/<int:resident_id>/inbox"),
    ("POST", "/api/v1/residents/<int:resident_id>/inbox/<int:message_id>/read"),
    ("GET", "/api/v1/recruiting/applications"),
    ("POST", "/api/v1/recruiting/applications"),
    ("GET", "/api/v1/recruiting/applications/<int:application_id>"),
    ("POST", "/api/v1/recruiting/applications/<int:application_id>/transition"),
    ("POST", "/api/v1/recruiting/fairs/sign-in"),
    *SUBSIDY_APPLICANT,
    *GIGS,
    ("POST", "/api/v1/gigs/<int:gig_id>/signups"),
    *TRAINING_RESIDENT,
    *LOAN_BORROWER,
}
EMPLOYER = {
    ("GET", "/api/v1/employers/<int:employer_id>"),
    ("PATCH", "/api/v1/employers/<int:employer_id>"),
    ("GET", "/api/v1/jobs"),
    ("POST", "/api/v1/jobs"),
    ("GET", "/api/v1/jobs/<int:job_id>"),
    ("PATCH", "/api/v1/jobs/<int:job_id>"),
    ("POST", "/api/v1/jobs/<int:job_id>/status"),
    ("GET", "/api/v1/recruiting/applications"),
    ("GET", "/api/v1/recruiting/applications/<int:application_id>"),
    ("POST", "/api/v1/recruiting/applications/<int:application_id>/transition"),
    *SUBSIDY_APPLICANT,
    *GIGS,
    *SHARING_EMPLOYER,
    *LOAN_BORROWER,
}
ADMIN_ROUTES = {
    "system_admin": {("POST", "/api/v1/admin/users"), ("POST", "/api/v1/admin/users/<int:user_id>/deactivate")},
    "audit_admin": {("GET", "/api/v1/admin/audit/events")},
    "security_admin": {("POST", "/api/v1/admin/security/unlock")},
}
RESIDENT_ONLY = {
    ("POST", "/api/v1/residents/<int:resident_id>/inbox/<int:message_id>/read"),
    ("POST", "/api/v1/recruiting/applications"),
    ("POST", "/api/v1/recruiting/fairs/sign-in"),
}


def allowed_routes(who):
    everything = {(method, template) for method, template, op in api_operations() if not is_public(op)}
    staff = everything - set().union(*ADMIN_ROUTES.values()) - RESIDENT_ONLY
    tables = {"resident_user": RESIDENT, "employer_user": EMPLOYER, **ADMIN_ROUTES,
              "community_staff": staff - COUNTY_ONLY, "township_staff": staff - COUNTY_ONLY}  # fmt: skip
    return tables.get(who, staff)


def body_for(who, method, ids):
    """A body fit for every route a role may use, so that what it gets is about the data, not the role.

    PATCH sends nothing to change: which fields a role may change is another rule (field permissions).
    """
    if method == "PATCH":
        return {}
    return {
        "status": "withdrawn" if who == "resident_user" else "screening",
        "job_id": ids["job_id"], "token": ids["token"], "fields": ["id_number"], "reason": "核对申请材料",
        "username": "nobody",
    }  # fmt: skip


ROLES = ["resident_user", "employer_user", "community_staff", "township_staff", "county_admin", "system_admin",
         "audit_admin", "security_admin"]  # fmt: skip


@pytest.mark.parametrize("who", ROLES)
def test_a_role_gets_403_on_every_route_it_may_not_use_and_no_403_on_the_others(client, request, api_objects, who):
    client.force_login(request.getfixturevalue(who))
    allowed = allowed_routes(who)
    refused = 0
    for method, template, operation in api_operations():
        if is_public(operation):
            continue
        response = call(client, method, concrete(template, api_objects), body_for(who, method, api_objects))
        if (method, template) in allowed:
            assert response.status_code not in (401, 403), (who, method, template, response.content)
        else:
            assert response.status_code == 403, (who, method, template, response.content)
            assert response["Content-Type"].startswith("application/json")
            assert response.json() == {"detail": "无权执行此操作"}
            refused += 1
    assert refused > 0


def test_a_token_answers_the_same_403_as_a_session(client, resident_user):
    from jobcircle.accounts.models import ApiToken

    _, raw = ApiToken.issue(resident_user)
    response = client.get("/api/v1/residents", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403 and response.json() == {"detail": "无权执行此操作"}


def test_every_route_names_who_may_use_it():
    """No route falls back to the API's default (which refuses every role): each one says who may use it."""
    from jobcircle.api.auth import UNDECLARED

    for method, template, operation in api_operations():
        if is_public(operation):
            continue
        bearer = next(cb for cb in operation.auth_callbacks if isinstance(cb, BearerToken))
        assert operation.auth_callbacks is not UNDECLARED and bearer.permissions, (method, template)
