import io

import pytest
from django.core.management import call_command

from jobcircle.scheduling.models import ScheduledRun

pytestmark = pytest.mark.django_db


def test_run_scheduler_once_claims_the_due_slots_and_says_so(probe, probe_entry):
    out = io.StringIO()
    call_command("run_scheduler", once=True, stdout=out)
    call_command("run_scheduler", once=True, stdout=out)

    (run,) = ScheduledRun.objects.all()
    assert out.getvalue().count("测试任务（全系统）→ 已排队") == 1
    assert len(probe.calls) == 1 and run.state == "succeeded"
