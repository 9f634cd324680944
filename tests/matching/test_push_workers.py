"""One push run by two worker processes (``db_worker``) equals the same push run by one process.

Each side gets its own scratch database (a SQLite file, or a new database on the PostgreSQL
server the suite runs against), migrated and seeded with the same tiny demo county.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DUMP = """
import json
from jobcircle.matching.models import InboxMessage, JobPush, PushPartition
from django_tasks_db.models import DBTaskResult
print(json.dumps({
    "pushes": sorted(JobPush.objects.values_list("resident_id", "job_id", "pushed_on", "rank", "score", "distance_m")),
    "messages": sorted(InboxMessage.objects.values_list("resident_id", "title")),
    "partitions": sorted(PushPartition.objects.values_list("area_code", "status", "seekers", "pushes")),
    "workers": sorted({w for ids, path in DBTaskResult.objects.values_list("worker_ids", "task_path")
                       if path.endswith("push_partition_task") for w in ids}),
}, default=str))
"""


def _manage(url, *args, timeout=180):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.matching.worker_settings"}
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def _run(url, *args, timeout=180):
    proc = _manage(url, *args)
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"{args}: {err[-3000:]}"
    return out


@pytest.fixture
def scratch_databases(tmp_path):
    """Two empty databases of the same kind as the suite's."""
    if connection.vendor != "postgresql":
        yield [f"sqlite:///{tmp_path / name}.sqlite3" for name in ("two", "one")]
        return
    import psycopg

    s = connection.settings_dict
    base = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    names = [f"jobcircle_push_{uuid.uuid4().hex[:8]}_{n}" for n in ("two", "one")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    yield [f"{base}/{name}" for name in names]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_worker_processes_push_exactly_what_one_process_pushes(scratch_databases):
    two, one = scratch_databases
    setups = [_manage(url, "migrate", "-v0") for url in (two, one)]
    for proc in setups:
        assert proc.wait(timeout=180) == 0, proc.stderr.read()[-3000:]
    for url in (two, one):
        _run(url, "seed_demo", "--scale", "tiny", "--seed", "7")

    # Two workers: every partition queued, then two db_worker processes at once, each taking
    # at most half of the partition tasks (queued first), so both really work; a last one drains SMS.
    queued = _run(two, "push_jobs", "--enqueue")
    assert "排队 12" in queued, queued
    workers = [
        _manage(two, "db_worker", "--batch", "--no-startup-delay", "--max-tasks", "6", "--worker-id", name)
        for name in ("worker-a", "worker-b")
    ]
    for proc in workers:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err[-3000:]
    _run(two, "db_worker", "--batch", "--no-startup-delay", "--worker-id", "worker-sms")
    # One process: the same push computed inline.
    _run(one, "push_jobs")

    got_two = json.loads(_run(two, "shell", "-v0", "-c", DUMP).strip().splitlines()[-1])
    got_one = json.loads(_run(one, "shell", "-v0", "-c", DUMP).strip().splitlines()[-1])
    assert got_two["workers"] == ["worker-a", "worker-b"]
    assert got_two["partitions"] and all(status == "done" for _, status, _, _ in got_two["partitions"])
    assert len(got_two["pushes"]) > 20
    for key in ("pushes", "messages", "partitions"):
        assert got_two[key] == got_one[key], key
