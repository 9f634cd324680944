"""Benchmark of the scheduler's tick over a province-sized schedule (not a test; run by hand or `make bench`).

On PostgreSQL (``DATABASE_URL``, a migrated database of its own; the rows it writes are deleted at the end):
100 served counties × the per-county jobs + the deployment jobs. Measures
- a tick when nothing is due (what the scheduler does every minute): p50/p95 over 30 ticks;
- a tick when every entry is due at once (all set to the same minute): time to claim every slot, each with its
  task row in the database backend (the tasks are not run);
- two schedulers racing over the same due minute (threads, separate connections): wall time, and the check that
  each slot was claimed and queued exactly once.
Writes bench/results/<date>-scheduler.json.
"""

import datetime
import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("DATABASE_URL must name a migrated PostgreSQL database of its own")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from timing import percentiles  # noqa: E402 - bench/ (this script's folder) is on the path

from jobcircle.areas.enums import RegionLevel  # noqa: E402
from jobcircle.areas.models import Region  # noqa: E402
from jobcircle.scheduling.models import ScheduledRun, ScheduleEntry  # noqa: E402
from jobcircle.scheduling.services import ensure_schedule, tick  # noqa: E402

COUNTIES = 100
TZ = datetime.timezone(datetime.timedelta(hours=8))
settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def reset():
    ScheduledRun.objects.all().delete()
    DBTaskResult.objects.filter(task_path__startswith="jobcircle.scheduling").delete()


def build():
    reset()
    ScheduleEntry.objects.all().delete()
    province = Region.objects.update_or_create(code="980000000000", defaults={"name": "基准省", "level": 1})[0]
    city = Region.objects.update_or_create(
        code="980100000000", defaults={"name": "基准市", "level": 2, "parent": province}
    )[0]
    for i in range(COUNTIES):
        county = Region.objects.update_or_create(
            code=f"9801{i:02d}000000", defaults={"name": f"基准县{i}", "level": RegionLevel.COUNTY, "parent": city}
        )[0]
        Region.objects.update_or_create(
            code=f"9801{i:02d}001000", defaults={"name": "街道", "level": RegionLevel.TOWNSHIP, "parent": county}
        )
    started = time.perf_counter()
    ensure_schedule(datetime.datetime(2026, 1, 1, tzinfo=TZ))
    return time.perf_counter() - started


def all_due_at(minute, since):
    ScheduleEntry.objects.update(cron=f"{minute.minute} {minute.hour} * * *", enabled=True, since=since)


def main():
    build_s = build()
    entries = ScheduleEntry.objects.count()
    # nothing due: every entry's slot (01:30) already claimed or not yet come
    all_due_at(datetime.datetime(2026, 11, 1, 1, 30, tzinfo=TZ), since=datetime.datetime(2026, 11, 1, tzinfo=TZ))
    quiet = []
    for i in range(30):
        moment = datetime.datetime(2026, 11, 1, 0, 0, tzinfo=TZ) + datetime.timedelta(minutes=i)
        started = time.perf_counter()
        assert tick(moment) == []
        quiet.append((time.perf_counter() - started) * 1000)
    # every entry due at once, one scheduler
    started = time.perf_counter()
    one = tick(datetime.datetime(2026, 11, 1, 1, 30, 5, tzinfo=TZ))
    one_s = time.perf_counter() - started
    assert len(one) == entries
    # two schedulers racing over the next day's minute
    reset()
    moment = datetime.datetime(2026, 11, 2, 1, 30, 5, tzinfo=TZ)
    counts, barrier = [], threading.Barrier(2)

    def scheduler():
        barrier.wait()
        counts.append(len(tick(moment)))
        connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    race_s = time.perf_counter() - started
    queued = DBTaskResult.objects.filter(task_path__startswith="jobcircle.scheduling").count()
    result = {
        "date": timezone.localdate().isoformat(),
        "database": "postgresql",
        "entries": entries,
        "counties": COUNTIES,
        "ensure_schedule_s": round(build_s, 3),
        "quiet_tick": percentiles(quiet),
        "all_due_one_scheduler_s": round(one_s, 3),
        "all_due_two_schedulers_s": round(race_s, 3),
        "claimed_by_each": sorted(counts),
        "runs": ScheduledRun.objects.count(),
        "task_rows": queued,
        "exactly_once": sum(counts) == entries == ScheduledRun.objects.count() == queued,
        "load_average": os.getloadavg()[0],
    }
    reset()
    ScheduleEntry.objects.all().delete()
    out = ROOT / "bench" / "results" / f"{result['date']}-scheduler.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
