"""The one workflow helper (issue 21): table, who may act, reason, row lock, one log row and one audit event.

The helper is exercised on a small table of its own over the job record and its log, so these tests
judge the helper, not the job rules (those are in tests/employers/test_job_workflow.py).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from jobcircle.accounts.access import scope_for_user
from jobcircle.accounts.enums import STAFF_ROLES
from jobcircle.common.models import AuditEvent
from jobcircle.common.workflow import Move, Workflow, log_created, moves_from, transition
from jobcircle.employers.enums import JobStatus as S
from jobcircle.employers.models import Job, JobTransition
from tests.concurrency import run_at_once
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def staff_only(record, by, scope) -> bool:
    return scope is not None and scope.role in STAFF_ROLES


TABLE = {S.DRAFT: {S.OPEN, S.CLOSED}, S.OPEN: {S.PAUSED}, S.PAUSED: {S.OPEN}}
SPECIAL = {
    (S.DRAFT, S.CLOSED): Move(who=staff_only, refused="仅限工作人员关闭"),
    (S.OPEN, S.PAUSED): Move(min_reason=4, reason_error="暂停原因：至少4个字"),
}
WORKFLOW = Workflow(
    model=Job,
    states=S,
    moves=moves_from(TABLE, lambda frm, to: SPECIAL.get((frm, to), Move())),
    log=JobTransition,
    subject="job",
    action="tests.job.{to}",
    label="岗位状态",
)
ALL_PAIRS = [(a, b) for a in S.values for b in S.values]
LEGAL = [pair for pair in ALL_PAIRS if pair in WORKFLOW.moves]
ILLEGAL = [pair for pair in ALL_PAIRS if pair not in WORKFLOW.moves]


@pytest.fixture
def staff(community_staff):
    return community_staff


def trace(job):
    """Everything a transition writes: the state, the log rows, the audit events."""
    job.refresh_from_db()
    events = AuditEvent.objects.filter(object_type="employers.job", object_id=str(job.pk), action__startswith="tests.")
    return job.status, JobTransition.objects.filter(job=job).count(), events.count()


@pytest.mark.parametrize("from_state, to_state", LEGAL)
def test_every_legal_move_is_made_with_one_log_row_and_one_audit_event(from_state, to_state, employer, staff):
    job = JobFactory(employer=employer, status=from_state)

    job = transition(WORKFLOW, job, to_state, by=staff, scope=scope_for_user(staff), reason="按计划调整岗位")

    assert job.status == to_state
    (row,) = JobTransition.objects.filter(job=job)
    assert (row.from_status, row.to_status, row.by, row.reason) == (from_state, to_state, staff, "按计划调整岗位")
    assert row.at is not None
    (event,) = AuditEvent.objects.filter(object_type="employers.job", object_id=str(job.pk))
    assert event.action == f"tests.job.{to_state}" and event.actor_id == staff.pk
    assert event.data["from"] == from_state and event.data["to"] == to_state
    assert event.changed_fields == ["status"]


@pytest.mark.parametrize("from_state, to_state", ILLEGAL)
def test_every_move_outside_the_table_is_refused_naming_both_states_and_writes_nothing(
    from_state, to_state, employer, staff
):
    job = JobFactory(employer=employer, status=from_state)

    with pytest.raises(ValidationError) as refused:
        transition(WORKFLOW, job, to_state, by=staff, reason="按计划调整岗位")

    message = refused.value.message_dict["status"][0]
    assert S(from_state).label in message and S(to_state).label in message
    assert trace(job) == (from_state, 0, 0)


def test_an_actor_the_move_does_not_allow_is_refused_and_nothing_is_written(employer, employer_user):
    job = JobFactory(employer=employer, status=S.DRAFT)

    with pytest.raises(PermissionDenied, match="仅限工作人员关闭"):
        transition(WORKFLOW, job, S.CLOSED, by=employer_user, scope=scope_for_user(employer_user))

    assert trace(job) == (S.DRAFT, 0, 0)


def test_the_predicate_reads_the_callers_scope_not_the_actor(employer, staff, employer_user):
    job = JobFactory(employer=employer, status=S.DRAFT)

    with pytest.raises(PermissionDenied):
        transition(WORKFLOW, job, S.CLOSED, by=staff)  # no scope handed: the staff-only move is refused
    transition(WORKFLOW, job, S.CLOSED, by=employer_user, scope=scope_for_user(staff))

    assert trace(job) == (S.CLOSED, 1, 1)


def test_the_default_predicate_needs_no_scope(employer, staff):
    job = JobFactory(employer=employer, status=S.DRAFT)

    transition(WORKFLOW, job, S.OPEN, by=staff)

    assert trace(job) == (S.OPEN, 1, 1)


def test_a_move_that_needs_a_reason_refuses_a_short_one_naming_the_field(employer, staff):
    job = JobFactory(employer=employer, status=S.OPEN)

    with pytest.raises(ValidationError) as refused:
        transition(WORKFLOW, job, S.PAUSED, by=staff, reason=" 暂停 ")

    assert refused.value.message_dict == {"reason": ["暂停原因：至少4个字"]}
    assert trace(job) == (S.OPEN, 0, 0)


def test_an_unknown_state_is_refused_naming_it(employer, staff):
    job = JobFactory(employer=employer, status=S.DRAFT)

    with pytest.raises(ValidationError) as refused:
        transition(WORKFLOW, job, "archived", by=staff)

    assert "archived" in refused.value.message_dict["status"][0]
    assert trace(job) == (S.DRAFT, 0, 0)


def test_the_pipelines_own_rule_can_refuse_after_the_table_and_nothing_is_written(employer, staff):
    job = JobFactory(employer=employer, status=S.DRAFT)

    def refuse(record, current, target):
        record.headcount = 99  # changed, then refused: must not reach the database
        raise ValidationError({"status": ["岗位信息不完整，不能发布"]})

    with pytest.raises(ValidationError, match="不能发布"):
        transition(WORKFLOW, job, S.OPEN, by=staff, prepare=refuse)

    assert trace(job) == (S.DRAFT, 0, 0)
    assert Job.objects.get(pk=job.pk).headcount == job.headcount


def test_the_pipelines_own_rule_saves_its_fields_with_the_state_and_names_them_in_the_audit(employer, staff):
    job = JobFactory(employer=employer, status=S.DRAFT, headcount=2)

    def raise_headcount(record, current, target):
        record.headcount = 3
        return ["headcount"]

    transition(WORKFLOW, job, S.OPEN, by=staff, prepare=raise_headcount, data={"source": "test"})

    job.refresh_from_db()
    assert (job.status, job.headcount) == (S.OPEN, 3)
    event = AuditEvent.objects.get(object_type="employers.job", object_id=str(job.pk))
    assert set(event.changed_fields) == {"status", "headcount"} and event.data["source"] == "test"


def test_a_system_move_keeps_no_actor(employer):
    job = JobFactory(employer=employer, status=S.OPEN)

    transition(WORKFLOW, job, S.PAUSED, by=None, reason="到期自动暂停")

    assert JobTransition.objects.get(job=job).by is None


def test_targets_follow_the_table(employer):
    assert WORKFLOW.targets(S.DRAFT) == [S.OPEN, S.CLOSED]
    assert WORKFLOW.targets(S.CLOSED) == []


def test_records_created_straight_into_a_state_get_a_log_row_from_nothing(employer):
    jobs = [JobFactory(employer=employer, status=S.OPEN), JobFactory(employer=employer, status=S.PAUSED)]

    log_created(WORKFLOW, jobs, reason="导入")

    rows = JobTransition.objects.filter(job__in=jobs).order_by("job_id")
    assert [(r.from_status, r.to_status, r.reason) for r in rows] == [("", S.OPEN, "导入"), ("", S.PAUSED, "导入")]


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_moves_from_the_same_state_only_one_wins(catalogues, employer, community_staff):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    job = JobFactory(employer=employer, status=S.DRAFT)

    outcomes = run_at_once(lambda to: transition(WORKFLOW, job, to, by=None), [S.OPEN, S.OPEN])

    assert sum(isinstance(o, Job) for o in outcomes) == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1
    assert list(JobTransition.objects.filter(job=job).values_list("from_status", "to_status")) == [(S.DRAFT, S.OPEN)]


def test_records_created_straight_into_a_state_may_each_have_their_own_reason(employer):
    jobs = [JobFactory(employer=employer, title="保洁员"), JobFactory(employer=employer, title="厨师")]

    log_created(WORKFLOW, jobs, reason=lambda job: f"导入：{job.title}")

    reasons = set(JobTransition.objects.filter(job__in=jobs).values_list("reason", flat=True))
    assert reasons == {"导入：保洁员", "导入：厨师"}
