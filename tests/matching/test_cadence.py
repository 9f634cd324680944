"""推送频次 (issue 18): one push message per period, one text a week, pauses; the county's rules as data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jobcircle.common.models import AuditEvent
from jobcircle.matching import cadence
from jobcircle.matching.cadence import Cadence, set_push_cadence
from jobcircle.matching.models import InboxMessage, JobPush, PushCadence
from jobcircle.matching.push import start_push
from jobcircle.people.services import set_push_preferences
from tests.factories import JobFactory

from .test_push import at

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def day(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def jobs(employer):
    """Enough open jobs near HOME, valid long enough, that no one runs out within 30 days."""
    return [JobFactory(employer=employer, **at(120 * i, i), valid_until=day(90), headcount=10) for i in range(40)]


def message_days(resident):
    return sorted(InboxMessage.objects.filter(resident=resident, kind="job_push").values_list("pushed_on", flat=True))


def test_the_default_rules_are_weekly_and_every_three_days_for_two_key_groups():
    rules = Cadence()
    assert rules.period("990121001001") == 7
    assert rules.period("990121001001", ["employment_difficulty"]) == 3
    assert rules.period("990121001001", ["poverty_alleviated", "graduate"]) == 3
    assert rules.period("990121001001", ["graduate"]) == 7


def test_an_area_rule_overrides_the_general_one_inside_that_area_only():
    rules = Cadence([("", "", 7), ("990121", "", 14), ("990121001", "graduate", 2), ("", "graduate", 5)])
    assert rules.period("990121001001") == 14
    assert rules.period("990122001001") == 7
    assert rules.period("990121001001", ["graduate"]) == 2
    assert rules.period("990121002001", ["graduate"]) == 5


def test_the_daily_batch_pushes_a_weekly_person_once_a_week_and_a_key_group_every_three_days(
    community, seeker_factory, jobs
):
    weekly = seeker_factory(community, **at(100))
    difficult = seeker_factory(community, **at(150), key_groups=["employment_difficulty"])
    for n in range(15):
        start_push(pushed_on=day(n), enqueue=False)
    assert message_days(weekly) == [day(0), day(7), day(14)]
    assert message_days(difficult) == [day(n) for n in range(0, 15, 3)]
    # Every message lists only jobs the person was not shown before.
    pairs = list(JobPush.objects.filter(resident=weekly).values_list("job_id", flat=True))
    assert len(pairs) == len(set(pairs)) == 9


def test_paused_and_stopped_residents_get_no_push_until_they_resume(community, seeker_factory, jobs):
    paused = seeker_factory(community, **at(100))
    stopped = seeker_factory(community, **at(150))
    set_push_preferences(paused, by=None, data={"pause_days": 7}, today=day(0))
    set_push_preferences(stopped, by=None, data={"stopped": True})
    for n in (0, 3, 8):
        start_push(pushed_on=day(n), enqueue=False)
    assert message_days(paused) == [day(8)]
    assert message_days(stopped) == []
    set_push_preferences(stopped, by=None, data={"stopped": False})
    start_push(pushed_on=day(9), enqueue=False)
    assert message_days(stopped) == [day(9)]


def test_one_text_a_week_unless_the_person_asks_for_more_and_the_inbox_carries_the_rest(
    community, seeker_factory, jobs, sms_outbox
):
    every_third = seeker_factory(community, **at(100), key_groups=["poverty_alleviated"])
    wants_all = seeker_factory(community, **at(150), key_groups=["poverty_alleviated"])
    set_push_preferences(wants_all, by=None, data={"sms_every_time": True})
    for n in range(0, 8):
        start_push(pushed_on=day(n), enqueue=False)
    statuses = dict(
        InboxMessage.objects.filter(resident=every_third).values_list("pushed_on", "sms_status")
    )  # days 0, 3, 6: texted on 0 only; day 6 is within the week of day 0
    assert statuses == {day(0): "sent", day(3): "in_app", day(6): "in_app"}
    assert set(InboxMessage.objects.filter(resident=wants_all).values_list("sms_status", flat=True)) == {"sent"}
    start_push(pushed_on=day(9), enqueue=False)
    assert InboxMessage.objects.get(resident=every_third, pushed_on=day(9)).sms_status == "sent"


def test_the_county_edits_a_period_and_bad_input_is_refused_naming_the_field(county_admin, community):
    rule = set_push_cadence(by=county_admin, area_code="990121", key_group_code="graduate", period_days=2)
    assert rule.area_code == "990121000000" and rule.period_days == 2
    assert Cadence().period(community.code, ["graduate"]) == 2
    assert AuditEvent.objects.filter(action="matching.cadence.set").count() == 1
    for kwargs, field in (
        ({"period_days": 0}, "period_days"),
        ({"period_days": 91}, "period_days"),
        ({"period_days": "每周"}, "period_days"),
        ({"period_days": 3, "key_group_code": "nobody"}, "key_group_code"),
        ({"period_days": 3, "area_code": "123"}, "area_code"),
        ({"period_days": 3, "area_code": "990199"}, "area_code"),
    ):
        with pytest.raises(ValidationError) as err:
            set_push_cadence(by=county_admin, **kwargs)
        assert field in err.value.message_dict
    assert PushCadence.objects.filter(area_code="990121000000").count() == 1


def test_push_preferences_refuse_unknown_keys_and_values_and_write_nothing(community, seeker_factory):
    me = seeker_factory(community)
    for data, field in (
        ({"pause_days": 5}, "pause_days"),
        ({"pause_days": "x"}, "pause_days"),
        ({"stopped": "yes"}, "stopped"),
        ({"frequency": 1}, "frequency"),
    ):
        with pytest.raises(ValidationError) as err:
            set_push_preferences(me, by=None, data={**data, "sms_every_time": True})
        assert field in err.value.message_dict
    me.refresh_from_db()
    assert (me.push_paused_until, me.push_stopped, me.push_sms_every_time) == (None, False, False)
    set_push_preferences(me, by=None, data={"pause_days": 30}, today=TODAY)
    me.refresh_from_db()
    assert me.push_paused_until == day(30)
    set_push_preferences(me, by=None, data={"pause_days": 0})
    me.refresh_from_db()
    assert me.push_paused_until is None


def test_staff_see_the_cadence_last_push_and_next_due_day(community, seeker_factory, jobs):
    me = seeker_factory(community, **at(100), key_groups=["employment_difficulty"])
    start_push(pushed_on=day(0), enqueue=False)
    seen = cadence.person_cadence(me, today=day(1))
    assert (seen.period_days, seen.last_push_on, seen.next_due_on) == (3, day(0), day(3))
    assert seen.last_sms_on == day(0)
