import pytest
from django.utils import timezone

from jobcircle.demo.scheduling import build_schedule_demo
from jobcircle.scheduling.models import ScheduledRun
from jobcircle.scheduling.services import tick

pytestmark = pytest.mark.django_db


def test_the_demo_schedule_has_a_year_of_runs_and_nothing_to_catch_up(community):
    now = timezone.now()
    counts = build_schedule_demo(seed=1, now=now)

    assert counts["runs"] == ScheduledRun.objects.count() > 0
    oldest = ScheduledRun.objects.order_by("slot").first().slot
    assert (now - oldest).days >= 360
    assert tick(now) == []  # a fresh `make run` queues nothing at start
