"""Background tasks of 精准送岗 (django-tasks; workers run ``manage.py db_worker``).

Between ``push`` (which plans a run and enqueues its partitions) and the stages (which never
enqueue): imports point one way, push → tasks → push_partition / push_writing.
"""

import datetime
import os
import socket

from django.utils import timezone
from django_tasks import task

from jobcircle.areas.codes import prefix_of

from . import push_partition, push_realtime, push_writing
from .conf import get_config
from .models import JobPush, PushPartition


def run_partition(partition_id, *, max_reach_m, worker="") -> dict:
    """One partition (``push_partition.run_partition``), then its follow-ups when it wrote messages.

    - The case services of its pushes, then (``send_sms``) the texts, each a task of its own.
    Returns the partition's counts.
    """
    result = push_partition.run_partition(partition_id, max_reach_m=max_reach_m, worker=worker)
    if result.get("messages"):
        pushed_on, area_code = PushPartition.objects.values_list("pushed_on", "area_code").get(pk=partition_id)
        record_case_services_task.enqueue(pushed_on.isoformat(), prefix_of(area_code))
        if get_config().send_sms:
            send_push_sms_task.enqueue(pushed_on.isoformat(), prefix_of(area_code))
    return result


@task()
def push_partition_task(partition_id: int, max_reach_m: float):
    """Compute and write one partition of a push (one county, or smaller)."""
    return run_partition(partition_id, max_reach_m=max_reach_m, worker=f"{socket.gethostname()}:{os.getpid()}")


@task(priority=-10)  # after every partition of the same run: texts never hold up the pushes
def send_push_sms_task(pushed_on: str, area_prefix: str):
    """Text the pending push messages of one partition."""
    return push_writing.send_push_sms(datetime.date.fromisoformat(pushed_on), area_prefix)


@task(priority=-5)  # after the partitions, before the texts
def record_case_services_task(pushed_on: str, area_prefix: str):
    """Count a day's pushes toward the "3 job infos" of people with an open assistance case."""
    return push_writing.record_case_services(datetime.date.fromisoformat(pushed_on), area_prefix)


# --- real time (issue 18) -----------------------------------------------------------------------------


def _follow_up(result: dict, day, source) -> dict:
    """After a real-time push committed: its 1131 case services here, its texts as tasks per county."""
    residents = result.pop("residents", [])
    counties = result.pop("counties", [])
    if residents:
        pushes = JobPush.objects.filter(pushed_on=day, resident_id__in=residents, source=source)
        result["case_services"] = push_writing.record_case_services_of(pushes)
        if get_config().send_sms:
            for county in counties:
                send_push_sms_task.enqueue(day.isoformat(), county)
    return result


@task(priority=5)  # before the batch's partitions: a person waits on it
def push_job_task(job_id: int):
    """A job opened or got more places: push it to its best due candidates (``push_realtime``)."""
    day = timezone.localdate()
    return _follow_up(push_realtime.push_job_now(job_id, today=day), day, "job")


@task(priority=5)
def push_seeker_task(resident_id: int):
    """A job seeker registered or changed intention or home: push their top jobs if due."""
    day = timezone.localdate()
    return _follow_up(push_realtime.push_seeker_now(resident_id, today=day), day, "seeker")


def on_job_opened(sender, *, job_id, reason, **kwargs):
    """Receiver of ``employers.signals.job_opened`` (connected in ``apps``)."""
    push_job_task.enqueue(job_id)


def on_job_seeker_changed(sender, *, resident_id, reason, **kwargs):
    """Receiver of ``people.signals.job_seeker_changed`` (connected in ``apps``)."""
    push_seeker_task.enqueue(resident_id)
