"""精准送岗: capacity, hard filters, the 30-day rule, idempotent re-runs, partitions, inbox and SMS."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from jobcircle.areas.geo.distance import haversine_m
from jobcircle.common.models import AuditEvent, TaskProgress
from jobcircle.matching import push, push_partition, push_writing
from jobcircle.matching.models import InboxMessage, JobPush, PartitionStatus, PushPartition, PushRun
from jobcircle.matching.push import start_push
from jobcircle.people.enums import Education
from tests.factories import EmployerFactory, JobFactory, region, station

from .helpers import point_near

pytestmark = pytest.mark.django_db
HOME = (33.1600, 115.6200)


def at(distance_m, bearing=0.7, center=HOME):
    lat, lng = point_near(center, distance_m, bearing)
    return {"lat": lat, "lng": lng}


@pytest.fixture
def matching_settings(settings):
    def apply(**overrides):
        settings.JOBCIRCLE_MATCHING = {**settings.JOBCIRCLE_MATCHING, **overrides}

    return apply


def pushes_by_seeker():
    out = {}
    for resident_id, job_id in JobPush.objects.order_by("resident_id", "rank").values_list("resident_id", "job_id"):
        out.setdefault(resident_id, []).append(job_id)
    return out


def test_every_push_respects_the_hard_filters_and_k(employer, community, neighbour_community, seeker_factory):
    seekers = [seeker_factory(community, **at(d * 150, d), max_km=km, education=edu)
               for d, (km, edu) in enumerate([(3, 30), (1, 20), (5, 50), (3, 10)] * 3)]  # fmt: skip
    for d in range(14):
        JobFactory(employer=employer, headcount=3, education_min=(0, 20, 40)[d % 3], age_max=(None, 30)[d % 2],
                   work_type=("full_time", "part_time")[d % 5 == 0], **at(d * 300, d))  # fmt: skip
    run = start_push()
    assert run.partitions.get().status == PartitionStatus.DONE
    by_seeker = pushes_by_seeker()
    assert by_seeker, "some seekers got jobs"
    for push_row in JobPush.objects.select_related("job", "resident", "resident__intention"):
        r, j, intention = push_row.resident, push_row.job, push_row.resident.intention
        assert haversine_m(r.lat, r.lng, j.lat, j.lng) <= float(intention.max_distance_km) * 1000
        assert r.education >= j.education_min
        assert j.work_type == "full_time"
    assert all(len(jobs) <= 3 for jobs in by_seeker.values())
    assert InboxMessage.objects.count() == len(by_seeker)
    assert {s.pk for s in seekers} >= set(by_seeker)


def test_a_job_reaches_at_most_factor_times_headcount_seekers(employer, community, seeker_factory,
                                                              matching_settings):  # fmt: skip
    matching_settings(capacity_factor=2)
    seekers = [seeker_factory(community, **at(100 * i, 0.3 * i)) for i in range(9)]
    popular = JobFactory(employer=employer, headcount=2, **at(0))
    other = JobFactory(employer=employer, headcount=1, pay_max=3100, **at(2500))
    start_push(k=1)
    per_job = dict(JobPush.objects.values_list("job").annotate(n=Count("id")))
    assert per_job[popular.pk] == 4
    assert per_job[other.pk] == 2
    # The popular job went to the four seekers who score it highest: the nearest.
    got_popular = set(JobPush.objects.filter(job=popular).values_list("resident_id", flat=True))
    assert got_popular == {s.pk for s in seekers[:4]}


def test_capacity_is_per_run_and_the_next_run_reaches_other_seekers(employer, community, seeker_factory,
                                                                    matching_settings):  # fmt: skip
    matching_settings(capacity_factor=1)
    for i in range(5):
        seeker_factory(community, **at(100 * i))
    job = JobFactory(employer=employer, headcount=2, **at(0))
    today = timezone.localdate()
    start_push(k=1, pushed_on=today)
    start_push(k=1, pushed_on=today + datetime.timedelta(days=1))
    per_day = dict(JobPush.objects.filter(job=job).values_list("pushed_on").annotate(n=Count("id")))
    assert per_day == {today: 2, today + datetime.timedelta(days=1): 2}
    assert JobPush.objects.filter(job=job).values("resident").distinct().count() == 4


def test_a_job_is_not_pushed_to_the_same_person_again_within_30_days(
    employer, community, seeker_factory, daily_cadence
):
    me = seeker_factory(community)
    jobs = [JobFactory(employer=employer, **at(200 * i), valid_until=timezone.localdate() + datetime.timedelta(days=90))
            for i in range(5)]  # fmt: skip
    today = timezone.localdate()
    start_push(pushed_on=today)
    start_push(pushed_on=today + datetime.timedelta(days=1))
    start_push(pushed_on=today + datetime.timedelta(days=29))
    days = dict(JobPush.objects.values_list("pushed_on").annotate(n=Count("id")))
    assert days == {today: 3, today + datetime.timedelta(days=1): 2}
    assert JobPush.objects.values("job").distinct().count() == len(jobs)
    start_push(pushed_on=today + datetime.timedelta(days=30))
    again = JobPush.objects.filter(pushed_on=today + datetime.timedelta(days=30))
    assert set(again.values_list("job_id", flat=True)) == {j.pk for j in jobs[:3]}
    assert set(again.values_list("resident_id", flat=True)) == {me.pk}


def test_re_running_the_same_day_changes_nothing(employer, community, seeker_factory, sms_outbox):
    for i in range(4):
        seeker_factory(community, **at(300 * i, i))
    for i in range(6):
        JobFactory(employer=employer, **at(250 * i, 2 * i))
    first = start_push()
    snapshot = (sorted(JobPush.objects.values_list("resident_id", "job_id", "rank", "score")),
                sorted(InboxMessage.objects.values_list("resident_id", "title")), list(sms_outbox))  # fmt: skip
    JobFactory(employer=employer, **at(10))  # even a new, better job does not change today's push
    second = start_push()
    third = start_push(k=5)
    assert first.pk == second.pk == third.pk
    assert snapshot == (sorted(JobPush.objects.values_list("resident_id", "job_id", "rank", "score")),
                        sorted(InboxMessage.objects.values_list("resident_id", "title")), list(sms_outbox))  # fmt: skip
    assert PushRun.objects.count() == 1 and PushPartition.objects.count() == 1


def test_progress_is_reported_and_finished(employer, community, seeker_factory):
    for i in range(3):
        seeker_factory(community, **at(200 * i))
    JobFactory(employer=employer, headcount=5)
    run = start_push()
    progress = TaskProgress.objects.get(pk=run.progress_id)
    assert progress.status == TaskProgress.Status.DONE
    assert (progress.done, progress.total) == (3, 3)
    assert progress.result == {"partitions": 1, "failed": 0, "pushes": 3, "messages": 3}


def test_inbox_and_sms_carry_the_jobs_but_no_personal_data(employer, community, seeker_factory, sms_outbox):
    me = seeker_factory(community, name="张三丰")
    JobFactory(employer=employer, title="养老护理员", **at(1200))
    start_push()
    message = InboxMessage.objects.get(resident=me)
    assert message.title == "为您推荐1个附近岗位"
    assert message.sms_status == InboxMessage.SmsStatus.SENT
    ((phone, text),) = sms_outbox
    assert phone.startswith("140")
    assert "养老护理员" in text and employer.name in text and "1.2公里" in text
    assert "张三丰" not in text and me.id_number_masked[-4:] not in text


def test_a_seeker_without_phone_gets_the_inbox_message_only(employer, community, seeker_factory, sms_outbox):
    me = seeker_factory(community)
    me.set_phone("")
    me.save()
    JobFactory(employer=employer)
    start_push()
    assert InboxMessage.objects.get(resident=me).sms_status == InboxMessage.SmsStatus.NO_PHONE
    assert sms_outbox == []


def test_a_failed_partition_is_retried_by_running_again(employer, community, seeker_factory, monkeypatch):
    seeker_factory(community)
    JobFactory(employer=employer)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(push_partition, "allocate_partition", broken)
    with pytest.raises(RuntimeError):
        start_push(enqueue=False)
    partition = PushPartition.objects.get()
    assert partition.status == PartitionStatus.FAILED and "boom" in partition.error
    assert JobPush.objects.count() == 0
    monkeypatch.undo()
    start_push(enqueue=False)
    partition.refresh_from_db()
    assert partition.status == PartitionStatus.DONE and JobPush.objects.count() == 1


@pytest.fixture
def two_counties(county, community):
    """A second county whose community lies 2 km east of 幸福社区, across the border."""
    other = region("990122000000", "南河县", 3, county.parent)
    town = region("990122001000", "城关镇", 4, other)
    across = region("990122001001", "河东社区", 5, town)
    station(across, *point_near(HOME, 2000, 1.5708))
    return community, across


def _border_world(two_counties, seeker_factory, matching_settings):
    matching_settings(capacity_factor=2)
    here, across = two_counties
    shared = JobFactory(employer=EmployerFactory(community=across), headcount=1, **at(1000, 1.5708))
    for i in range(3):
        seeker_factory(here, **at(100 * i, 3.0))
        seeker_factory(across, **at(100 * i, 0.0, center=point_near(HOME, 2000, 1.5708)))
    return shared


def test_partitions_share_a_border_jobs_capacity_whatever_their_order(two_counties, seeker_factory,
                                                                      matching_settings):  # fmt: skip
    shared = _border_world(two_counties, seeker_factory, matching_settings)
    start_push(area_code="990121")
    start_push(area_code="990122")
    first = pushes_by_seeker()
    assert JobPush.objects.filter(job=shared).count() == 2
    assert set(JobPush.objects.filter(job=shared).values_list("area_code", flat=True)) == {
        "990121001001", "990122001001"}  # fmt: skip
    JobPush.objects.all().delete()
    InboxMessage.objects.all().delete()
    PushRun.objects.all().delete()
    start_push(area_code="990122")
    start_push(area_code="990121")
    assert pushes_by_seeker() == first
    JobPush.objects.all().delete()
    InboxMessage.objects.all().delete()
    PushRun.objects.all().delete()
    run = start_push()
    assert run.partitions.count() == 2
    assert pushes_by_seeker() == first


def test_a_community_run_then_its_county_run_push_each_seeker_once(two_counties, seeker_factory, matching_settings):
    _border_world(two_counties, seeker_factory, matching_settings)
    start_push()
    whole = pushes_by_seeker()
    JobPush.objects.all().delete()
    InboxMessage.objects.all().delete()
    PushRun.objects.all().delete()
    start_push(area_code="990121001001")
    start_push(area_code="990121")
    start_push(area_code="990122")
    assert pushes_by_seeker() == whole


def test_the_allocation_is_fixed_for_fixed_data_on_every_database(employer, community, seeker_factory,
                                                                   matching_settings):  # fmt: skip
    """Written out by hand, so the SQLite and PostgreSQL legs of CI must both produce exactly this."""
    matching_settings(capacity_factor=1)
    names = ["甲", "乙", "丙", "丁"]
    for i, name in enumerate(names):
        seeker_factory(community, name=name, occupations=["4-10-01-05"] if i % 2 else ["6-01-01-01"],
                       education=Education.SENIOR, **at(400 * i, 0.5))  # fmt: skip
    titles = ["护理A", "护理B", "农业C", "普工D", "普工E"]
    for i, title in enumerate(titles):
        JobFactory(employer=employer, title=title, headcount=1 + (i == 0),
                   occupation_id=_occupation_id("4-10-01-05" if i < 2 else "6-01-01-01" if i == 2 else "4-01-02-01"),
                   **at(300 * i, 2.0))  # fmt: skip
    start_push(k=2)
    got = {}
    for name, title in JobPush.objects.order_by("resident__name", "rank").values_list("resident__name", "job__title"):
        got.setdefault(name, []).append(title)
    # By hand: 乙-A .649, 乙-B .640, 甲-C .627, (丙-C full), 丁-A .572, (A, B full), 甲-D .198, … 丙-E .157.
    assert got == {"甲": ["农业C", "普工D"], "乙": ["护理A", "护理B"], "丙": ["普工E"], "丁": ["护理A"]}


def _occupation_id(code):
    from jobcircle.classifications.models import Occupation

    return Occupation.objects.get(code=code).pk


def test_the_command_prints_counts_and_rejects_an_unknown_area(employer, community, seeker_factory):
    seeker_factory(community)
    JobFactory(employer=employer)
    out = StringIO()
    call_command("push_jobs", "--area", "990121", stdout=out)
    assert "推送岗位 1 条，站内信 1 条" in out.getvalue()
    with pytest.raises(CommandError, match="区划代码不存在"):
        call_command("push_jobs", "--area", "990199")


def test_pushes_to_a_person_with_an_open_case_count_as_job_infos_once(employer, community, seeker_factory,
                                                                     county_admin):  # fmt: skip
    from jobcircle.assistance.cases.services import open_case, service_1131

    helped = seeker_factory(community)
    seeker_factory(community)
    case = open_case(helped, by=county_admin, reason="长期失业")
    for i in range(4):
        JobFactory(employer=employer, **at(200 * i))
    start_push()
    start_push()
    assert service_1131(case).job_info == 3
    push_writing.record_case_services(timezone.localdate(), "990121")  # again: the hook is idempotent
    assert service_1131(case).job_info == 3


def test_without_an_sms_gateway_the_inbox_still_gets_the_push(employer, community, seeker_factory, sms_outbox,
                                                              matching_settings):  # fmt: skip
    matching_settings(send_sms=False)
    me = seeker_factory(community)
    JobFactory(employer=employer)
    start_push()
    assert InboxMessage.objects.get(resident=me).sms_status == InboxMessage.SmsStatus.PENDING
    assert sms_outbox == []


def test_deleting_a_job_or_a_resident_takes_their_pushes_along(employer, community, seeker_factory):
    me = seeker_factory(community)
    other = seeker_factory(community)
    job = JobFactory(employer=employer)
    JobFactory(employer=employer)
    start_push()
    assert JobPush.objects.filter(job=job).count() == 2
    job.delete()
    assert not JobPush.objects.filter(job_id=job.pk).exists()
    assert InboxMessage.objects.filter(resident=me).exists()
    me.delete()
    assert set(JobPush.objects.values_list("resident_id", flat=True)) == {other.pk}
    assert set(InboxMessage.objects.values_list("resident_id", flat=True)) == {other.pk}


def test_pushes_past_the_retention_are_purged_with_their_messages_and_the_rest_kept(
    employer, community, seeker_factory, matching_settings, daily_cadence
):
    matching_settings(window_days=2, push_retention_days=3)
    for i in range(3):
        seeker_factory(community, **at(200 * i))
    for i in range(4):
        JobFactory(employer=employer, **at(150 * i), valid_until=timezone.localdate() + datetime.timedelta(days=90))
    today = timezone.localdate()
    days = [today + datetime.timedelta(days=n) for n in range(4)]
    for day in days:
        start_push(k=1, pushed_on=day)
    assert set(JobPush.objects.values_list("pushed_on", flat=True)) == set(days)

    # Two days after the last push, the pushes of the first two days are more than three days old.
    purge_day = days[-1] + datetime.timedelta(days=2)
    counts = push.purge_old_pushes(today=purge_day)
    assert counts["days"] == len(days[:2]) and counts["reach"] > 0
    assert set(JobPush.objects.values_list("pushed_on", flat=True)) == set(days[2:])
    assert set(InboxMessage.objects.values_list("pushed_on", flat=True)) == set(days[2:])
    assert PushRun.objects.count() == len(days)  # the record of each day's run stays
    events = AuditEvent.objects.filter(action="matching.push.purged").order_by("id")
    assert [e.data["day"] for e in events] == [day.isoformat() for day in days[:2]]
    assert sum(e.data["pushes"] for e in events) == counts["pushes"] > 0
    assert sum(e.data["messages"] for e in events) == counts["messages"] > 0

    again = push.purge_old_pushes(today=purge_day)
    assert again["days"] == again["pushes"] == again["messages"] == again["reach"] == 0
    assert AuditEvent.objects.filter(action="matching.push.purged").count() == len(days[:2])


def test_a_retention_no_longer_than_the_no_repeat_window_is_refused(matching_settings):
    matching_settings(window_days=30, push_retention_days=30)
    with pytest.raises(ImproperlyConfigured, match="push_retention_days"):
        push.purge_old_pushes()


def test_the_purge_command_reports_what_it_deleted(employer, community, seeker_factory):
    seeker_factory(community)
    JobFactory(employer=employer, **at(100))
    start_push(pushed_on=timezone.localdate())
    out = StringIO()
    call_command("purge_pushes", stdout=out)
    assert "0 天" in out.getvalue()
    assert JobPush.objects.exists()
