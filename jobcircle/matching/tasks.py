"""Background tasks of 精准送岗 (django-tasks; workers run ``manage.py db_worker``)."""

import datetime
import os
import socket

from django_tasks import task

from . import push


@task()
def push_partition_task(partition_id: int, max_reach_m: float):
    """Compute and write one partition of a push (one county, or smaller)."""
    return push.run_partition(partition_id, max_reach_m=max_reach_m, worker=f"{socket.gethostname()}:{os.getpid()}")


@task(priority=-10)  # after every partition of the same run: texts never hold up the pushes
def send_push_sms_task(pushed_on: str, area_prefix: str):
    """Text the pending push messages of one partition."""
    return push.send_push_sms(datetime.date.fromisoformat(pushed_on), area_prefix)


@task(priority=-5)  # after the partitions, before the texts
def record_case_services_task(pushed_on: str, area_prefix: str):
    """Count a day's pushes toward the "3 job infos" of people with an open assistance case."""
    return push.record_case_services(datetime.date.fromisoformat(pushed_on), area_prefix)
