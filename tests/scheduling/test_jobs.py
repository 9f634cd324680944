"""Every job of the catalogue runs its service and says what it did (a thin call; the services have their own tests)."""

import pytest
from django.utils import timezone

from jobcircle.common import backup, labels
from jobcircle.scheduling.cron import clean_cron
from jobcircle.scheduling.enums import RunState, Trigger
from jobcircle.scheduling.jobs import JOBS
from jobcircle.scheduling.models import ScheduleEntry
from jobcircle.scheduling.runner import execute_run
from jobcircle.scheduling.services import claim, ensure_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def isolated(monkeypatch, tmp_path, settings):
    monkeypatch.setattr(backup, "BACKUP_DIR", tmp_path / "backups")
    settings.JOBCIRCLE_UPLOAD_ROOT = str(tmp_path / "uploads")


def run_job(key, when):
    """Claim a slot of the job's first entry, then run it as the worker does: after the claim committed."""
    ensure_schedule()
    entry = ScheduleEntry.objects.filter(job=key).first()
    run = claim(entry, when, Trigger.MANUAL)
    assert execute_run(run.pk) == RunState.SUCCEEDED
    run.refresh_from_db()
    assert run.summary and run.finished_at >= run.started_at
    return run


@pytest.mark.parametrize("key", sorted(set(JOBS) - {"backup"}))
def test_each_job_runs_its_service_and_records_a_line(key, community, isolated, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    run_job(key, timezone.now())


@pytest.mark.django_db(transaction=True)  # SQLite's online backup waits for open write transactions to end
def test_the_backup_job_writes_a_backup(community, isolated, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    run = run_job("backup", timezone.now())
    assert run.summary.startswith("备份完成") and list((tmp_path / "backups").glob("jobcircle-*"))


@pytest.mark.parametrize("key", sorted(JOBS))
def test_each_default_time_is_a_valid_expression(key):
    assert clean_cron(JOBS[key].default_cron) == JOBS[key].default_cron


@pytest.mark.parametrize("code", ["scheduling.schedule.changed", "scheduling.schedule.run_now"])
def test_the_audit_actions_have_chinese_labels(code):
    assert labels.has_label(code)
