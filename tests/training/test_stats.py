"""Training figures: held programmes and trainees by kind and trade, poverty trainees, completion, employment after."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.areas.codes import Area
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import EmploymentStatusChange, KeyGroup
from jobcircle.training import services, stats
from jobcircle.training.enums import ProgrammeStatus
from tests.factories import ResidentFactory

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def held_programme(provider, staff, people, **fields):
    scope = scope_for_user(staff)
    programme = f.programme(provider, sessions=1, **fields)
    enrolments = [services.enrol(programme, p, by=staff, scope=scope) for p in people]
    services.move_programme(programme, ProgrammeStatus.RUNNING, by=staff, scope=scope)
    services.record_attendance(programme.sessions.get(), [e.pk for e in enrolments], by=staff, scope=scope)
    services.move_programme(programme, ProgrammeStatus.FINISHED, by=staff, scope=scope)
    return programme


def test_training_figures_count_held_programmes_their_trainees_and_outcomes(
    community, neighbour_community, community_staff, neighbour_staff
):
    provider = f.provider(community)
    poor = ResidentFactory(community=community)
    poor.key_groups.add(KeyGroup.objects.get(code="poverty_alleviated"))
    others = [ResidentFactory(community=community) for _ in range(2)]
    held_programme(provider, community_staff, [poor, *others])
    f.programme(provider)  # still recruiting: not held
    elsewhere = f.provider(neighbour_community)
    held_programme(elsewhere, neighbour_staff, [ResidentFactory(community=neighbour_community)], kind="pre_job")
    EmploymentStatusChange.objects.create(resident=poor, status=EmploymentStatus.EMPLOYED,
                                          changed_on=TODAY + datetime.timedelta(days=1))  # fmt: skip

    mine = stats.training_figures(Area(community.code), TODAY, TODAY + datetime.timedelta(days=30))
    assert (mine["programmes"], mine["trainees"], mine["poverty_trainees"], mine["completed"]) == (1, 3, 1, 3)
    assert mine["employed_after"] == 1 and str(mine["employment_rate"]) == "33.3"
    assert mine["by_kind"] == {"就业技能培训": 3} and mine["by_trade"] == {"中式烹调师": 3}
    town = stats.training_figures(Area(community.parent.code), TODAY, TODAY + datetime.timedelta(days=30))
    assert (town["programmes"], town["trainees"]) == (2, 4)
    assert town["by_kind"] == {"就业技能培训": 3, "岗前技能培训": 1}


def test_a_withdrawn_trainee_is_not_counted(community, community_staff):
    programme = f.programme(f.provider(community))
    scope = scope_for_user(community_staff)
    stay, leave = (services.enrol(programme, ResidentFactory(community=community), by=community_staff, scope=scope)
                   for _ in range(2))  # fmt: skip
    services.withdraw(leave, by=community_staff, reason="另有安排")
    services.move_programme(programme, ProgrammeStatus.RUNNING, by=community_staff, scope=scope)
    assert stats.trainees(Area(community.code), TODAY, TODAY).count() == 1
