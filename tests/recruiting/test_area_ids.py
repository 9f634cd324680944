"""Every id a recruiting write takes resolves through the caller's area (SEC-09).

A job, employer, resident or officer of another area is refused exactly like an id that does not
exist (422 naming the field, nothing written), so the answer neither attaches another area's record
nor tells whether it exists. The other area here is 李集镇 (``village``); the caller is 城关街道.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from jobcircle.accounts.access import scope_for_user
from jobcircle.recruiting.models import Application, FairAttendance, FairEmployer, LiaisonRecommendation
from jobcircle.recruiting.services import (
    add_fair_employer,
    assign_liaison_officer,
    create_job_fair,
    recommend_candidate,
    record_fair_intention,
)
from tests.factories import EmployerFactory, JobFactory, ResidentFactory, Role, make_user

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 11, 20, 9, 0)
MISSING = 10**9


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def detail(response):
    assert response.status_code == 422, response.content
    return response.json()["detail"]


def same_answer(client, path, body, field, far_id):
    """The answer for another area's id is the answer for an id that does not exist, naming the field."""
    far = detail(post(client, path, {**body, field: far_id}))
    missing = detail(post(client, path, {**body, field: [MISSING] if isinstance(far_id, list) else MISSING}))
    assert far == missing and [item["field"] for item in far] == [field]


@pytest.fixture
def fair(township_staff, town):
    return create_job_fair(
        by=township_staff, scope=scope_for_user(township_staff),
        data={"name": "城关街道招聘会", "kind": "comprehensive", "starts_at": DAY,
              "ends_at": DAY + datetime.timedelta(hours=3), "venue": "文化广场", "area_code": town.code},
    )  # fmt: skip


@pytest.fixture
def far_employer(village):
    return EmployerFactory(community=village, is_key_enterprise=True)


@pytest.fixture
def far_job(far_employer):
    return JobFactory(employer=far_employer)


@pytest.fixture
def far_resident(village):
    return ResidentFactory(community=village)


@pytest.fixture
def job_placed_far(employer, village):
    """A job of an employer of the caller's area whose workplace (and so its area) is in 李集镇."""
    home = village.stations.first()
    return JobFactory(employer=employer, area_code=village.code, lat=home.lat, lng=home.lng)


@pytest.fixture
def key_employer(community):
    return EmployerFactory(community=community, is_key_enterprise=True)


def test_a_fair_cannot_take_another_areas_jobs_or_employers(
    client, township_staff, fair, employer, far_employer, far_job, job_placed_far
):
    client.force_login(township_staff)
    path = f"/api/v1/recruiting/fairs/{fair.pk}/employers"
    same_answer(client, path, {"employer_id": employer.pk}, "job_ids", [far_job.pk])
    same_answer(client, path, {"employer_id": employer.pk}, "job_ids", [job_placed_far.pk])
    same_answer(client, path, {"job_ids": []}, "employer_id", far_employer.pk)
    assert not FairEmployer.objects.exists()
    with pytest.raises(ValidationError, match="管辖范围"):  # the service's own rule, whatever the caller
        add_fair_employer(
            fair, employer, by=township_staff, scope=scope_for_user(township_staff), jobs=[job_placed_far]
        )


def test_a_fair_intention_cannot_name_another_areas_job_or_resident(
    client, township_staff, fair, employer, resident, far_resident, far_job, job_placed_far
):
    own_job = JobFactory(employer=employer)
    add_fair_employer(fair, employer, by=township_staff, scope=scope_for_user(township_staff), jobs=[own_job])
    FairEmployer.objects.get(fair=fair).jobs.add(job_placed_far)  # as an earlier, unscoped registration did
    client.force_login(township_staff)
    path = f"/api/v1/recruiting/fairs/{fair.pk}/intentions"
    same_answer(client, path, {"resident_id": resident.pk}, "job_id", far_job.pk)
    same_answer(client, path, {"resident_id": resident.pk}, "job_id", job_placed_far.pk)
    same_answer(client, path, {"job_id": own_job.pk}, "resident_id", far_resident.pk)
    assert not Application.objects.exists()
    with pytest.raises(ValidationError, match="管辖范围"):
        record_fair_intention(fair, resident, job_placed_far, by=township_staff, scope=scope_for_user(township_staff))


def test_a_walk_in_sign_in_cannot_name_another_areas_resident(client, township_staff, fair, far_resident):
    client.force_login(township_staff)
    same_answer(client, f"/api/v1/recruiting/fairs/{fair.pk}/attendees", {}, "resident_id", far_resident.pk)
    assert not FairAttendance.objects.exists()


def test_a_liaison_recommendation_cannot_name_another_areas_job_or_resident(
    client, township_staff, community_staff, key_employer, community, far_resident, far_job, village
):
    assignment = assign_liaison_officer(
        community_staff, key_employer, by=township_staff, scope=scope_for_user(township_staff)
    )
    home = village.stations.first()
    placed_far = JobFactory(employer=key_employer, area_code=village.code, lat=home.lat, lng=home.lng)
    person = ResidentFactory(community=community)
    client.force_login(community_staff)  # the officer
    path = f"/api/v1/recruiting/liaison/assignments/{assignment.pk}/recommendations"
    same_answer(client, path, {"resident_id": person.pk}, "job_id", far_job.pk)
    same_answer(client, path, {"resident_id": person.pk}, "job_id", placed_far.pk)
    same_answer(client, path, {}, "resident_id", far_resident.pk)
    assert not LiaisonRecommendation.objects.exists()
    with pytest.raises(ValidationError, match="管辖范围"):
        recommend_candidate(
            assignment, person, by=community_staff, scope=scope_for_user(community_staff), job=placed_far
        )


def test_a_liaison_officer_is_one_of_the_callers_own_staff(
    client, township_staff, county_admin, other_township_staff, key_employer, far_employer, resident_user
):
    client.force_login(township_staff)
    path = "/api/v1/recruiting/liaison/assignments"
    body = {"employer_id": key_employer.pk}
    same_answer(client, path, body, "officer_id", other_township_staff.pk)  # staff elsewhere
    same_answer(client, path, body, "officer_id", county_admin.pk)  # covers the firm, but is not the caller's
    same_answer(client, path, body, "officer_id", resident_user.pk)  # no staff member at all
    same_answer(client, path, {"officer_id": township_staff.pk}, "employer_id", far_employer.pk)
    retired = make_user("retired_staff", Role.COMMUNITY_STAFF, area=township_staff.area, is_active=False)
    same_answer(client, path, body, "officer_id", retired.pk)
    with pytest.raises(ValidationError, match="辖区"):
        assign_liaison_officer(county_admin, key_employer, by=township_staff, scope=scope_for_user(township_staff))
    client.force_login(county_admin)  # the county assigns a township officer
    assert post(client, path, {**body, "officer_id": township_staff.pk}).status_code == 201


def test_a_resident_applies_only_to_an_open_job(client, resident_user, employer):
    draft = JobFactory(employer=employer, status="draft")
    client.force_login(resident_user)
    same_answer(client, "/api/v1/recruiting/applications", {}, "job_id", draft.pk)
    assert not Application.objects.exists()
