"""Assistance cases: the transition table and its log, services, 1131, the matching hook."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobcircle.areas.codes import Area
from jobcircle.assistance.cases import services
from jobcircle.assistance.enums import CaseState, ServiceKind, ServiceSource
from jobcircle.assistance.models import AssistanceCase, CaseService, CaseTransition
from jobcircle.common.models import AuditEvent
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.services import record_employment_status
from tests.factories import JobFactory, Role, make_user

from ..factories import tagged_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(community):
    return tagged_resident(community, "poverty_alleviated")


@pytest.fixture
def case(person, community_staff):
    return services.open_case(person, by=community_staff, reason="测试立案", on=timezone.localdate())


def test_opening_twice_returns_the_one_open_case(person, case, community_staff):
    assert services.open_case(person, by=community_staff, reason="again") == case
    assert AssistanceCase.objects.filter(resident=person).count() == 1


def test_the_database_refuses_a_second_open_case_for_a_person(person, case):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssistanceCase.objects.create(resident=person, area_code=person.area_code, opened_on=timezone.localdate())


def test_every_move_in_the_table_is_logged_with_who_and_why(case, community_staff):
    services.transition(case, CaseState.WITHDRAWN, by=community_staff, note="迁出本县")
    services.transition(case, CaseState.OPEN, by=community_staff, note="返乡")
    services.transition(case, CaseState.CLOSED, by=community_staff, note="已就业")
    log = list(CaseTransition.objects.filter(case=case).values_list("from_status", "to_status", "by", "reason"))
    assert log == [
        ("", "open", community_staff.pk, "测试立案"),
        ("open", "withdrawn", community_staff.pk, "迁出本县"),
        ("withdrawn", "open", community_staff.pk, "返乡"),
        ("open", "closed", community_staff.pk, "已就业"),
    ]
    case.refresh_from_db()
    assert case.closed_on == timezone.localdate()


def test_moves_outside_the_table_are_refused(case, community_staff):
    with pytest.raises(ValidationError):
        services.transition(case, CaseState.OPEN, by=community_staff)  # open → open
    services.transition(case, CaseState.CLOSED, by=community_staff)
    with pytest.raises(ValidationError):
        services.transition(case, CaseState.WITHDRAWN, by=community_staff)  # closed → withdrawn
    assert CaseTransition.objects.filter(case=case).count() == 2


def test_reopening_is_refused_while_another_case_is_open(person, case, community_staff):
    services.transition(case, CaseState.CLOSED, by=community_staff)
    services.open_case(person, by=community_staff, reason="再次失业")
    with pytest.raises(ValidationError):
        services.transition(case, CaseState.OPEN, by=community_staff)


def test_1131_is_done_after_a_policy_briefing_guidance_three_job_offers_and_a_training_place(case, community_staff):
    plan = [ServiceKind.GUIDANCE, ServiceKind.JOB_INFO, ServiceKind.JOB_INFO, ServiceKind.JOB_INFO,
            ServiceKind.TRAINING]  # fmt: skip
    for kind in plan:
        services.record_case_service(case, by=community_staff, kind=kind)
    status = services.service_1131(case)
    assert (status.policy, status.guidance, status.job_info, status.training) == (0, 1, 3, 1)
    assert not status.done  # the old 1-3-1 set without the policy briefing is not 1131
    annotated = services.with_1131_counts(AssistanceCase.objects.filter(pk=case.pk))
    assert not annotated.filter(**services.DONE_1131).exists()
    services.record_case_service(case, by=community_staff, kind=ServiceKind.POLICY)
    assert services.service_1131(case).done
    annotated = services.with_1131_counts(AssistanceCase.objects.filter(pk=case.pk)).get()
    assert (annotated.n_policy, annotated.n_guidance, annotated.n_job_info, annotated.n_training) == (1, 1, 3, 1)
    assert services.with_1131_counts(AssistanceCase.objects.filter(pk=case.pk)).filter(**services.DONE_1131).exists()
    assert "政策宣讲1/1" in services.service_1131(case).summary


def test_services_are_refused_on_a_closed_case_or_with_impossible_dates(case, community_staff):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.record_case_service(case, by=community_staff, kind=ServiceKind.GUIDANCE, provided_on=tomorrow)
    assert "provided_on" in exc.value.message_dict
    services.transition(case, CaseState.CLOSED, by=community_staff)
    with pytest.raises(ValidationError) as exc:
        services.record_case_service(case, by=community_staff, kind=ServiceKind.GUIDANCE)
    assert "case" in exc.value.message_dict


def test_the_matching_hook_logs_each_push_once_toward_1131(person, case, employer):
    job = JobFactory(employer=employer)
    for _ in range(2):  # the engine re-runs: the same push reference counts once
        services.record_job_push(person.pk, job_id=job.pk, reference="push-1")
    services.record_job_push(person.pk, job_id=job.pk, reference="push-2")
    pushes = CaseService.objects.filter(case=case, source=ServiceSource.MATCHING)
    assert pushes.count() == 2 and {p.job_id for p in pushes} == {job.pk}
    assert services.service_1131(case).job_info == 2


def test_the_matching_hook_ignores_people_without_an_open_case(community):
    other = tagged_resident(community, "graduate")
    assert services.record_job_push(other.pk, reference="push-9") is None
    assert not CaseService.objects.exists()


def test_cases_of_people_employed_elsewhere_are_closed_by_the_sweep(person, case, community_staff):
    record_employment_status(person, "employed", by=community_staff)
    assert services.close_cases_of_employed(region=Area(person.area_code[:9])) == 1
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


def test_a_push_for_a_job_that_no_longer_exists_is_still_logged(person, case):
    services.record_job_push(person.pk, job_id=10**9, reference="gone")
    assert CaseService.objects.get(reference="gone").job_id is None


def test_closing_stamps_the_date_and_reopening_clears_it(case, community_staff):
    closed_on = timezone.localdate()
    services.transition(case, CaseState.CLOSED, by=community_staff, note="已就业", on=closed_on)
    case.refresh_from_db()
    assert (case.state, case.closed_on) == (CaseState.CLOSED, closed_on)
    services.transition(case, CaseState.OPEN, by=community_staff, note="再次失业")
    case.refresh_from_db()
    assert (case.state, case.closed_on) == (CaseState.OPEN, None)


def test_a_service_of_an_unknown_kind_or_with_an_overlong_note_names_each_field(case, community_staff):
    with pytest.raises(ValidationError) as exc:
        services.record_case_service(case, by=community_staff, kind="massage", note="长" * 301)
    assert set(exc.value.message_dict) == {"kind", "note"}
    assert not CaseService.objects.filter(case=case).exists()


def test_a_new_case_goes_to_the_first_active_staff_member_of_the_community(community, community_staff):
    make_user("later_staff", Role.COMMUNITY_STAFF, area=community)
    case = services.open_case(tagged_resident(community, "monitored"), by=None, reason="测试")
    assert case.assigned_to == community_staff
    community_staff.is_active = False
    community_staff.save(update_fields=["is_active"])
    other = services.open_case(tagged_resident(community, "monitored"), by=None, reason="测试")
    assert other.assigned_to.username == "later_staff"


def test_the_sweep_closes_employed_peoples_cases_inside_the_given_area_only(community, village, community_staff):
    inside, outside = tagged_resident(community, "monitored"), tagged_resident(village, "monitored")
    cases = [services.open_case(p, by=community_staff, reason="测试") for p in (inside, outside)]
    for person in (inside, outside):
        record_employment_status(person, EmploymentStatus.EMPLOYED, by=community_staff, on=timezone.localdate())
    assert services.close_cases_of_employed(by=community_staff, region=community) == 1
    states = dict(AssistanceCase.objects.filter(pk__in=[c.pk for c in cases]).values_list("resident_id", "state"))
    assert states == {inside.pk: CaseState.CLOSED, outside.pk: CaseState.OPEN}


def test_a_person_neither_working_nor_wanting_work_keeps_the_case_as_it_is(person, case, community_staff):
    record_employment_status(person, EmploymentStatus.NOT_IN_LABOUR_FORCE, by=community_staff, on=timezone.localdate())
    person.refresh_from_db()
    assert services.sync_assistance_case(person, by=community_staff, on=timezone.localdate()) == case
    case.refresh_from_db()
    assert case.state == CaseState.OPEN


def test_the_list_annotation_counts_the_same_1131_services_as_one_case(community, community_staff):
    cases = [services.open_case(tagged_resident(community, "monitored"), by=None, reason="测试") for _ in range(3)]
    given = {cases[0].pk: ["guidance", "job_info", "job_info"], cases[1].pk: ["training", "policy"], cases[2].pk: []}
    for case in cases:
        for kind in given[case.pk]:
            services.record_case_service(case, by=community_staff, kind=kind)
    annotated = services.with_1131_counts(AssistanceCase.objects.filter(pk__in=given))
    for row in annotated:
        one = services.service_1131(row)
        assert (row.n_policy, row.n_guidance, row.n_job_info, row.n_training) == (
            one.policy, one.guidance, one.job_info, one.training)  # fmt: skip
        assert row.n_policy + row.n_guidance + row.n_job_info + row.n_training == len(given[row.pk])


# --- through the workflow helper (CASE_WORKFLOW, common.workflow) -------------------------------------------

ALL_PAIRS = [(frm, to) for frm in CaseState.values for to in CaseState.values]
LEGAL = sorted(services.CASE_TRANSITIONS)
WHY = "按帮扶计划调整"
ILLEGAL = [pair for pair in ALL_PAIRS if pair not in services.CASE_TRANSITIONS]


def trace(case):
    """The case's state, its log rows and its transition audit events."""
    events = AuditEvent.objects.filter(
        object_type="assistance.assistancecase", object_id=str(case.pk), action="assistance.case.transitioned"
    )
    return AssistanceCase.objects.get(pk=case.pk).state, case.transitions.count(), events.count()


