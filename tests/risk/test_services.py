"""Risk warnings: raised once per condition by the daily run, escalated when overdue, worked by area staff."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.assistance.enums import WorkshopStatus
from jobcircle.assistance.models import AssistanceCase, MonitoringTask, Workshop
from jobcircle.households import services as households
from jobcircle.risk import services, tasks
from jobcircle.risk.enums import Level, WarningKind, WarningStatus
from jobcircle.risk.models import RiskWarning
from tests.households.factories import household, member

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days_ago(n):
    return today() - datetime.timedelta(days=n)


def act(user):
    return {"by": user, "scope": scope_for_user(user)}


@pytest.fixture
def zero_household(community):
    made = household(community, [member(community, status="unemployed", since=days_ago(100))])
    households.sync_zero_employment(community, on=days_ago(40))
    return made


def test_a_zero_household_open_long_enough_is_raised_once_however_often_the_run_goes(
    county, community, zero_household, community_staff
):
    assert services.run_warnings(county) == 1
    assert services.run_warnings(county) == 0
    assert services.run_warnings(county, today() + datetime.timedelta(days=1)) == 0
    warning = RiskWarning.objects.get()
    assert (warning.kind, warning.subject_id, warning.area_code) == (
        WarningKind.ZERO_HOUSEHOLD_OPEN, zero_household.pk, community.code
    )  # fmt: skip
    assert warning.assigned_to == community_staff and warning.due_on > warning.raised_on


def test_a_resolved_warning_is_not_raised_again_for_the_same_spell(county, zero_household, community_staff):
    services.run_warnings(county)
    services.resolve(RiskWarning.objects.get(), "已安排公益性岗位", **act(community_staff))
    assert services.run_warnings(county) == 0


def test_a_workshop_in_buffer_and_a_long_unemployed_monitored_person_are_raised(county, community, other_township):
    shop = {
        "community": community,
        "area_code": community.code,
        "operator_name": "某公司",
        "certified_on": days_ago(400),
    }
    Workshop.objects.create(code="W1", name="缓冲车间", status=WorkshopStatus.BUFFER, **shop)
    Workshop.objects.create(code="W2", name="正常车间", **shop)
    long = member(community, status="unemployed", since=days_ago(200))
    recent = member(community, status="unemployed", since=days_ago(20))
    for person in (long, recent):
        MonitoringTask.objects.create(resident=person, month=today().replace(day=1), due_on=today(),
                                      area_code=community.code)  # fmt: skip
    services.run_warnings(county)
    raised = sorted(RiskWarning.objects.values_list("kind", "subject_id"))
    assert raised == sorted([(WarningKind.WORKSHOP_BUFFER, Workshop.objects.get(code="W1").pk),
                             (WarningKind.LONG_UNEMPLOYED, long.pk)])  # fmt: skip
    assert "*" in RiskWarning.objects.get(kind=WarningKind.LONG_UNEMPLOYED).subject_label


def test_an_overdue_warning_goes_up_one_level_once(county, zero_household):
    services.run_warnings(county)
    warning = RiskWarning.objects.get()
    later = warning.due_on + datetime.timedelta(days=1)
    assert services.escalate_overdue(county, later) == 1
    assert services.escalate_overdue(county, later + datetime.timedelta(days=5)) == 0
    warning.refresh_from_db()
    assert warning.level == Level.ORANGE + 1 and warning.escalated_on == later


def test_staff_acknowledge_work_with_a_case_and_resolve_with_a_note(
    county, zero_household, community_staff, neighbour_staff
):
    services.run_warnings(county)
    warning = RiskWarning.objects.get()
    with pytest.raises(PermissionDenied):
        services.acknowledge(warning, **act(neighbour_staff))
    warning = services.acknowledge(warning, **act(community_staff))
    case = AssistanceCase.objects.filter(area_code=warning.area_code).first()
    warning = services.work(warning, case, **act(community_staff))
    with pytest.raises(ValidationError):
        services.resolve(warning, "\x07", **act(community_staff))
    with pytest.raises(ValidationError):
        services.resolve(warning, "好", **act(community_staff))
    warning = services.resolve(warning, "已就业", **act(community_staff))
    assert (warning.status, warning.case, warning.resolution) == (WarningStatus.RESOLVED, case, "已就业")
    assert [t.to_status for t in warning.transitions.all()] == ["acknowledged", "working", "resolved"]
    assert services.dashboard(county) == []


def test_the_daily_task_runs_every_county(county, zero_household):
    result = tasks.run_warnings.enqueue()
    assert result.return_value == {"raised": 1, "escalated": 0}


def _month_of(n_days_ago):
    return days_ago(n_days_ago).replace(day=1)


def _record(person, n_days_ago, status, location=""):
    from jobcircle.assistance.models import MonitoringRecord

    MonitoringRecord.objects.create(resident=person, month=_month_of(n_days_ago), area_code=person.area_code,
                                    employment_status=status, work_location=location)  # fmt: skip


def test_a_returned_migrant_worker_without_work_long_enough_is_raised_once(county, community):
    idle = member(community, status="unemployed")
    _record(idle, 150, "employed", "out_of_province")
    _record(idle, 100, "unemployed")  # the return
    working_again = member(community, status="employed")
    _record(working_again, 150, "employed", "in_province")
    _record(working_again, 100, "unemployed")
    _record(working_again, 40, "employed", "local")
    just_back = member(community, status="unemployed")
    _record(just_back, 60, "employed", "out_of_province")
    _record(just_back, 20, "unemployed")
    never_away = member(community, status="unemployed")
    _record(never_away, 150, "unemployed")
    assert services.run_warnings(county) >= 1
    raised = RiskWarning.objects.filter(kind=WarningKind.RETURNED_IDLE)
    assert list(raised.values_list("subject_id", flat=True)) == [idle.pk]
    assert "*" in raised.get().subject_label
    services.run_warnings(county, today() + datetime.timedelta(days=1))
    assert raised.count() == 1
