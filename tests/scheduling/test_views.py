"""定时任务 screens: the system administrator only; an administrator of one county sees only its entries."""

import pytest
from django.urls import reverse

from jobcircle.common.models import AuditEvent
from jobcircle.scheduling.enums import RunState, Trigger
from jobcircle.scheduling.models import ScheduledRun, ScheduleEntry
from jobcircle.scheduling.services import ensure_schedule
from tests.factories import Role, make_user, region

pytestmark = pytest.mark.django_db

OTHER_COUNTY = "990122000000"


@pytest.fixture
def schedule(town):
    """Two served counties: the fixtures' 三公里示范县 and a neighbouring county, each with a township."""
    other = region(OTHER_COUNTY, "邻县", 3, town.parent.parent)
    region("990122001000", "邻县街道", 4, other)
    ensure_schedule()
    return ScheduleEntry.objects


@pytest.fixture
def county_system_admin(county):
    """A system administrator whose account names a county (a city deployment's county administrator)."""
    return make_user("county_system_admin", Role.SYSTEM_ADMIN, area=county)


def entry(schedule, area_code, job="overdue_reminders"):
    return schedule.get(job=job, area_code=area_code)


def test_the_system_administrator_sees_every_entry_with_its_next_run(client, schedule, system_admin, county):
    client.force_login(system_admin)
    page = client.get(reverse("scheduling:entry_list")).content.decode()

    assert page.count("data-jc-schedule=") == schedule.count()
    assert "邻县" in page and "三公里示范县" in page and "全系统" in page and "数据库备份" in page
    assert "从未运行" in page and 'data-jc-nav="schedule"' in page


def test_the_list_pins_its_queries(client, schedule, system_admin, django_assert_max_num_queries):
    client.force_login(system_admin)
    for e in schedule.all():
        ScheduledRun.objects.create(entry=e, area_code=e.area_code, slot=e.since)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("scheduling:entry_list")).status_code == 200


def test_an_administrator_of_one_county_does_not_see_another_countys_schedule(
    client, schedule, county_system_admin, county
):
    client.force_login(county_system_admin)
    page = client.get(reverse("scheduling:entry_list")).content.decode()

    assert page.count("data-jc-schedule=") == schedule.filter(area_code=county.code).count()
    assert "邻县" not in page and "全系统" not in page
    other = entry(schedule, OTHER_COUNTY)
    assert client.get(reverse("scheduling:entry_detail", args=[other.pk])).status_code == 404
    posted = client.post(reverse("scheduling:entry_detail", args=[other.pk]), {"cron": "0 8 * * *", "enabled": "on"})
    assert posted.status_code == 404
    assert client.post(reverse("scheduling:entry_run", args=[other.pk])).status_code == 404
    assert not ScheduledRun.objects.exists() and entry(schedule, OTHER_COUNTY).cron == other.cron
    own = entry(schedule, county.code)
    assert client.get(reverse("scheduling:entry_detail", args=[own.pk])).status_code == 200


@pytest.mark.parametrize(
    "user_fixture",
    ["county_admin", "township_staff", "community_staff", "audit_admin", "security_admin", "resident_user",
     "employer_user"],
)  # fmt: skip
def test_every_other_role_gets_403(client, schedule, county, user_fixture, request):
    client.force_login(request.getfixturevalue(user_fixture))
    own = entry(schedule, county.code)

    assert client.get(reverse("scheduling:entry_list")).status_code == 403
    assert client.get(reverse("scheduling:entry_detail", args=[own.pk])).status_code == 403
    assert client.post(reverse("scheduling:entry_detail", args=[own.pk]), {"cron": "0 8 * * *"}).status_code == 403
    assert client.post(reverse("scheduling:entry_run", args=[own.pk])).status_code == 403
    assert not ScheduledRun.objects.exists() and entry(schedule, county.code).enabled


def test_anonymous_visitors_are_sent_to_sign_in(client, schedule):
    response = client.get(reverse("scheduling:entry_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_changing_a_countys_time_and_switching_it_off(client, schedule, system_admin, county):
    client.force_login(system_admin)
    own = entry(schedule, county.code)

    response = client.post(reverse("scheduling:entry_detail", args=[own.pk]), {"cron": "0 8 * * 1-5"})

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.cron == "0 8 * * 1-5" and not own.enabled
    assert entry(schedule, OTHER_COUNTY).cron != own.cron  # per county
    event = AuditEvent.objects.get(action="scheduling.schedule.changed")
    assert event.actor_id == system_admin.pk and event.area_code == county.code


def test_a_bad_cron_expression_is_shown_beside_the_field_and_nothing_is_saved(client, schedule, system_admin, county):
    client.force_login(system_admin)
    own = entry(schedule, county.code)

    response = client.post(reverse("scheduling:entry_detail", args=[own.pk]), {"cron": "25 * * *", "enabled": "on"})

    assert response.status_code == 200
    assert "执行时间（cron 表达式）：“25 * * *”格式不正确" in response.content.decode()
    assert entry(schedule, county.code).cron == own.cron


def test_run_now_queues_the_job_and_is_audited(client, schedule, system_admin, county):
    client.force_login(system_admin)
    own = entry(schedule, county.code)

    response = client.post(reverse("scheduling:entry_run", args=[own.pk]))

    assert response.status_code == 302
    (run,) = ScheduledRun.objects.all()
    assert run.entry == own and run.trigger == Trigger.MANUAL and run.requested_by == system_admin
    assert run.state == RunState.SUCCEEDED and "逾期监测任务提醒" in run.summary
    assert AuditEvent.objects.filter(action="scheduling.schedule.run_now", area_code=county.code).exists()
    detail = client.get(reverse("scheduling:entry_detail", args=[own.pk])).content.decode()
    assert f'data-jc-run="{run.pk}"' in detail and "system_admin" in detail


def test_a_control_character_in_the_time_is_refused_beside_the_field(client, schedule, system_admin, county):
    client.force_login(system_admin)
    own = entry(schedule, county.code)

    response = client.post(reverse("scheduling:entry_detail", args=[own.pk]), {"cron": "0 8\x00 * * *"})

    assert response.status_code == 200 and "执行时间（cron 表达式）：不能包含控制字符" in response.content.decode()
    assert entry(schedule, county.code).enabled
