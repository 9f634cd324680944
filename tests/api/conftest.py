import datetime

import pytest

from jobcircle.accounts.access import scope_for_user
from jobcircle.matching.models import InboxMessage, PushRun
from jobcircle.people.models import JobIntention
from jobcircle.risk.models import RiskWarning
from tests.factories import EmployerFactory, JobFactory
from tests.households.factories import household


@pytest.fixture
def api_objects(community, town, resident_user, employer_user, township_staff, community_staff):
    """One real object behind each kind of path id, owned by ``resident_user`` and ``employer_user``.

    Returns the ids by the names the API's paths use, plus the fair's sign-in token.
    """
    from jobcircle.matching.push import start_push
    from jobcircle.recruiting.services import (
        add_fair_employer,
        apply_to_job,
        assign_liaison_officer,
        create_job_fair,
    )

    resident = resident_user.resident
    resident.is_job_seeking = True
    resident.save()
    JobIntention.objects.create(resident=resident, max_distance_km=3, min_monthly_pay=0, work_type="full_time")
    job = JobFactory(employer=employer_user.employer, headcount=5)
    application = apply_to_job(resident, job, by=resident_user)
    start = datetime.datetime.combine(datetime.date.today() + datetime.timedelta(days=7), datetime.time(9))
    fair = create_job_fair(
        by=township_staff, scope=scope_for_user(township_staff),
        data={"name": "城关街道招聘会", "kind": "comprehensive", "starts_at": start,
              "ends_at": start + datetime.timedelta(hours=3), "venue": "文化广场", "area_code": town.code},
    )  # fmt: skip
    add_fair_employer(fair, employer_user.employer, by=township_staff, scope=scope_for_user(township_staff), jobs=[job])
    key_employer = EmployerFactory(community=community, is_key_enterprise=True)
    assignment = assign_liaison_officer(
        community_staff, key_employer, by=township_staff, scope=scope_for_user(township_staff)
    )
    run = start_push(by=township_staff, area_code=town.code, enqueue=False)
    return {
        "resident_id": resident.pk,
        "employer_id": employer_user.employer_id,
        "job_id": job.pk,
        "user_id": community_staff.pk,
        "application_id": application.pk,
        "fair_id": fair.pk,
        "assignment_id": assignment.pk,
        "run_id": PushRun.objects.get(pk=run.pk).pk,
        "message_id": InboxMessage.objects.get(resident=resident).pk,
        "token": fair.sign_in_token,
        "policy_code": "transport",  # a subsidy policy of the shipped catalogue
        "code": "employers",  # a registered figure (insights.figures)
        "household_id": household(community, [resident]).pk,  # households (issue 19): the resident's household
        "warning_id": RiskWarning.objects.create(  # risk (issue 19): a warning in the community
            kind="workshop_buffer",
            level=2,
            subject_kind="workshop",
            subject_id=1,
            subject_label="车间",
            condition_key="api-test",
            detail="缓冲监测",
            area_code=community.code,
            raised_on=datetime.date.today(),
            due_on=datetime.date.today(),
        ).pk,
    }
