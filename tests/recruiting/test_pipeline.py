import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.employers.enums import JobStatus
from jobcircle.insights.services import overview
from jobcircle.people.models import EmploymentStatusChange, Placement
from jobcircle.recruiting.enums import APPLICATION_TRANSITIONS, ApplicationStatus
from jobcircle.recruiting.models import Application, ApplicationTransition
from jobcircle.recruiting.services import NoPlacesLeft, apply_to_job, remaining_places, transition
from tests.concurrency import run_at_once
from tests.factories import JobFactory, ResidentFactory, Role, make_user

S = ApplicationStatus
START = datetime.date(2026, 12, 1)
DETAILS = {
    S.INTERVIEW: {"interview_at": datetime.datetime(2026, 12, 1, 9, 30), "interview_place": "幸福社区就业服务站"},
    S.HIRED: {"started_on": START},
}


def application_in(status, job, resident, by):
    """An application walked to ``status`` along legal moves (by staff, so every move is allowed)."""
    application = Application.objects.create(resident=resident, job=job, area_code=job.area_code)
    paths = {
        S.APPLIED: [], S.SCREENING: [S.SCREENING], S.INTERVIEW: [S.INTERVIEW], S.INTENTION: [S.INTENTION],
        S.OFFER: [S.INTERVIEW, S.OFFER], S.HIRED: [S.INTENTION, S.HIRED], S.REJECTED: [S.REJECTED],
    }  # fmt: skip
    for step in paths[status]:
        application = transition(application, step, by=by, scope=scope_for_user(by), **DETAILS.get(step, {}))
    return application


# Sorted: the transition targets are sets, and xdist workers must collect the same order.
LEGAL = [(a, b) for a, targets in APPLICATION_TRANSITIONS.items() for b in sorted(targets)]
ILLEGAL = [(a, b) for a in APPLICATION_TRANSITIONS for b in S.values if b not in APPLICATION_TRANSITIONS[a]]


@pytest.mark.parametrize("from_state, to_state", LEGAL)
def test_every_legal_move_is_made_logged_and_audited(
    from_state, to_state, employer, community_staff, resident, resident_user
):
    if from_state == S.WITHDRAWN:
        pytest.skip("withdrawn is final")
    job = JobFactory(employer=employer, headcount=5)
    application = application_in(from_state, job, resident, community_staff)
    actor = resident_user if to_state == S.WITHDRAWN else community_staff
    application = transition(application, to_state, by=actor, scope=scope_for_user(actor), **DETAILS.get(to_state, {}))
    assert application.status == to_state
    step = ApplicationTransition.objects.filter(application=application).last()
    assert (step.from_status, step.to_status, step.by) == (from_state, to_state, actor)
    assert step.at is not None
    assert AuditEvent.objects.filter(
        action=f"recruiting.application.{to_state}", object_id=str(application.pk), actor_id=actor.pk
    ).exists()


@pytest.mark.parametrize("from_state, to_state", [pair for pair in ILLEGAL if pair[0] != S.WITHDRAWN])
def test_every_illegal_move_is_refused_and_leaves_no_trace(from_state, to_state, employer, community_staff, resident):
    job = JobFactory(employer=employer, headcount=5)
    application = application_in(from_state, job, resident, community_staff)
    steps = ApplicationTransition.objects.count()
    with pytest.raises((ValidationError, PermissionDenied)):
        transition(
            application,
            to_state,
            by=community_staff,
            scope=scope_for_user(community_staff),
            **DETAILS.get(to_state, {}),
        )
    application.refresh_from_db()
    assert application.status == from_state and ApplicationTransition.objects.count() == steps


def test_withdrawn_is_final(employer, resident, resident_user, community_staff):
    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    transition(application, S.WITHDRAWN, by=resident_user, scope=scope_for_user(resident_user))
    for target in S.values:
        with pytest.raises((ValidationError, PermissionDenied)):
            transition(
                application,
                target,
                by=community_staff,
                scope=scope_for_user(community_staff),
                **DETAILS.get(target, {}),
            )


def test_the_resident_may_only_withdraw_and_the_employer_may_not_withdraw(
    employer, employer_user, resident, resident_user
):
    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    with pytest.raises(PermissionDenied):
        transition(application, S.SCREENING, by=resident_user, scope=scope_for_user(resident_user))
    with pytest.raises(PermissionDenied):
        transition(application, S.WITHDRAWN, by=employer_user, scope=scope_for_user(employer_user))
    assert (
        transition(application, S.SCREENING, by=employer_user, scope=scope_for_user(employer_user)).status
        == S.SCREENING
    )


