import datetime

import pytest
from django.utils import timezone

from jobcircle.scheduling import jobs
from jobcircle.scheduling.services import ensure_schedule

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(*args):
    """A moment in the deployment's time zone (Asia/Shanghai, UTC+8)."""
    return datetime.datetime(*args, tzinfo=TZ)


class Calls:
    """A job that records each call (county, slot) and returns a line."""

    def __init__(self):
        self.calls = []

    def __call__(self, county, slot):
        self.calls.append((county, slot))
        return f"已运行 {county or '全系统'} {slot:%Y-%m-%d %H:%M}"


@pytest.fixture
def probe(monkeypatch):
    """A deployment job ``probe`` that runs every day at 01:30 and only records its calls; the real
    catalogue is set aside, so ticks run nothing else."""
    calls = Calls()
    job = jobs.Job("probe", "测试任务", "只记录调用", "30 1 * * *", False, calls)
    monkeypatch.setattr(jobs, "JOBS", {"probe": job})
    for module in ("jobcircle.scheduling.services", "jobcircle.scheduling.runner"):
        monkeypatch.setattr(f"{module}.JOBS", {"probe": job})
    return calls


@pytest.fixture
def probe_entry(probe, db):
    from jobcircle.scheduling.models import ScheduleEntry

    ensure_schedule(at(2026, 11, 1, 0, 0))
    return ScheduleEntry.objects.get(job="probe")


def now():
    return timezone.now()
