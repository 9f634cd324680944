"""精准送岗, one partition from claim to done: candidates → allocation → writing, and the run's progress.

The follow-up tasks of a partition that wrote messages (case services, SMS) are enqueued by
``tasks.run_partition``, which wraps this one: this module never imports ``tasks``.
"""

import time

from django.db.models import Sum
from django.utils import timezone

from jobcircle.common import progress

from .conf import get_config
from .engine import Pairs
from .models import PartitionStatus, PushPartition, PushRun
from .push_allocation import allocate_partition
from .push_candidates import load_partition
from .push_writing import write_partition


def run_partition(partition_id, *, max_reach_m, worker="") -> dict:
    """Claim, compute and write one partition; returns its counts (also kept on the row).

    - Only a pending or failed partition is claimed, so two workers never both run one.
    - Computation happens outside any transaction; writing is one transaction (all or nothing).
    """
    claimed = PushPartition.objects.filter(
        pk=partition_id, status__in=[PartitionStatus.PENDING, PartitionStatus.FAILED]
    ).update(status=PartitionStatus.RUNNING, worker=worker[:100], started_at=timezone.now(), error="")
    partition = PushPartition.objects.select_related("run").get(pk=partition_id)
    if not claimed:
        return {"partition": partition.area_code, "skipped": partition.status}
    run = partition.run
    config = get_config()
    try:
        started = time.perf_counter()
        data = load_partition(partition.area_code, partition.pushed_on, config=config, max_reach_m=max_reach_m,
                              run_id=run.pk, partition_id=partition_id)  # fmt: skip
        loaded = time.perf_counter()
        chosen = (
            allocate_partition(data, k=run.k, config=config)
            if data is not None
            else Pairs.empty()
        )  # fmt: skip
        computed = time.perf_counter()
        counts = write_partition(partition, data, chosen)
        stats = {**(data.stats if data else {}), **counts,
                 "load_s": round(loaded - started, 3), "compute_s": round(computed - loaded, 3),
                 "write_s": round(time.perf_counter() - computed, 3)}  # fmt: skip
        PushPartition.objects.filter(pk=partition_id).update(stats=stats)
    except Exception as exc:
        PushPartition.objects.filter(pk=partition_id).update(
            status=PartitionStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        report_progress(run)
        raise
    report_progress(run)
    return {"partition": partition.area_code, **counts}


def report_progress(run: PushRun):
    """Seekers of finished partitions as progress; the run's progress finishes with its last partition."""
    if run.progress_id is None:
        return
    parts = PushPartition.objects.filter(run=run)
    done = parts.filter(status=PartitionStatus.DONE).aggregate(
        seekers=Sum("seekers"), pushes=Sum("pushes"), messages=Sum("messages")
    )
    open_parts = parts.exclude(status__in=[PartitionStatus.DONE, PartitionStatus.FAILED]).count()
    progress.advance(run.progress_id, done["seekers"] or 0)
    if open_parts == 0:
        failed = parts.filter(status=PartitionStatus.FAILED).count()
        result = {"partitions": parts.count(), "failed": failed, "pushes": done["pushes"] or 0,
                  "messages": done["messages"] or 0}  # fmt: skip
        message = f"推送岗位 {result['pushes']} 条，站内信 {result['messages']} 条" + (
            f"；{failed} 个分区失败，可重新运行" if failed else ""
        )
        progress.finish(run.progress_id, result=result, message=message, failed=bool(failed))
