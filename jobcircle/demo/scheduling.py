"""Demo data of the scheduler: the schedule at its default times and a year of runs behind it.

The history ends at the latest slot before now, so a fresh `make run` starts with nothing to catch up.
Hourly jobs get their last week only (a year would be 8,760 rows of one line each).
"""

import datetime
import random

from django.utils import timezone

from jobcircle.scheduling.cron import latest_at_or_before, next_after
from jobcircle.scheduling.enums import RunState, Trigger
from jobcircle.scheduling.models import ScheduledRun, ScheduleEntry
from jobcircle.scheduling.services import ensure_schedule

YEAR = datetime.timedelta(days=365)
WEEK = datetime.timedelta(days=7)


def _slots(cron, start, end):
    slot = next_after(cron, start)
    while slot <= end:
        yield slot
        slot = next_after(cron, slot)


def build_schedule_demo(*, seed: int, now=None) -> dict:
    """Every entry of the served counties, since a year ago, with one run per slot (a few failed, a few caught
    up after a stop). Returns {"entries": n, "runs": n}."""
    rng = random.Random(seed)
    now = now or timezone.now()
    ensure_schedule(now - YEAR)
    runs = []
    for entry in ScheduleEntry.objects.filter(runs__isnull=True).order_by("pk"):
        last = latest_at_or_before(entry.cron, now)
        hourly = next_after(entry.cron, last) - last <= datetime.timedelta(hours=1)
        for slot in _slots(entry.cron, max(entry.since, now - (WEEK if hourly else YEAR)), last):
            late = rng.random() < 0.01
            started = slot + datetime.timedelta(seconds=rng.randint(1, 5) + (3 * 3600 if late else 0))
            failed = rng.random() < 0.01
            runs.append(
                ScheduledRun(
                    entry=entry, area_code=entry.area_code, slot=slot, enqueued_at=started,
                    trigger=Trigger.CATCH_UP if late else Trigger.SCHEDULE,
                    state=RunState.FAILED if failed else RunState.SUCCEEDED,
                    started_at=started, finished_at=started + datetime.timedelta(seconds=rng.randint(1, 90)),
                    summary="演示数据：失败（数据库连接中断）" if failed else "演示数据：完成",
                )
            )  # fmt: skip
    ScheduledRun.objects.bulk_create(runs, batch_size=2000)
    return {"entries": ScheduleEntry.objects.count(), "runs": len(runs)}
