"""Each slot exactly once with schedulers racing (PostgreSQL: real concurrent transactions; skipped on SQLite)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from jobcircle.scheduling.enums import RunState
from jobcircle.scheduling.models import ScheduledRun
from jobcircle.scheduling.services import tick
from tests.concurrency import run_at_once

from .conftest import at

pytestmark = pytest.mark.django_db(transaction=True)

DAYS = [at(2026, 11, day, 1, 30, 20) for day in range(1, 6)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims need PostgreSQL")


def test_four_schedulers_racing_run_each_slot_exactly_once(probe, probe_entry):
    for moment in DAYS:
        outcomes = run_at_once(tick, [moment] * 4)

        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        assert sum(len(o) for o in outcomes) == 1

    assert ScheduledRun.objects.filter(state=RunState.SUCCEEDED).count() == len(DAYS)
    assert sorted(slot for _, slot in probe.calls) == [m.replace(second=0) for m in DAYS]


def test_racing_schedulers_enqueue_one_task_per_slot_for_the_database_workers(probe, probe_entry, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

    for moment in DAYS:
        run_at_once(tick, [moment] * 4)
    # a scheduler restarted after the 5th: the last slot is already claimed, nothing more is queued
    run_at_once(tick, [DAYS[-1].replace(hour=9)] * 2)

    assert DBTaskResult.objects.count() == ScheduledRun.objects.count() == len(DAYS)
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert len(probe.calls) == len(DAYS)
    assert set(ScheduledRun.objects.values_list("state", flat=True)) == {RunState.SUCCEEDED}
