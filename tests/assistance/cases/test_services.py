"""Assistance cases: the transition table and its log, services, 1131, the matching hook."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobcircle.assistance.cases import services
from jobcircle.assistance.enums import CaseState, ServiceKind, ServiceSource
from jobcircle.assistance.models import AssistanceCase, CaseService, CaseTransition
from jobcircle.people.services import record_employment_status
from tests.factories import JobFactory

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
    log = list(CaseTransition.objects.filter(case=case).values_list("from_state", "to_state", "by", "note"))
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


def test_1131_is_done_after_one_guidance_three_job_infos_and_one_training(case, community_staff):
    plan = [ServiceKind.GUIDANCE, ServiceKind.JOB_INFO, ServiceKind.JOB_INFO, ServiceKind.TRAINING]
    for kind in plan:
        services.record_case_service(case, by=community_staff, kind=kind)
    status = services.service_1131(case)
    assert (status.guidance, status.job_info, status.training) == (1, 2, 1)
    assert not status.done
    services.record_case_service(case, by=community_staff, kind=ServiceKind.JOB_INFO)
    assert services.service_1131(case).done
    annotated = services.with_1131_counts(AssistanceCase.objects.filter(pk=case.pk)).get()
    assert (annotated.n_guidance, annotated.n_job_info, annotated.n_training) == (1, 3, 1)


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
    assert services.close_cases_of_employed(area_prefix=person.area_code[:9]) == 1
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


def test_a_push_for_a_job_that_no_longer_exists_is_still_logged(person, case):
    services.record_job_push(person.pk, job_id=10**9, reference="gone")
    assert CaseService.objects.get(reference="gone").job_id is None
