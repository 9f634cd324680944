"""Job status goes through the one workflow helper (issue 21): every change is logged and audited, whoever makes it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.demo.generator import build_demo
from jobcircle.employers.enums import JobStatus as S
from jobcircle.employers.enums import ReviewResult
from jobcircle.employers.models import Job, JobTransition
from jobcircle.employers.services import JOB_TRANSITIONS, transition_job
from jobcircle.recruiting.enums import ApplicationStatus
from jobcircle.recruiting.services import apply_to_job, transition
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db
PAIRS = [(a, b) for a in S.values for b in S.values]  # in a fixed order (the table holds sets)
LEGAL = [(a, b) for a, b in PAIRS if b in JOB_TRANSITIONS[a]]
ILLEGAL = [(a, b) for a, b in PAIRS if b not in JOB_TRANSITIONS[a]]


def review_result_for(to_state):
    """A posting the move's own rule accepts: → 待审核 needs a held posting, the rest a clean one."""
    return ReviewResult.HELD if to_state == S.REVIEW else ReviewResult.PASSED


def events(job):
    return AuditEvent.objects.filter(object_type="employers.job", object_id=str(job.pk)).exclude(
        action="employers.job.created"
    )


@pytest.mark.parametrize("from_state, to_state", LEGAL)
def test_every_legal_job_move_writes_one_log_row_and_one_audit_event(from_state, to_state, employer, community_staff):
    job = JobFactory(employer=employer, status=from_state, review_result=review_result_for(to_state))

    job = transition_job(
        job, to_state, by=community_staff, scope=scope_for_user(community_staff), reason="请补充岗位描述内容"
    )

    assert Job.objects.get(pk=job.pk).status == to_state
    (row,) = JobTransition.objects.filter(job=job)
    assert (row.from_status, row.to_status, row.by) == (from_state, to_state, community_staff)
    (event,) = events(job)
    assert (event.data["from"], event.data["to"], event.actor_id) == (from_state, to_state, community_staff.pk)


@pytest.mark.parametrize("from_state, to_state", ILLEGAL)
def test_every_illegal_job_move_is_refused_naming_both_states_and_writes_nothing(
    from_state, to_state, employer, community_staff
):
    job = JobFactory(employer=employer, status=from_state, review_result=review_result_for(to_state))

    with pytest.raises(ValidationError) as refused:
        transition_job(
            job, to_state, by=community_staff, scope=scope_for_user(community_staff), reason="请补充岗位描述内容"
        )

    assert S(from_state).label in refused.value.message_dict["status"][0]
    assert Job.objects.get(pk=job.pk).status == from_state
    assert not JobTransition.objects.filter(job=job).exists() and not events(job).exists()


def test_a_hire_that_fills_the_last_place_logs_the_job_as_filled_by_the_hiring_employer(
    employer, employer_user, resident, resident_user
):
    job = JobFactory(employer=employer, headcount=1)
    application = apply_to_job(resident, job, by=resident_user)
    transition(application, ApplicationStatus.INTENTION, by=employer_user, scope=scope_for_user(employer_user))

    transition(
        application,
        ApplicationStatus.HIRED,
        by=employer_user,
        scope=scope_for_user(employer_user),
        started_on=datetime.date.today(),
    )

    (row,) = JobTransition.objects.filter(job=job)
    assert (row.from_status, row.to_status, row.by) == (S.OPEN, S.FILLED, employer_user)


def test_demo_jobs_carry_their_status_log_from_creation():
    build_demo(seed=3, scale="tiny", log=lambda *_: None)

    # The current postings (the ones past_jobs adds in demo/history.py ended at least 60 days ago).
    jobs = Job.objects.filter(valid_until__gte=datetime.date.today() - datetime.timedelta(days=30))
    assert jobs.exists()
    logged = dict(JobTransition.objects.filter(from_status="").values_list("job_id", "to_status"))
    assert all(logged.get(pk) == status for pk, status in jobs.values_list("pk", "status"))


def test_approving_reads_the_callers_scope_and_a_checker_move_needs_none(employer, community_staff):
    held = JobFactory(employer=employer, status=S.REVIEW, review_result=ReviewResult.HELD)
    with pytest.raises(PermissionDenied):
        transition_job(held, S.OPEN, by=community_staff)  # staff, but no scope handed: refused
    assert transition_job(held, S.OPEN, by=community_staff, scope=scope_for_user(community_staff)).status == S.OPEN

    fixed = JobFactory(employer=employer, status=S.REVIEW, review_result=ReviewResult.PASSED)
    assert transition_job(fixed, S.OPEN, by=None).status == S.OPEN  # the fix passed: it leaves by itself
