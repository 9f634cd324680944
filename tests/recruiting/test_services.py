import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.employers.enums import JobStatus
from jobcircle.recruiting.models import Application
from jobcircle.recruiting.services import apply_to_job
from tests.factories import JobFactory, ResidentFactory


def test_a_resident_applies_once_and_the_application_belongs_to_the_jobs_area(resident, resident_user, employer):
    job = JobFactory(employer=employer)
    application = apply_to_job(resident, job, by=resident_user)
    assert application.status == "applied" and application.area_code == employer.area_code
    assert AuditEvent.objects.filter(action="recruiting.application.created", object_id=str(application.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        apply_to_job(resident, job, by=resident_user)
    assert "已投递" in exc.value.message_dict["job"][0]
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [{"status": JobStatus.PAUSED}, {"status": JobStatus.CLOSED}, {"valid_until": datetime.date(2020, 1, 1),
                                                                 "valid_from": datetime.date(2019, 12, 1)}],
)  # fmt: skip
def test_only_open_jobs_can_be_applied_to(resident, resident_user, employer, changes):
    job = JobFactory(employer=employer, **changes)
    with pytest.raises(ValidationError, match="暂停或结束"):
        apply_to_job(resident, job, by=resident_user)


def test_residents_see_their_own_applications_employers_those_to_their_jobs_staff_their_area(
    resident, resident_user, employer, employer_user, community_staff, neighbour_staff, neighbour_community
):
    mine = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    other = ResidentFactory(community=neighbour_community)
    theirs = apply_to_job(other, JobFactory(employer=employer), by=None)
    assert set(Application.objects.in_scope(scope_for_user(resident_user))) == {mine}
    assert set(Application.objects.in_scope(scope_for_user(employer_user))) == {mine, theirs}
    assert set(Application.objects.in_scope(scope_for_user(community_staff))) == {mine, theirs}
    assert set(Application.objects.in_scope(scope_for_user(neighbour_staff))) == set()  # jobs are in 幸福社区


def test_application_timestamps_are_recorded(resident, resident_user, employer):
    before = timezone.now()
    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    assert application.created_at >= before and application.created_by == resident_user
