import pytest
from django.core.exceptions import ValidationError

from jobcircle.common.models import AuditEvent
from jobcircle.scheduling import jobs
from jobcircle.scheduling.enums import RunState, Trigger
from jobcircle.scheduling.models import ScheduledRun, ScheduleEntry
from jobcircle.scheduling.runner import execute_run
from jobcircle.scheduling.services import claim, ensure_schedule, next_run, run_now, tick, update_entry

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_slot_runs_once_at_its_time(probe, probe_entry):
    (run,) = tick(at(2026, 11, 1, 1, 30, 10))

    assert run.slot == at(2026, 11, 1, 1, 30) and run.trigger == Trigger.SCHEDULE
    assert probe.calls == [("", at(2026, 11, 1, 1, 30))]
    run.refresh_from_db()
    assert run.state == RunState.SUCCEEDED and "已运行" in run.summary and run.duration is not None
    assert tick(at(2026, 11, 1, 1, 30, 40)) == [] and tick(at(2026, 11, 1, 23, 0)) == []
    assert [r.slot for r in tick(at(2026, 11, 2, 1, 30, 5))] == [at(2026, 11, 2, 1, 30)]
    assert len(probe.calls) == 2


def test_a_missed_slot_runs_once_when_the_scheduler_comes_back(probe, probe_entry):
    tick(at(2026, 11, 1, 1, 30, 10))

    # the machine was off from the 1st to the 5th at noon: four slots missed, one run
    (run,) = tick(at(2026, 11, 5, 12, 0))
    assert run.slot == at(2026, 11, 5, 1, 30) and run.trigger == Trigger.CATCH_UP
    assert tick(at(2026, 11, 5, 12, 1)) == []
    assert ScheduledRun.objects.count() == 2 and len(probe.calls) == 2


def test_no_slot_from_before_the_entry_existed_is_caught_up(probe, probe_entry):
    assert tick(at(2026, 11, 1, 0, 10)) == []
    assert probe.calls == []


def test_a_disabled_entry_does_not_run(probe, probe_entry):
    ScheduleEntry.objects.filter(pk=probe_entry.pk).update(enabled=False)

    assert tick(at(2026, 11, 3, 1, 30)) == []
    assert next_run(ScheduleEntry.objects.get(pk=probe_entry.pk)) is None


def test_a_failing_job_is_recorded_failed_and_not_retried_by_the_schedule(monkeypatch, probe, probe_entry):
    def broken(county, slot):
        raise RuntimeError("备份目录不可写")

    job = jobs.Job("probe", "测试任务", "", "30 1 * * *", False, broken)
    monkeypatch.setattr("jobcircle.scheduling.runner.JOBS", {"probe": job})

    (run,) = tick(at(2026, 11, 1, 1, 31))
    run.refresh_from_db()
    assert run.state == RunState.FAILED and "备份目录不可写" in run.summary and run.finished_at
    assert tick(at(2026, 11, 1, 1, 40)) == []


def test_a_task_delivered_twice_runs_the_job_once(probe, probe_entry, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    run = claim(probe_entry, at(2026, 11, 1, 1, 30), Trigger.SCHEDULE)

    assert execute_run(run.pk) == RunState.SUCCEEDED
    assert execute_run(run.pk) == "taken"
    assert len(probe.calls) == 1


def test_claiming_a_claimed_slot_enqueues_nothing(probe, probe_entry):
    assert claim(probe_entry, at(2026, 11, 1, 1, 30), Trigger.SCHEDULE) is not None
    assert claim(probe_entry, at(2026, 11, 1, 1, 30), Trigger.CATCH_UP) is None
    assert len(probe.calls) == 1


def test_the_schedule_has_one_entry_per_county_job_and_served_county_and_one_per_deployment_job(town):
    assert ensure_schedule() == len(jobs.JOBS)
    assert ensure_schedule() == 0

    per_county = {k for k, job in jobs.JOBS.items() if job.per_county}
    assert set(ScheduleEntry.objects.filter(area_code=town.parent.code).values_list("job", flat=True)) == per_county
    assert set(ScheduleEntry.objects.filter(area_code="").values_list("job", flat=True)) == set(jobs.JOBS) - per_county
    assert not ScheduleEntry.objects.filter(area_code=town.parent.parent.code).exists()  # the city: not a county


def test_changing_the_time_is_audited_and_starts_counting_afresh(probe, probe_entry, system_admin):
    update_entry(probe_entry, by=system_admin, cron=" 0  3 * * * ", enabled=True)

    probe_entry.refresh_from_db()
    assert probe_entry.cron == "0 3 * * *" and probe_entry.since > at(2026, 11, 1, 0, 0)
    event = AuditEvent.objects.get(action="scheduling.schedule.changed")
    assert event.actor_id == system_admin.pk and event.data["before"]["cron"] == "30 1 * * *"
    update_entry(probe_entry, by=system_admin, cron="0 3 * * *", enabled=True)
    assert AuditEvent.objects.filter(action="scheduling.schedule.changed").count() == 1  # nothing changed


@pytest.mark.parametrize(
    "cron",
    ["61 1 * * *", "30 1 * *", "0 30 1 * * *", "0 0 31 2 *", "@daily", "30 1 * * mon-xyz", "30\x00 1 * * *",
     "1 " * 60, ""],
)  # fmt: skip
def test_a_bad_cron_expression_is_refused_naming_the_field_and_writes_nothing(probe, probe_entry, system_admin, cron):
    with pytest.raises(ValidationError) as refused:
        update_entry(probe_entry, by=system_admin, cron=cron, enabled=False)

    (message,) = refused.value.message_dict["cron"]
    assert message.startswith("执行时间（cron 表达式）：")
    probe_entry.refresh_from_db()
    assert probe_entry.cron == "30 1 * * *" and probe_entry.enabled
    assert not AuditEvent.objects.filter(action="scheduling.schedule.changed").exists()


def test_run_now_queues_a_manual_run_audited_and_refuses_while_one_is_unfinished(probe, probe_entry, system_admin):
    run = run_now(probe_entry, by=system_admin)

    assert run.trigger == Trigger.MANUAL and run.requested_by == system_admin and len(probe.calls) == 1
    assert AuditEvent.objects.filter(action="scheduling.schedule.run_now", actor_id=system_admin.pk).count() == 1
    ScheduledRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING)
    with pytest.raises(ValidationError, match="尚未结束"):
        run_now(probe_entry, by=system_admin)


def test_a_manual_run_does_not_use_up_the_scheduled_slot(probe, probe_entry, system_admin):
    run_now(probe_entry, by=system_admin)

    assert len(tick(at(2026, 11, 1, 1, 30, 5))) == 1
