"""The schedule (定时任务): which entries exist, changing them, running one now, and the scheduler's tick.

A slot is (entry, scheduled time). ``claim`` inserts its run row and enqueues its task in one
transaction; the unique slot makes a second scheduler's insert fail, so it enqueues nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region
from jobcircle.common.audit import log_action

from .cron import clean_cron, latest_at_or_before, next_after
from .enums import SCHEDULED_TRIGGERS, RunState, Trigger
from .jobs import JOBS
from .models import ScheduledRun, ScheduleEntry
from .tasks import run_scheduled_job

# A slot claimed later than this after its time was missed while no scheduler ran: a catch-up.
ON_TIME = datetime.timedelta(minutes=5)


def served_counties():
    """Counties the deployment serves: those with townships imported (not every county of the national table)."""
    return Region.objects.current().filter(level=RegionLevel.COUNTY, children__isnull=False).distinct()


def ensure_schedule(now=None) -> int:
    """Create the missing entries at their default times: one per county job and served county, one per
    deployment job. Existing entries are left as the administrators set them. Returns how many were new."""
    now = now or timezone.now()
    counties = list(served_counties().values_list("code", flat=True))
    wanted = [(job.key, code) for job in JOBS.values() for code in (counties if job.per_county else [""])]
    have = set(ScheduleEntry.objects.values_list("job", "area_code"))
    new = [
        ScheduleEntry(job=key, area_code=code, cron=JOBS[key].default_cron, since=now)
        for key, code in wanted
        if (key, code) not in have
    ]
    ScheduleEntry.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def entries_for(region):
    """The entries an administrator sees: their county's (``region``), or with no region every entry,
    the deployment's own included. Entries of jobs no longer in the catalogue are left out."""
    entries = ScheduleEntry.objects.filter(job__in=list(JOBS))
    return entries.in_area(region) if region is not None else entries


def entry_or_404(region, pk) -> ScheduleEntry:
    try:
        return entries_for(region).get(pk=pk)
    except (ScheduleEntry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该定时任务") from exc


def last_runs(entries) -> dict[int, ScheduledRun]:
    """The latest run of each entry (by slot), in one query."""
    latest = ScheduledRun.objects.filter(entry__in=entries).values("entry").annotate(slot=Max("slot"))
    keys = {(row["entry"], row["slot"]) for row in latest}
    runs = ScheduledRun.objects.filter(entry__in=entries, slot__in={slot for _, slot in keys})
    return {run.entry_id: run for run in runs if (run.entry_id, run.slot) in keys}


def next_run(entry, now=None):
    """When the entry runs next (None while disabled)."""
    return next_after(entry.cron, max(now or timezone.now(), entry.since)) if entry.enabled else None


@transaction.atomic
def update_entry(entry: ScheduleEntry, *, by, cron, enabled) -> ScheduleEntry:
    """Change when an entry runs, or switch it on or off (系统管理员; audited).

    - the time is a five-field cron expression (``cron.clean_cron``: a bad one is refused naming the field);
    - a new time, or switching on, starts the schedule afresh (``since`` = now): no slot of the old time,
      or of the time it was off, is run or caught up;
    - nothing changed: nothing is written.
    """
    cron = clean_cron(cron)
    entry = ScheduleEntry.objects.select_for_update().get(pk=entry.pk)
    changed = [name for name, value in (("cron", cron), ("enabled", bool(enabled))) if getattr(entry, name) != value]
    if not changed:
        return entry
    before = {"cron": entry.cron, "enabled": entry.enabled}
    entry.cron, entry.enabled, entry.updated_by = cron, bool(enabled), by
    fields = [*changed, "updated_by", "updated_at"]
    if "cron" in changed or entry.enabled:
        entry.since = timezone.now()
        fields.append("since")
    entry.save(update_fields=fields)
    log_action(
        "scheduling.schedule.changed",
        by=by,
        obj=entry,
        changed_fields=changed,
        data={"job": entry.job, "before": before, "cron": entry.cron, "enabled": entry.enabled},
    )
    return entry


def claim(entry: ScheduleEntry, slot, trigger, *, by=None) -> ScheduledRun | None:
    """Claim one slot and enqueue its task, both or neither; None when the slot is already claimed.

    - the run row's (entry, slot) is unique: of two schedulers (or a scheduler and its restart) the
      second insert fails, and it enqueues nothing;
    - the task row is written in the same transaction (django-tasks' database backend), so a worker
      never sees a task whose run was not claimed, nor a claimed run without its task.
    """
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(
                entry=entry, area_code=entry.area_code, slot=slot, trigger=trigger, requested_by=by
            )
            result = run_scheduled_job.enqueue(run.pk)
            ScheduledRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    except IntegrityError:
        return None
    run.refresh_from_db()
    return run


@transaction.atomic
def run_now(entry: ScheduleEntry, *, by) -> ScheduledRun:
    """立即运行: queue the entry's job now, outside its schedule (系统管理员; audited).

    - refused while a run of the entry is queued or running (one at a time, and a double click runs once);
    - the run's slot is the moment it was asked; scheduled slots go on as before.
    """
    entry = ScheduleEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.runs.filter(state__in=[RunState.QUEUED, RunState.RUNNING]).exists():
        raise ValidationError("该任务上一次运行尚未结束，请稍后再试")
    run = claim(entry, timezone.now(), Trigger.MANUAL, by=by)
    if run is None:
        raise ValidationError("该任务刚刚已开始运行")
    log_action("scheduling.schedule.run_now", by=by, obj=entry, data={"job": entry.job, "run": run.pk})
    return run


def due_slot(entry: ScheduleEntry, last_slot, now):
    """The slot to claim now, with its trigger, or None.

    - only the latest time the expression fired at or before now, and only if it lies after the entry's
      ``since`` and after the last slot claimed: a scheduler that was off for days runs the job once,
      not once per missed slot;
    - claimed more than ``ON_TIME`` after its time, it is a catch-up.
    """
    latest = latest_at_or_before(entry.cron, now)
    if latest < entry.since or (last_slot is not None and latest <= last_slot):
        return None
    return latest, (Trigger.SCHEDULE if now - latest <= ON_TIME else Trigger.CATCH_UP)


def tick(now=None) -> list[ScheduledRun]:
    """One pass of the scheduler: claim every enabled entry's due slot. Returns the runs this pass claimed."""
    now = now or timezone.now()
    ensure_schedule(now)
    last = dict(
        ScheduledRun.objects.filter(trigger__in=SCHEDULED_TRIGGERS)
        .values_list("entry")
        .annotate(slot=Max("slot"))
        .order_by()
    )
    claimed = []
    for entry in ScheduleEntry.objects.filter(enabled=True, job__in=list(JOBS)).order_by("pk"):
        due = due_slot(entry, last.get(entry.pk), now)
        run = claim(entry, *due) if due else None
        if run is not None:
            claimed.append(run)
    return claimed


def seconds_to_next_minute(now=None) -> float:
    """How long the scheduler sleeps: to just after the next whole minute (cron's resolution), so a slot is
    claimed within seconds of its time and a change made on the back office counts from the next minute."""
    now = timezone.localtime(now or timezone.now())
    return 60.5 - now.second - now.microsecond / 1_000_000
