"""Internship bases, positions, placements: eligibility (a pass and a one-condition miss), monthly attendance, early
exit, retention, and interns on post as a stock against started as a flow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.areas.codes import Area
from jobcircle.assistance.cases.services import open_case, service_1131
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import KeyGroup
from jobcircle.training import internships, stats
from jobcircle.training.enums import PlacementStatus
from jobcircle.training.models import InternPlacement
from tests.factories import EmployerFactory, ResidentFactory

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def graduate(community, age=23, status=EmploymentStatus.UNEMPLOYED, key_group=True):
    person = ResidentFactory(community=community, birth_date=TODAY.replace(year=TODAY.year - age) - datetime.timedelta(
        days=1), employment_status=status)  # fmt: skip
    if key_group:
        person.key_groups.add(KeyGroup.objects.get(code="graduate"))
    return person


@pytest.fixture
def position(employer):
    return f.position(f.base(employer))


def place(position, person, staff, **kwargs):
    return internships.place_intern(position, person, by=staff, scope=scope_for_user(staff), **kwargs)


def failing(position, person):
    return [c.label for c in internships.intern_eligibility(position, person) if not c.holds]


def test_a_base_is_certified_once_and_positions_stay_within_its_capacity(employer, community_staff):
    scope = scope_for_user(community_staff)
    base = internships.certify_base(employer, {"certificate_number": "见习认字1号", "certified_on": TODAY,
                                               "capacity": 5}, by=community_staff, scope=scope)  # fmt: skip
    data = {"title": "会计助理", "address": "幸福路1号", "places": 4, "term_months": 6, "monthly_allowance": "1800"}
    internships.raise_position(base, data, by=community_staff, scope=scope)
    with pytest.raises(ValidationError, match="超过基地见习容量"):
        internships.raise_position(base, {**data, "places": 2}, by=community_staff, scope=scope)
    with pytest.raises(ValidationError) as exc:
        internships.raise_position(base, {**data, "places": 1, "term_months": 2}, by=community_staff, scope=scope)
    assert "term_months" in exc.value.message_dict
    with pytest.raises(ValidationError, match="已认定"):
        internships.certify_base(employer, {"certificate_number": "2号", "certified_on": TODAY, "capacity": 1},
                                 by=community_staff, scope=scope)  # fmt: skip


def test_staff_of_another_area_cannot_raise_positions(employer, neighbour_staff):
    with pytest.raises(PermissionDenied):
        internships.raise_position(f.base(employer), {}, by=neighbour_staff, scope=scope_for_user(neighbour_staff))


def test_an_unemployed_graduate_is_eligible_and_an_employed_one_is_not(position, community):
    assert failing(position, graduate(community, age=26)) == []
    assert failing(position, graduate(community, age=26, status=EmploymentStatus.EMPLOYED)) == [
        "未就业高校毕业生或16–24岁失业青年"
    ]


def test_an_unemployed_youth_of_16_to_24_is_eligible_and_one_of_25_is_not(position, community):
    assert failing(position, graduate(community, age=24, key_group=False)) == []
    assert failing(position, graduate(community, age=25, key_group=False)) == ["未就业高校毕业生或16–24岁失业青年"]


def test_one_internship_at_a_time_and_no_more_than_the_places(employer, community, community_staff):
    position = f.position(f.base(employer), places=1)
    first, second = graduate(community), graduate(community)
    placement = place(position, first, community_staff)
    assert placement.planned_end_on == internships.months_later(TODAY, 6)
    assert failing(position, second) == ["岗位招募中且有名额"]
    other = f.position(f.base(EmployerFactory(community=community)))
    assert failing(other, first) == ["未在其他岗位见习"]
    with pytest.raises(ValidationError, match="未在其他岗位见习"):
        place(other, first, community_staff)


def test_a_placement_records_the_1131_internship_of_an_open_case(position, community, community_staff):
    person = graduate(community)
    case = open_case(person, by=community_staff, reason="未就业高校毕业生")
    place(position, person, community_staff)
    assert service_1131(case).training == 1


def test_monthly_attendance_is_recorded_once_per_month(position, community, community_staff):
    placement = place(position, graduate(community), community_staff, started_on=TODAY - datetime.timedelta(days=20))
    scope = scope_for_user(community_staff)
    internships.record_intern_month(placement, TODAY, days_present=18, days_required=22, by=community_staff,
                                    scope=scope)  # fmt: skip
    internships.record_intern_month(placement, TODAY, days_present=20, days_required=22, by=community_staff,
                                    scope=scope)  # fmt: skip
    assert list(placement.monthly_attendance.values_list("days_present", flat=True)) == [20]
    with pytest.raises(ValidationError, match="不能超过应出勤天数"):
        internships.record_intern_month(placement, TODAY, days_present=23, days_required=22, by=community_staff,
                                        scope=scope)  # fmt: skip


def test_an_early_exit_needs_a_reason_and_is_never_retained(position, community, community_staff):
    placement = place(position, graduate(community), community_staff, started_on=TODAY - datetime.timedelta(days=10))
    scope = scope_for_user(community_staff)
    with pytest.raises(ValidationError):
        internships.end_placement(placement, by=community_staff, scope=scope, exit_reason="study", reason="")
    ended = internships.end_placement(placement, by=community_staff, scope=scope, exit_reason="study", reason="考研")
    assert (ended.status, ended.retained, ended.ended_on) == (PlacementStatus.EXITED, False, TODAY)
    assert [t.to_status for t in ended.transitions.all()] == ["on_post", "exited"]


def test_interns_on_post_is_a_stock_at_a_date_and_started_is_a_flow(position, community, community_staff):
    """Two interns start in January's window, one leaves in the middle: on post at a date counts who is there that
    day; started counts starts in the period, whoever is still there."""
    scope = scope_for_user(community_staff)
    start = TODAY - datetime.timedelta(days=25)
    a = place(position, graduate(community), community_staff, started_on=start)
    place(position, graduate(community), community_staff, started_on=start)
    leave_on = TODAY - datetime.timedelta(days=10)
    internships.end_placement(a, by=community_staff, scope=scope, exit_reason="personal", reason="回老家",
                              ended_on=leave_on)  # fmt: skip
    area = Area(community.code)
    assert stats.interns_on_post(area, leave_on - datetime.timedelta(days=1)).count() == 2
    assert stats.interns_on_post(area, TODAY).count() == 1
    assert stats.interns_on_post(area, start - datetime.timedelta(days=1)).count() == 0
    assert stats.interns_started(area, start, TODAY).count() == 2  # the flow keeps the one who left
    assert stats.interns_started(area, TODAY - datetime.timedelta(days=5), TODAY).count() == 0


def test_retention_rate_is_retained_over_ended_at_term(employer, community, community_staff):
    position = f.position(f.base(employer), places=3)
    scope = scope_for_user(community_staff)
    start = TODAY - datetime.timedelta(days=25)
    kept, gone = (place(position, graduate(community), community_staff, started_on=start) for _ in range(2))
    internships.end_placement(kept, by=community_staff, scope=scope, retained=True)
    internships.end_placement(gone, by=community_staff, scope=scope, retained=False)
    figures = stats.internship_figures(Area(community.code), start, TODAY)
    assert figures["finished"] == 2 and figures["retained"] == 1 and str(figures["retention_rate"]) == "50.0"
    assert InternPlacement.objects.filter(status=PlacementStatus.COMPLETED).count() == 2