@pytest.mark.parametrize(("from_state", "to_state"), LEGAL)
def test_every_legal_case_move_writes_one_log_row_and_one_audit_event(from_state, to_state, case, community_staff):
    AssistanceCase.objects.filter(pk=case.pk).update(state=from_state)
    moved = services.transition(case, to_state, by=community_staff, note=WHY)
    assert moved.state == to_state and trace(case) == (to_state, 2, 1)
    row = case.transitions.last()
    assert (row.from_status, row.to_status, row.by, row.reason) == (
        from_state,
        to_state,
        community_staff,
        "按帮扶计划调整",
    )
    event = AuditEvent.objects.get(object_id=str(case.pk), action="assistance.case.transitioned")
    assert (event.data["from"], event.data["to"], event.data["note"]) == (from_state, to_state, WHY)
    assert event.actor_id == community_staff.pk


@pytest.mark.parametrize(("from_state", "to_state"), ILLEGAL)
def test_an_illegal_case_move_names_both_states_and_writes_nothing(from_state, to_state, case, community_staff):
    AssistanceCase.objects.filter(pk=case.pk).update(state=from_state)
    with pytest.raises(ValidationError) as refused:
        services.transition(case, to_state, by=community_staff, note="试图变更")
    message = refused.value.message_dict["state"][0]
    assert CaseState(from_state).label in message and CaseState(to_state).label in message
    assert trace(case) == (from_state, 1, 0)


def test_a_refused_reopening_writes_nothing(person, case, community_staff):
    services.transition(case, CaseState.WITHDRAWN, by=community_staff)
    other = services.open_case(person, by=community_staff, reason="再次失业")
    with pytest.raises(ValidationError, match="已有进行中的帮扶"):
        services.transition(case, CaseState.OPEN, by=community_staff)
    assert trace(case) == (CaseState.WITHDRAWN, 2, 1)
    assert AssistanceCase.objects.get(pk=case.pk).closed_on == timezone.localdate()
    assert list(other.transitions.values_list("from_status", "to_status", "reason")) == [("", "open", "再次失业")]


def test_a_system_move_is_logged_with_no_actor(case):
    services.transition(case, CaseState.CLOSED, by=None, note="就业状态为已就业，自动结案")
    row = case.transitions.last()
    assert (row.from_status, row.to_status, row.by, row.reason) == (
        "open",
        "closed",
        None,
        "就业状态为已就业，自动结案",
    )
