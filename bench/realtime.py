"""Real-time 精准送岗 (issue 18): publish-to-inbox latency through the real worker, and the day's push.

    BENCH_REALTIME_DATABASE_URL=postgres://…/db .venv/bin/python bench/realtime.py [--scale city] [--jobs 60]
        [--workers 1] [--interval 0.2] [--reuse]

- Seeds the demo (``seed_demo --scale``; ``--reuse`` keeps a database seeded by an earlier run) in a fresh
  database (default: a SQLite file under var/).
- Starts ``--workers`` ``manage.py db_worker`` processes (``--interval``: how often an idle worker looks
  for tasks, the floor of the latency), then publishes ``--jobs`` jobs one after the other through
  ``employers.services.post_job`` near random job seekers, as an employer would. The latency of a job is
  from just before ``post_job`` to the moment its inbox messages are committed (the push task's
  ``finished_at``, after its writes committed), read back from the task table.
- Then times the daily batch in one process: today (everyone not reached in real time is due), and
  tomorrow (no one is due yet: the cost of a day with nothing to push).
- Prints JSON and writes bench/results/<date>-realtime[-scale].json. Never part of ``make test``.
"""

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results"

from timing import percentiles  # noqa: E402 - bench/ is on the path from here


def env(url):
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "0",
            "JOBCIRCLE_PUSH_SMS": "0", "PYTHONPATH": str(ROOT)}  # fmt: skip


