"""精准送岗 in real time (issue 18): a job that opens, a seeker who registers or changes, with the cadence."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.accounts.enums import Role
from jobcircle.assistance.cases.services import open_case
from jobcircle.assistance.models import CaseService
from jobcircle.employers.enums import JobStatus
from jobcircle.employers.services import post_job, transition_job, update_job
from jobcircle.matching import push_realtime
from jobcircle.matching.models import InboxMessage, JobPush
from jobcircle.matching.push import start_push
from jobcircle.matching.services import recommend_candidates
from jobcircle.people.services import set_job_intention, set_push_preferences
from tests.factories import JobFactory, make_user

from .test_push import at

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def capacity_one(settings):
    settings.JOBCIRCLE_MATCHING = {**settings.JOBCIRCLE_MATCHING, "capacity_factor": 1}


def job_data(**extra):
    return {
        "title": "护理员", "occupation_code": "4-10-01-05", "headcount": 2, "pay_min": 3000, "pay_max": 4500,
        "description": "照护老人", "requirements": "有耐心", "work_address": "幸福路1号", "work_type": "full_time",
        "valid_from": TODAY - datetime.timedelta(days=1), "valid_until": TODAY + datetime.timedelta(days=30),
        **extra,
    }  # fmt: skip


def pushed(job):
    return list(JobPush.objects.filter(job=job).order_by("resident_id").values_list("resident_id", flat=True))


def publish(employer, django_capture_on_commit_callbacks, **extra):
    user = employer.users.first() or make_user(f"employer{employer.pk}", Role.EMPLOYER, employer=employer)
    with django_capture_on_commit_callbacks(execute=True):
        return post_job(by=user, employer=employer, data=job_data(**extra))


def test_a_published_job_reaches_its_best_due_candidates_once_within_its_capacity(
    employer, community, seeker_factory, capacity_one, django_capture_on_commit_callbacks, county_admin, sms_outbox
):
    seekers = [seeker_factory(community, **at(100 + 300 * i, i)) for i in range(5)]
    job = publish(employer, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.OPEN
    best = [rec.item.pk for rec in recommend_candidates(job, _scope(county_admin), k=2)]
    assert pushed(job) == sorted(best)  # capacity 1 × 2 places: the engine's top two
    for push in JobPush.objects.filter(job=job):
        assert push.source == "job" and push.rank == 1 and push.score > 0
        message = InboxMessage.objects.get(resident_id=push.resident_id, pushed_on=TODAY)
        assert message.title == "新岗位推荐：护理员" and message.sms_status == "sent"
    assert len(sms_outbox) == 2
    # Retried: nothing more (the capacity of the day is used, the two already have it).
    assert push_realtime.push_job_now(job.pk)["pushes"] == 0
    assert len(pushed(job)) == 2 and len(seekers) == 5


def test_more_places_push_to_the_next_candidates_and_a_reopened_job_to_no_one_twice(
    employer, community, seeker_factory, capacity_one, django_capture_on_commit_callbacks
):
    for i in range(6):
        seeker_factory(community, **at(100 + 250 * i, i))
    job = publish(employer, django_capture_on_commit_callbacks)
    first = set(pushed(job))
    with django_capture_on_commit_callbacks(execute=True):
        update_job(job, by=employer.users.first(), data={"headcount": 4})
    after = set(pushed(job))
    assert first < after and len(after) == 4
    with django_capture_on_commit_callbacks(execute=True):
        transition_job(job, JobStatus.PAUSED, by=None)
        transition_job(job, JobStatus.OPEN, by=None)
    assert set(pushed(job)) == after  # all four had it; the others are not due (one message a week)


def test_a_person_not_due_gets_nothing_in_real_time_and_counts_once_with_the_batch(
    employer, community, seeker_factory, django_capture_on_commit_callbacks
):
    for i in range(3):
        JobFactory(employer=employer, **at(200 + 100 * i), valid_until=TODAY + datetime.timedelta(days=60))
    me = seeker_factory(community, **at(100))
    start_push(pushed_on=TODAY - datetime.timedelta(days=2), enqueue=False)
    job = publish(employer, django_capture_on_commit_callbacks)
    assert pushed(job) == []  # pushed two days ago, weekly cadence
    start_push(pushed_on=TODAY + datetime.timedelta(days=5), enqueue=False)
    assert pushed(job) == [me.pk]  # due again: the batch brings the new job, not shown before


def test_the_batch_leaves_alone_a_person_pushed_in_real_time_today(
    employer, community, seeker_factory, django_capture_on_commit_callbacks
):
    me = seeker_factory(community, **at(100))
    job = publish(employer, django_capture_on_commit_callbacks)
    for i in range(3):
        JobFactory(employer=employer, **at(200 + 100 * i))
    start_push(enqueue=False)
    assert InboxMessage.objects.filter(resident=me).count() == 1
    assert list(JobPush.objects.filter(resident=me).values_list("job_id", flat=True)) == [job.pk]


def test_a_new_or_changed_seeker_gets_their_top_three_at_once_if_due(
    employer, community, seeker_factory, django_capture_on_commit_callbacks
):
    jobs = [JobFactory(employer=employer, **at(150 * i, i)) for i in range(5)]
    me = seeker_factory(community, **at(50))
    with django_capture_on_commit_callbacks(execute=True):
        set_job_intention(me, by=None, data={"occupation_codes": ["4-10-01-05"], "max_distance_km": 3,
                                             "work_type": "full_time", "min_monthly_pay": 0})  # fmt: skip
    mine = list(JobPush.objects.filter(resident=me).order_by("rank").values_list("job_id", "source"))
    assert len(mine) == 3 and {s for _, s in mine} == {"seeker"}
    assert {j for j, _ in mine} <= {j.pk for j in jobs}
    message = InboxMessage.objects.get(resident=me)
    assert message.title == "为您推荐3个附近岗位"
    with django_capture_on_commit_callbacks(execute=True):  # changed again the same week: not due
        set_job_intention(me, by=None, data={"occupation_codes": ["4-10-01-05"], "max_distance_km": 5,
                                             "work_type": "full_time", "min_monthly_pay": 0})  # fmt: skip
    assert JobPush.objects.filter(resident=me).count() == 3


def test_a_paused_seeker_gets_nothing_in_real_time(
    employer, community, seeker_factory, django_capture_on_commit_callbacks
):
    me = seeker_factory(community, **at(100))
    set_push_preferences(me, by=None, data={"pause_days": 7})
    publish(employer, django_capture_on_commit_callbacks)
    assert push_realtime.push_seeker_now(me.pk)["skipped"] == "not_seeking"
    assert not JobPush.objects.filter(resident=me).exists()


def test_a_real_time_push_counts_toward_the_1131_job_infos(
    employer, community, seeker_factory, community_staff, django_capture_on_commit_callbacks
):
    me = seeker_factory(community, **at(100))
    case = open_case(me, by=community_staff, reason="测试立案", on=TODAY)
    job = publish(employer, django_capture_on_commit_callbacks)
    service = CaseService.objects.get(case=case)
    assert service.job_id == job.pk and service.reference == f"push:{TODAY}:{me.pk}:{job.pk}"


def _scope(user):
    from jobcircle.accounts.access import scope_for_user  # the county's view of the candidates

    return scope_for_user(user)


def test_a_seeker_who_moves_home_gets_their_top_jobs_at_once(
    employer, community, seeker_factory, community_staff, django_capture_on_commit_callbacks
):
    from jobcircle.accounts.access import scope_for_user
    from jobcircle.people.services import update_resident

    jobs = [JobFactory(employer=employer, **at(4000 + 150 * i)) for i in range(4)]
    me = seeker_factory(community, **at(0))  # the jobs are out of the 3-km reach of home
    assert push_realtime.push_seeker_now(me.pk)["pushes"] == 0
    near = at(4000)
    with django_capture_on_commit_callbacks(execute=True):
        update_resident(me, by=community_staff, scope=scope_for_user(community_staff),
                        data={"lat": near["lat"], "lng": near["lng"], "coord": "wgs84"})  # fmt: skip
    mine = set(JobPush.objects.filter(resident=me, source="seeker").values_list("job_id", flat=True))
    assert len(mine) == 3 and mine <= {j.pk for j in jobs}
