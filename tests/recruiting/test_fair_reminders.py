"""招聘会提醒 (issue 17): the day before a fair, its area's job seekers find a reminder in their 消息."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.common.models import AuditEvent
from jobcircle.matching.models import InboxMessage
from jobcircle.recruiting.services import close_job_fair, create_job_fair, remind_upcoming_fairs
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)


def fair_on(day, township_staff, area, **data):
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return create_job_fair(by=township_staff, scope=scope_for_user(township_staff), data={
        "name": "城关街道春风行动招聘会", "kind": "comprehensive", "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=3), "venue": "城关街道文化广场", "area_code": area.code, **data,
    })  # fmt: skip


def reminders():
    return InboxMessage.objects.filter(kind=InboxMessage.Kind.FAIR_REMINDER)


def test_the_job_seekers_of_the_fairs_area_are_reminded_the_day_before(township_staff, town, community, village):
    fair = fair_on(TODAY + datetime.timedelta(days=1), township_staff, town)
    seeker = ResidentFactory(community=community, is_job_seeking=True)
    ResidentFactory(community=community, is_job_seeking=False)  # not looking for work
    ResidentFactory(community=village, is_job_seeking=True)  # outside the organising area

    counts = remind_upcoming_fairs(day=TODAY)

    (message,) = reminders()
    assert counts == {"fairs": 1, "reminded": 1}
    assert message.resident == seeker and fair.name in message.title and fair.venue in message.body
    assert message.link == f"/m/fairs/#fair-{fair.pk}" and message.read_at is None
    assert AuditEvent.objects.filter(action="recruiting.job_fair.reminded", object_id=str(fair.pk)).exists()


def test_a_second_run_the_same_day_reminds_nobody_twice_and_reaches_a_newcomer(township_staff, town, community):
    fair_on(TODAY + datetime.timedelta(days=1), township_staff, town)
    ResidentFactory(community=community, is_job_seeking=True)
    remind_upcoming_fairs(day=TODAY)
    ResidentFactory(community=community, is_job_seeking=True)

    assert remind_upcoming_fairs(day=TODAY)["reminded"] == 1
    assert reminders().count() == 2


def test_no_reminder_for_a_fair_on_another_day_or_already_closed(township_staff, town, community):
    fair_on(TODAY + datetime.timedelta(days=2), township_staff, town)
    closed = fair_on(TODAY + datetime.timedelta(days=1), township_staff, town, name="已结束签到的招聘会")
    close_job_fair(closed, by=township_staff, scope=scope_for_user(township_staff))
    ResidentFactory(community=community, is_job_seeking=True)

    assert remind_upcoming_fairs(day=TODAY) == {"fairs": 0, "reminded": 0}
    assert not reminders().exists()


def test_the_command_reminds_and_the_resident_reads_it_in_the_h5_inbox(
    client, township_staff, town, community, resident_user
):
    fair = fair_on(timezone.localdate() + datetime.timedelta(days=1), township_staff, town)
    resident_user.resident.is_job_seeking = True
    resident_user.resident.save(update_fields=["is_job_seeking"])

    call_command("remind_fairs")

    client.force_login(resident_user)
    page = client.get("/m/inbox/").content.decode()
    assert f"招聘会提醒：{fair.name}" in page and "招聘会提醒" in page
