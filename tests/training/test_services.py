"""Programmes, enrolment eligibility (a pass and a one-condition miss per rule), attendance, completion, certificates,
outcomes and the 1131 "1 training" of an assistance case."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.assistance.cases.services import open_case, service_1131
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import EmploymentStatusChange, JobIntention, KeyGroup
from jobcircle.training import services
from jobcircle.training.enums import EnrolmentStatus, ProgrammeStatus, SkillLevel
from jobcircle.training.models import Enrolment, ProgrammeTransition
from tests.factories import ResidentFactory, demo_credit_code

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def scope(community_staff):
    return scope_for_user(community_staff)


@pytest.fixture
def provider(community):
    return f.provider(community)


def enrol(programme, person, staff):
    return services.enrol(programme, person, by=staff, scope=scope_for_user(staff))


def failing_labels(programme, person):
    return [c.label for c in services.eligibility(programme, person) if not c.holds]


# --- providers and programmes --------------------------------------------------------------------------


def test_a_provider_is_registered_with_a_valid_credit_code_and_refused_with_a_wrong_one(community, community_staff):
    data = {"name": "城关职业培训学校", "address": "人民路8号", "kind": "institution", "community_code": community.code,
            "credit_code": demo_credit_code(), "trade_codes": ["4-03-02-01"],
            "special_trades": ["徽菜师傅"]}  # fmt: skip
    provider = services.register_provider(data, by=community_staff, scope=scope_for_user(community_staff))
    assert provider.area_code == community.code and provider.special_trades == ["徽菜师傅"]
    with pytest.raises(ValidationError) as exc:
        services.register_provider({**data, "credit_code": "91990121MA0000000X"}, by=community_staff,
                                   scope=scope_for_user(community_staff))  # fmt: skip
    assert "credit_code" in exc.value.message_dict


def test_a_programme_is_created_in_recruiting_with_its_sessions_and_a_creation_log_row(provider, community, scope,
                                                                                    community_staff):  # fmt: skip
    data = {"name": "徽菜师傅培训班", "special_name": "徽菜师傅", "kind": "employment", "level": "special",
            "places": 20, "starts_on": TODAY, "ends_on": TODAY + datetime.timedelta(days=10), "venue": "培训楼",
            "community_code": community.code, "subsidy_per_head": "800",
            "target_groups": ["poverty_alleviated"]}  # fmt: skip
    programme = services.create_programme(provider, data, by=community_staff, scope=scope, sessions=[TODAY] * 2)
    assert programme.status == ProgrammeStatus.RECRUITING and programme.trade == "徽菜师傅"
    assert programme.sessions.count() == 2 and programme.subsidy_per_head == Decimal("800")
    assert list(ProgrammeTransition.objects.values_list("from_status", "to_status")) == [("", "recruiting")]


def test_bad_programme_input_names_each_field_and_writes_nothing(provider, community, scope, community_staff):
    data = {"name": "", "kind": "nope", "places": 0, "starts_on": TODAY, "ends_on": TODAY - datetime.timedelta(days=1),
            "venue": "x\x00", "community_code": community.code, "subsidy_per_head": "-1"}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.create_programme(provider, data, by=community_staff, scope=scope)
    assert {"name", "kind", "places", "ends_on", "venue", "subsidy_per_head", "occupation_code"} <= set(
        exc.value.message_dict
    )
    assert not provider.programmes.exists()


def test_staff_of_another_area_may_not_create_a_programme(provider, community, neighbour_staff):
    with pytest.raises(PermissionDenied):
        services.create_programme(provider, {}, by=neighbour_staff, scope=scope_for_user(neighbour_staff))


# --- eligibility: each rule passes, and a one-condition miss names it ----------------------------------------


def test_a_person_who_meets_every_rule_enrols(provider, resident, community_staff):
    programme = f.programme(provider)
    assert failing_labels(programme, resident) == []
    assert enrol(programme, resident, community_staff).status == EnrolmentStatus.ENROLLED


def test_age_outside_the_programme_is_the_one_failing_rule(provider, community, community_staff):
    programme = f.programme(provider, min_age=16, max_age=45)
    older = ResidentFactory(community=community, birth_date=TODAY.replace(year=TODAY.year - 50))
    assert failing_labels(programme, older) == ["年龄16–45岁"]
    with pytest.raises(ValidationError, match="年龄16–45岁"):
        enrol(programme, older, community_staff)


def test_a_target_group_programme_takes_members_only(provider, community, community_staff):
    programme = f.programme(provider, groups=["poverty_alleviated"])
    member, other = ResidentFactory(community=community), ResidentFactory(community=community)
    member.key_groups.add(KeyGroup.objects.get(code="poverty_alleviated"))
    assert failing_labels(programme, member) == []
    assert failing_labels(programme, other) == ["属于脱贫人口"]


def test_an_overlapping_programme_is_the_one_failing_rule(provider, resident, community_staff):
    first = f.programme(provider, subsidy_per_head=Decimal(0))
    overlapping = f.programme(provider, starts_on=TODAY + datetime.timedelta(days=5), subsidy_per_head=Decimal(0))
    later = f.programme(provider, starts_on=TODAY + datetime.timedelta(days=40), subsidy_per_head=Decimal(0))
    enrol(first, resident, community_staff)
    assert failing_labels(overlapping, resident) == ["未参加时间重叠的其他培训"]
    assert failing_labels(later, resident) == []


def test_subsidised_training_of_one_level_is_once_a_year(provider, resident, community_staff):
    first = f.programme(provider, ends_on=TODAY)
    enrol(first, resident, community_staff)
    first.enrolments.update(status=EnrolmentStatus.COMPLETED)
    same_level = f.programme(provider, starts_on=TODAY + datetime.timedelta(days=2))
    other_level = f.programme(provider, starts_on=TODAY + datetime.timedelta(days=2), level=SkillLevel.LEVEL_4)
    unsubsidised = f.programme(provider, starts_on=TODAY + datetime.timedelta(days=2), subsidy_per_head=Decimal(0))
    assert failing_labels(same_level, resident) == [f"{TODAY.year}年未参加过五级/初级工补贴性培训"]
    assert failing_labels(other_level, resident) == []
    assert failing_labels(unsubsidised, resident) == []


def test_a_full_or_closed_programme_refuses_and_says_why(provider, community, community_staff):
    programme = f.programme(provider, places=1)
    enrol(programme, ResidentFactory(community=community), community_staff)
    late = ResidentFactory(community=community)
    assert failing_labels(programme, late) == ["尚有名额"]
    programme.places, programme.status = 5, ProgrammeStatus.RUNNING
    programme.save()
    assert failing_labels(programme, late) == ["培训项目正在招生"]


def test_the_same_person_cannot_enrol_twice_in_one_programme(provider, resident, community_staff):
    programme = f.programme(provider)
    enrol(programme, resident, community_staff)
    with pytest.raises(ValidationError, match="未报名本期培训"):
        enrol(programme, resident, community_staff)
    assert Enrolment.objects.count() == 1


def test_staff_of_another_community_cannot_enrol_a_person(provider, resident, neighbour_staff):
    with pytest.raises(PermissionDenied):
        enrol(f.programme(provider), resident, neighbour_staff)


def test_a_withdrawal_frees_the_years_level(provider, resident, community_staff):
    first = f.programme(provider)
    enrolment = enrol(first, resident, community_staff)
    services.withdraw(enrolment, by=community_staff, reason="家中有事")
    second = f.programme(provider, starts_on=TODAY + datetime.timedelta(days=30))
    assert enrol(second, resident, community_staff).subsidy_year == second.starts_on.year


# --- attendance, completion, certificate, outcome ------------------------------------------------------------


def run_programme(programme, staff, trainees, present_at_each):
    """Open the class, tick each session with ``present_at_each(session_index)`` and finish it."""
    scope = scope_for_user(staff)
    enrolments = [enrol(programme, person, staff) for person in trainees]
    services.move_programme(programme, ProgrammeStatus.RUNNING, by=staff, scope=scope)
    for index, session in enumerate(programme.sessions.order_by("number")):
        services.record_attendance(session, [e.pk for e in present_at_each(index, enrolments)], by=staff, scope=scope)
    services.move_programme(programme, ProgrammeStatus.FINISHED, by=staff, scope=scope)
    return [Enrolment.objects.get(pk=e.pk) for e in enrolments]


def test_completion_needs_the_minimum_attendance(provider, community, community_staff):
    programme = f.programme(provider, sessions=5, min_attendance_percent=80)
    keen, absent = ResidentFactory(community=community), ResidentFactory(community=community)
    # keen attends all five sessions; absent only the first three (60 %)
    done, short = run_programme(programme, community_staff, [keen, absent],
                                lambda i, es: es if i < 3 else es[:1])  # fmt: skip
    assert (done.status, done.attendance_percent) == (EnrolmentStatus.COMPLETED, 100)
    assert (short.status, short.attendance_percent) == (EnrolmentStatus.FAILED, 60)
    assert done.transitions.last().to_status == EnrolmentStatus.COMPLETED


def test_a_class_without_trainees_cannot_open(provider, community_staff):
    with pytest.raises(ValidationError, match="还没有学员"):
        services.move_programme(f.programme(provider), ProgrammeStatus.RUNNING, by=community_staff,
                                scope=scope_for_user(community_staff))  # fmt: skip


def test_attendance_of_someone_not_in_the_class_is_refused(provider, resident, community_staff):
    programme = f.programme(provider)
    enrol(programme, resident, community_staff)
    with pytest.raises(ValidationError, match="不在本期在训名单"):
        services.record_attendance(programme.sessions.first(), [999999], by=community_staff,
                                   scope=scope_for_user(community_staff))  # fmt: skip


def test_a_certificate_is_recorded_for_a_finished_trainee(provider, resident, community_staff):
    (enrolment,) = run_programme(f.programme(provider, sessions=1), community_staff, [resident], lambda i, es: es)
    services.record_certificate(enrolment, {"exam_passed": True, "certificate_kind": "skill_level",
                                            "certificate_number": "S000123", "certificate_date": TODAY},
                                by=community_staff, scope=scope_for_user(community_staff))  # fmt: skip
    enrolment.refresh_from_db()
    assert enrolment.exam_passed and enrolment.certificate_level == SkillLevel.LEVEL_5


def test_employment_within_six_months_after_completion_counts_and_later_does_not(provider, community,
                                                                                 community_staff):  # fmt: skip
    soon, late = ResidentFactory(community=community), ResidentFactory(community=community)
    enrolments = run_programme(f.programme(provider, sessions=1), community_staff, [soon, late], lambda i, es: es)
    done = enrolments[0].completed_on
    EmploymentStatusChange.objects.create(resident=soon, status=EmploymentStatus.EMPLOYED,
                                          changed_on=done + datetime.timedelta(days=40))  # fmt: skip
    EmploymentStatusChange.objects.create(resident=late, status=EmploymentStatus.EMPLOYED,
                                          changed_on=done + datetime.timedelta(days=200))  # fmt: skip
    assert services.employed_after(enrolments, 6) == {enrolments[0].pk}
    assert services.employed_after(enrolments, 1) == set()


def test_enrolling_records_the_1131_training_of_an_open_case_once(provider, resident, community_staff):
    case = open_case(resident, by=community_staff, reason="未就业有意愿")
    assert service_1131(case).training == 0
    enrolment = enrol(f.programme(provider), resident, community_staff)
    services.record_training_service(enrolment, by=community_staff)  # a retry
    assert service_1131(case).training == 1


def test_nearby_programmes_are_within_the_radius_and_intention_matches_first(provider, community, resident):
    station = community.stations.first()
    near = f.programme(provider, name="近处", occupation=None, special_name="家政服务")
    matching = f.programme(provider, name="对口")
    f.programme(provider, name="远处", lat=station.lat + 0.2, lng=station.lng)
    intention = JobIntention.objects.create(resident=resident)
    intention.occupations.set([matching.occupation])
    rows = services.nearby_programmes(resident, 3000)
    assert [p.name for p in rows] == ["对口", "近处"] and rows[0].matches_intention
    assert near in rows


def test_a_verified_programme_is_not_moved_to_claimed_without_a_ledger_claim(provider, resident, community_staff):
    programme = f.programme(provider, sessions=1)
    run_programme(programme, community_staff, [resident], lambda i, es: es)
    scope = scope_for_user(community_staff)
    services.move_programme(programme, ProgrammeStatus.VERIFIED, by=community_staff, scope=scope)
    with pytest.raises(ValidationError, match="尚未接入补贴发放台账"):
        services.move_programme(programme, ProgrammeStatus.CLAIMED, by=community_staff, scope=scope)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.VERIFIED