def manage(url, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], env=env(url), cwd=ROOT, check=True, **kwargs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="county", choices=["county", "city"])
    parser.add_argument("--jobs", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--explain-only", action="store_true", help="only the history plan, on a --reuse database")
    args = parser.parse_args()
    url = os.environ.get(
        "BENCH_REALTIME_DATABASE_URL", f"sqlite:///{ROOT / 'var' / f'bench-realtime-{args.scale}.sqlite3'}"
    )
    result = {"date": datetime.date.today().isoformat(), "scale": args.scale, "database": url.split(":")[0],
              "jobs": args.jobs, "workers": args.workers, "worker_interval_s": args.interval,
              "load_average_start": list(os.getloadavg())}  # fmt: skip
    if not args.reuse:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        manage(url, "migrate", "-v", "0")
        started = time.perf_counter()
        manage(url, "seed_demo", "--scale", args.scale, "--seed", "1", stdout=subprocess.DEVNULL)
        result["seed_seconds"] = round(time.perf_counter() - started, 1)
    os.environ.update({k: v for k, v in env(url).items() if k not in os.environ or k in ("DATABASE_URL", "DEBUG")})
    os.environ["DATABASE_URL"], os.environ["DJANGO_SETTINGS_MODULE"] = url, "config.settings.dev"
    import django

    django.setup()
    if args.explain_only:
        print(json.dumps(explain_history(), ensure_ascii=False, indent=1))
        return
    result.update(publish_latency(url, args))  # first: every job seeker is still due, the busiest case
    result.update(day_pushes())
    result.update(explain_history())
    result["load_average_end"] = list(os.getloadavg())
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if args.scale == "county" else f"-{args.scale}"
    out = RESULTS / f"{result['date']}-realtime{suffix}-{result['database']}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


def day_pushes():
    """The daily batch in one process: today (everyone due but those pushed in real time) and tomorrow."""
    from django.utils import timezone

    from jobcircle.matching.models import InboxMessage, JobPush
    from jobcircle.matching.push import start_push

    out = {}
    today = timezone.localdate()
    for label, day in (("push_today", today), ("push_tomorrow", today + datetime.timedelta(days=1))):
        started = time.perf_counter()
        start_push(pushed_on=day, enqueue=False)
        out[label] = {"wall_seconds": round(time.perf_counter() - started, 2),
                      "pushes": JobPush.objects.filter(pushed_on=day).count(),
                      "messages": InboxMessage.objects.filter(pushed_on=day, kind="job_push").count()}  # fmt: skip
    return out


def explain_history():
    """PostgreSQL: the plan of the batch's history check (``push_candidates.history_pairs``) for 2,000
    seekers, before and after a VACUUM of the pushes table (what the autovacuum insert threshold of
    migration matching 0013 has run by the next day at a province's size)."""
    from django.db import connection
    from django.utils import timezone

    from jobcircle.matching.models import JobPush
    from jobcircle.people.models import Resident

    if connection.vendor != "postgresql":
        return {}
    today = timezone.localdate()
    ids = list(Resident.objects.job_seekers().order_by("?").values_list("pk", flat=True)[:2000])
    query = (
        JobPush.objects.filter(
            resident_id__in=ids,
            pushed_on__gt=today - datetime.timedelta(days=30),
            pushed_on__lt=today + datetime.timedelta(days=2),
        )
        .order_by()
        .values_list("resident_id", "job_id")
    )
    sql, params = query.query.sql_with_params()
    out = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'matching_jobpush'")
        out["jobpush_reloptions"] = cursor.fetchone()[0]
        for label in ("history_plan_before_vacuum", "history_plan_after_vacuum"):
            if label.endswith("after_vacuum"):
                cursor.execute("VACUUM ANALYZE matching_jobpush")
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            out[label] = [row[0] for row in cursor.fetchall()]
            # A county's table is small enough to read whole; the index path a province's planner takes:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            out[label + "_index_path"] = [row[0] for row in cursor.fetchall()]
            cursor.execute("RESET enable_seqscan")
    return out


def publish_latency(url, args):
    """Jobs published one by one while the workers run; the latency of each to its committed inbox messages."""
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from jobcircle.accounts.models import User
    from jobcircle.employers.services import post_job
    from jobcircle.matching.models import InboxMessage, JobPush
    from jobcircle.people.models import Resident

    rng = random.Random(1)
    employers = list(User.objects.filter(role="employer", employer__isnull=False).select_related("employer")[:50])
    if not employers:
        raise SystemExit("no employer account in the demo")
    seekers = list(Resident.objects.job_seekers().values_list("lat", "lng")[:5000])
    log = open(ROOT / "var" / "bench-realtime-workers.log", "a")  # noqa: SIM115 - closed with the processes
    workers = [
        subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", str(args.interval),
                          "--no-startup-delay", "--worker-id", f"bench-rt-{i}"],
                         env=env(url), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        for i in range(args.workers)
    ]  # fmt: skip
    time.sleep(3)  # the workers start (Django set-up) before the first publication
    latencies, runs, pushed, job_ids = [], [], 0, []
    today = timezone.localdate()
    warmup = 3  # the workers' first tasks import and build what later ones reuse
    try:
        for n in range(args.jobs + warmup):
            user = employers[n % len(employers)]
            lat, lng = rng.choice(seekers)
            data = {"title": f"实时推送测试岗位{n}", "occupation_code": "4-10-01-05",
                    "headcount": rng.choice([1, 2, 3]), "pay_min": 3000, "pay_max": 5000,
                    "description": "基准测试岗位", "requirements": "无",
                    "work_address": "测试路1号", "work_type": "full_time", "lat": lat + rng.uniform(-0.005, 0.005),
                    "lng": lng + rng.uniform(-0.005, 0.005), "valid_from": today,
                    "valid_until": today + datetime.timedelta(days=30)}  # fmt: skip
            started_at = timezone.now()
            job = post_job(by=user, employer=user.employer, data=data)
            job_ids.append(job.pk)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                task = (
                    DBTaskResult.objects.filter(task_path="jobcircle.matching.tasks.push_job_task",
                                                args_kwargs__args=[job.pk], finished_at__isnull=False)
                    .values_list("started_at", "finished_at", "status").first()
                )  # fmt: skip
                if task:
                    break
                time.sleep(0.01)
            else:
                raise SystemExit(f"job {job.pk}: no finished push task within 60 s")
            if n >= warmup:
                latencies.append((task[1] - started_at).total_seconds() * 1000)
                runs.append((task[1] - task[0]).total_seconds() * 1000)
            connection.close()  # the next poll sees the workers' commits on every database
            time.sleep(rng.uniform(0.2, 0.6))  # publications are not back to back
        pushed = JobPush.objects.filter(job_id__in=job_ids).count()
        messages = InboxMessage.objects.filter(pushed_on=today, title__startswith="新岗位推荐").count()
    finally:
        for proc in workers:
            proc.terminate()
        for proc in workers:
            proc.wait(timeout=30)
    return {"publish_to_inbox_ms": percentiles(latencies), "task_run_ms": percentiles(runs),
            "real_time_pushes": pushed, "real_time_messages": messages}  # fmt: skip


if __name__ == "__main__":
    main()
