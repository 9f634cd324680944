"""精准送岗: push k suitable jobs to every job seeker of an area ("一点填写、精准送岗").

How a run goes (docs/matching.md has the reasoning):

- ``start_push`` plans the run: one partition per county (or township, ``partition_level``) that
  has job seekers, each a background task (``tasks.push_partition_task``). A run is unique per
  (day, area) and a partition per (day, area): re-running a day finds them and redoes nothing.
- ``run_partition`` claims its partition, loads a snapshot of its seekers and of the open jobs
  within their reach (the county plus a margin of the largest distance its seekers accept, at
  least 3 km), computes, and writes the pushes and inbox messages in one transaction.
- Rules of the allocation:
    - every hard filter of the engine holds, and a job is never pushed to the same person twice
      within ``window_days``;
    - a job with headcount h reaches at most ``capacity_factor`` × h seekers per run; a job within
      reach of several partitions has that capacity split among them in proportion to the
      seekers of each who can reach it,
      so partitions never exceed it together, whichever worker runs them and in whatever order;
    - within a partition, the greedy rule: the highest-scoring pair first (see ``engine.allocate``).
- SMS go out afterwards (``send_push_sms``), at most once per message.

Code by stage (this module is the run's door and bookkeeping): ``push_candidates`` (who and what a
partition computes on), ``push_allocation`` (the pairs), ``push_writing`` (pushes, inbox messages,
case services, SMS), ``push_partition`` (one partition from claim to done) and ``tasks`` (what runs in
the background). Imports point one way: push → tasks → push_partition → the stages.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone

from jobcircle.areas.codes import pad_code, prefix_of
from jobcircle.areas.models import Region
from jobcircle.common import progress
from jobcircle.common.audit import log_action

from .conf import MatchingConfig, get_config
from .models import InboxMessage, JobPush, PartitionStatus, PushPartition, PushReach, PushRun
from .push_candidates import PREFIX_LENGTH, count_reach, widest_reach_m
from .push_partition import report_progress
from .tasks import push_partition_task, run_partition

# --- planning -------------------------------------------------------------------------------------


def start_push(*, by=None, area_code="", k=None, pushed_on=None, enqueue=True) -> PushRun:
    """Plan (or find) the push of ``pushed_on`` for an area and start its partitions.

    - ``area_code``: a region code, or "" for every area; k defaults to ``push_k``.
    - One partition per county (``partition_level``) with job seekers inside the area; an area
      smaller than that level is a partition by itself.
    - Partitions already done or running today are left alone; pending and failed ones are
      (re)started: as background tasks (``enqueue``) or here, one after the other.
    """
    config = get_config()
    pushed_on = pushed_on or timezone.localdate()
    k = int(k or config.push_k)
    if not 1 <= k <= 10:
        raise ValidationError({"k": ["每人推送岗位数：应为1到10"]})
    code, prefix = "", ""
    if area_code:
        try:
            code = pad_code(area_code)
        except ValueError as exc:
            raise ValidationError({"area": [str(exc)]}) from exc
        if not Region.objects.filter(code=code).exists():
            raise ValidationError({"area": [f"区划代码不存在：{area_code}"]})
        prefix = prefix_of(code)
    with transaction.atomic():
        run, created = PushRun.objects.get_or_create(
            pushed_on=pushed_on, area_code=code,
            defaults={"k": k, "capacity_factor": config.capacity_factor, "partition_level": config.partition_level,
                      "created_by": by if getattr(by, "pk", None) else None},
        )  # fmt: skip
        if created:
            by_area = count_reach(run, config)
            counts = _partition_counts(by_area, prefix, config)
            for part_code, seekers in counts.items():
                PushPartition.objects.get_or_create(
                    pushed_on=pushed_on, area_code=part_code, defaults={"run": run, "seekers": seekers}
                )
            total = PushPartition.objects.filter(run=run).aggregate(n=Sum("seekers"))["n"] or 0
            run.progress = progress.start("matching.push_jobs", by=by, total=total, area_code=code,
                                          message=f"{pushed_on} 精准送岗")  # fmt: skip
            run.save(update_fields=["progress"])
            log_action("matching.push.started", by=by, obj=run, area_code=code,
                       data={"pushed_on": str(pushed_on), "k": k, "partitions": len(counts)})  # fmt: skip
    todo = list(run.partitions.filter(status__in=[PartitionStatus.PENDING, PartitionStatus.FAILED]).order_by("pk"))
    if not todo:
        report_progress(run)
        return run
    max_reach_m = widest_reach_m(run, config)
    for partition in todo:
        if enqueue:
            push_partition_task.enqueue(partition.pk, max_reach_m)
        else:
            run_partition(partition.pk, max_reach_m=max_reach_m, worker="inline")
    return run


def _partition_counts(by_area: dict, prefix, config: MatchingConfig) -> dict:
    """{12-digit partition code: job seekers} for the partitions inside ``prefix``."""
    length = max(PREFIX_LENGTH[config.partition_level], len(prefix))
    counts = defaultdict(int)
    for area_code, n in by_area.items():
        if area_code.startswith(prefix):
            counts[area_code[:length].ljust(12, "0")] += n
    return dict(sorted(counts.items()))


# --- retention ----------------------------------------------------------------------------------------


def purge_old_pushes(*, today=None, by=None, config: MatchingConfig | None = None) -> dict:
    """Delete the pushes, push messages and reach counts older than ``push_retention_days``.

    - A province writes millions of pushes a day; kept for ever they would slow every history read
      and fill the disk. The retention exceeds ``window_days`` (``get_config`` checks), so the
      no-repeat rule never loses a push it needs.
    - One day per transaction, oldest first: a long purge can be stopped and run again, and a second
      run deletes nothing more. Runs and partitions stay: one row per area and day, the record of
      what was pushed when and how much.
    - Each day's deletion is audited with its counts, in its transaction.
    Returns {"before": cutoff, "days", "pushes", "messages", "reach"}.
    """
    config = config or get_config()
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=config.push_retention_days)
    old_pushes = JobPush.objects.filter(pushed_on__lt=cutoff)
    old_messages = InboxMessage.objects.filter(kind=InboxMessage.Kind.JOB_PUSH, pushed_on__lt=cutoff)
    counts = {"before": cutoff, "days": 0, "pushes": 0, "messages": 0, "reach": 0}
    while True:
        # Min() reads one end of the pushed_on indexes, where a DISTINCT would scan every old row.
        firsts = [rows.aggregate(day=Min("pushed_on"))["day"] for rows in (old_pushes, old_messages)]
        if not any(firsts):
            break
        day = min(first for first in firsts if first)
        with transaction.atomic():  # the day's deletion and its audit row commit together
            day_counts = {"pushes": old_pushes.filter(pushed_on=day).delete()[0],
                          "messages": old_messages.filter(pushed_on=day).delete()[0]}  # fmt: skip
            log_action("matching.push.purged", by=by, data={"day": day.isoformat(), **day_counts})
        counts["days"] += 1
        counts["pushes"] += day_counts["pushes"]
        counts["messages"] += day_counts["messages"]
    counts["reach"] = PushReach.objects.filter(run__pushed_on__lt=cutoff).delete()[0]  # counts, no personal data
    return counts
