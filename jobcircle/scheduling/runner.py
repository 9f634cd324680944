"""Running one claimed slot, in the worker (``tasks.run_scheduled_job``): queued → running → finished.

A run is a record of execution, not a pipeline people move (like a push partition or a screening):
only the worker that takes it writes its state, with its times and its one-line result.
"""

from django.utils import timezone

from .enums import RunState
from .jobs import JOBS
from .models import ScheduledRun

SUMMARY_LENGTH = ScheduledRun._meta.get_field("summary").max_length


def _finish(run_id, state, summary):
    ScheduledRun.objects.filter(pk=run_id).update(
        state=state, summary=summary[:SUMMARY_LENGTH], finished_at=timezone.now()
    )


def execute_run(run_id: int) -> str:
    """Run the job of a queued run once and record how it went.

    - the run is taken by one atomic queued → running update: a task delivered twice (a retry, two
      workers) finds it taken and does nothing;
    - the job gets the entry's county ("" for the whole deployment) and the slot in local time;
    - its line is the run's 结果; an exception marks the run failed with its message and is raised
      again, so the worker keeps the traceback.
    Returns the run's final state.
    """
    taken = ScheduledRun.objects.filter(pk=run_id, state=RunState.QUEUED).update(
        state=RunState.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return "taken"
    run = ScheduledRun.objects.select_related("entry").get(pk=run_id)
    try:
        job = JOBS.get(run.entry.job)
        if job is None:
            raise LookupError(f"没有这个定时任务：{run.entry.job}")
        summary = job.run(run.entry.area_code, timezone.localtime(run.slot))
    except Exception as exc:
        _finish(run_id, RunState.FAILED, f"失败：{str(exc) or type(exc).__name__}")
        raise
    _finish(run_id, RunState.SUCCEEDED, str(summary))
    return RunState.SUCCEEDED
