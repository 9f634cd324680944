"""Real-time pushes under concurrency (issue 18): two workers, retries and the batch at once (PostgreSQL)."""

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from jobcircle.matching import push_realtime
from jobcircle.matching.models import InboxMessage, JobPush, PushCadence
from jobcircle.matching.push import start_push
from tests.concurrency import run_at_once
from tests.factories import JobFactory

from .conftest import make_seeker
from .test_push import at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only(catalogues):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers need PostgreSQL (SQLite serialises every write transaction)")
    for code, days in (("", 7), ("employment_difficulty", 3), ("poverty_alleviated", 3)):  # flushed by earlier tests
        PushCadence.objects.get_or_create(area_code="", key_group_code=code, defaults={"period_days": days})


def test_two_workers_and_a_retry_push_a_published_job_to_each_person_once(employer, community):
    seekers = [make_seeker(community, **at(100 + 200 * i, i)) for i in range(8)]
    job = JobFactory(employer=employer, **at(50), headcount=1)  # capacity 10 × 1: all eight fit

    outcomes = run_at_once(lambda _: push_realtime.push_job_now(job.pk), range(3))

    assert all(isinstance(o, dict) for o in outcomes), outcomes
    per_person = dict(JobPush.objects.filter(job=job).values_list("resident").annotate(n=Count("id")))
    assert per_person == {s.pk: 1 for s in seekers}
    assert sum(o["pushes"] for o in outcomes) == len(seekers)
    assert InboxMessage.objects.filter(kind="job_push").count() == len(seekers)


def test_the_cadence_holds_across_the_batch_and_real_time_pushes_racing(employer, community):
    seekers = [make_seeker(community, **at(100 + 150 * i, i)) for i in range(6)]
    for i in range(6):
        JobFactory(employer=employer, **at(80 * i, 2 * i))
    new_jobs = [JobFactory(employer=employer, **at(60 + 10 * i)) for i in range(2)]
    calls = [lambda: start_push(enqueue=False), lambda: start_push(enqueue=False)]
    calls += [lambda j=j: push_realtime.push_job_now(j.pk) for j in new_jobs for _ in range(2)]
    calls += [lambda s=s: push_realtime.push_seeker_now(s.pk) for s in seekers[:3]]

    outcomes = run_at_once(lambda call: call(), calls)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    today = timezone.localdate()
    messages = dict(
        InboxMessage.objects.filter(kind="job_push", pushed_on=today).values_list("resident").annotate(n=Count("id"))
    )
    assert messages == {s.pk: 1 for s in seekers}  # one message each: the cadence's one of the week
    pushes = JobPush.objects.filter(pushed_on=today)
    assert not pushes.values("resident", "job").annotate(n=Count("id")).filter(n__gt=1).exists()
    # Each person's pushes belong to their one message: one source per person.
    sources = pushes.values("resident").annotate(n=Count("source", distinct=True))
    assert {row["n"] for row in sources} == {1}