def test_another_employer_and_admin_roles_cannot_move_an_application(employer, resident, resident_user, county):
    from tests.factories import EmployerFactory

    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    stranger = make_user("stranger", Role.EMPLOYER, employer=EmployerFactory(community=employer.community))
    auditor = make_user("auditor", Role.AUDIT_ADMIN)
    for user in (stranger, auditor):
        with pytest.raises(PermissionDenied):
            transition(application, S.SCREENING, by=user, scope=scope_for_user(user))


def test_interview_needs_a_time_and_a_place_or_link(employer, employer_user, resident, resident_user):
    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    with pytest.raises(ValidationError) as exc:
        transition(application, S.INTERVIEW, by=employer_user, scope=scope_for_user(employer_user))
    assert set(exc.value.message_dict) == {"interview_at", "interview_place"}
    at = timezone.now() + datetime.timedelta(days=2)
    application = transition(
        application,
        S.INTERVIEW,
        by=employer_user,
        scope=scope_for_user(employer_user),
        interview_at=at,
        interview_link="https://meeting.example.org/1",
    )
    application.refresh_from_db()
    assert application.interview_at == at and application.interview_link.endswith("/1")


def test_hire_needs_a_start_date(employer, employer_user, resident, resident_user):
    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    transition(application, S.INTENTION, by=employer_user, scope=scope_for_user(employer_user))
    with pytest.raises(ValidationError, match="入职日期"):
        transition(application, S.HIRED, by=employer_user, scope=scope_for_user(employer_user))


def test_a_hire_records_employment_counts_in_the_overview_and_fills_the_job(employer, employer_user, community, county):
    job = JobFactory(employer=employer, headcount=2)
    first, second, third = (ResidentFactory(community=community) for _ in range(3))
    before = overview(county.scope_prefix)["employed"]
    hired = application_in(S.HIRED, job, first, employer_user)
    job.refresh_from_db()
    assert remaining_places(job) == 1 and job.status == JobStatus.OPEN
    placement = Placement.objects.get(resident=first)
    assert (placement.employer, placement.job, placement.started_on) == (employer, job, START)
    assert placement.area_code == first.area_code
    first.refresh_from_db()
    assert first.employment_status == "employed"
    assert EmploymentStatusChange.objects.filter(resident=first, status="employed", changed_on=START).exists()
    assert overview(county.scope_prefix)["employed"] == before + 1
    assert hired.started_on == START

    application_in(S.HIRED, job, second, employer_user)
    job.refresh_from_db()
    assert remaining_places(job) == 0 and job.status == JobStatus.FILLED
    assert overview(county.scope_prefix)["employed"] == before + 2
    late = application_in(S.OFFER, job, third, employer_user)
    with pytest.raises(NoPlacesLeft):
        transition(late, S.HIRED, by=employer_user, scope=scope_for_user(employer_user), started_on=START)
    late.refresh_from_db()
    assert late.status == S.OFFER and not Placement.objects.filter(resident=third).exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_hires_for_the_last_place_cannot_both_succeed(
    catalogues, employer, community, community_staff, county
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    job = JobFactory(employer=employer, headcount=1)
    applications = [application_in(S.OFFER, job, ResidentFactory(community=community), community_staff) for _ in "ab"]
    outcomes = run_at_once(
        lambda a: transition(a, S.HIRED, by=community_staff, scope=scope_for_user(community_staff), started_on=START),
        applications,
    )
    hired = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(hired) == 1 and [type(o) for o in outcomes if isinstance(o, Exception)] == [NoPlacesLeft]
    assert Application.objects.filter(job=job, status=S.HIRED).count() == 1
    assert Placement.objects.filter(job=job).count() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FILLED


def test_a_hire_ends_the_job_search(employer, employer_user, community):
    seeker = ResidentFactory(community=community, is_job_seeking=True)
    application_in(S.HIRED, JobFactory(employer=employer), seeker, employer_user)
    seeker.refresh_from_db()
    assert (seeker.employment_status, seeker.is_job_seeking) == ("employed", False)


def test_who_may_move_is_read_from_the_callers_scope_and_no_scope_moves_nothing(
    employer, employer_user, resident, resident_user, community_staff
):
    application = apply_to_job(resident, JobFactory(employer=employer), by=resident_user)
    for by in (employer_user, community_staff, resident_user):
        with pytest.raises(PermissionDenied):
            transition(application, S.SCREENING, by=by)  # a person's move needs the caller's scope
    with pytest.raises(PermissionDenied):
        transition(application, S.WITHDRAWN, by=resident_user, scope=scope_for_user(employer_user))
    moved = transition(application, S.SCREENING, by=employer_user, scope=scope_for_user(employer_user))
    assert moved.status == S.SCREENING and ApplicationTransition.objects.filter(application=application).count() == 1
