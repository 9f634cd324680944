"""The demo casework: its cases and monitoring tasks carry their creation rows like any other."""

import pytest

from jobcircle.assistance.models import AssistanceCase, CaseTransition, MonitoringTask, MonitoringTaskTransition
from jobcircle.demo.generator import build_demo

pytestmark = pytest.mark.django_db


def test_demo_cases_and_tasks_carry_their_state_log_from_creation():
    build_demo(seed=3, scale="tiny", log=lambda *_: None)
    cases = dict(AssistanceCase.objects.values_list("id", "state"))
    tasks = dict(MonitoringTask.objects.values_list("id", "state"))
    assert cases and tasks and set(tasks.values()) == {"pending", "done"}
    logged_cases = CaseTransition.objects.filter(from_status="").values_list("case_id", "to_status", "reason")
    assert {(c, s) for c, s, _ in logged_cases} == set(cases.items())
    # cases opened by the monthly monitoring, and by the daily 零就业家庭 run for the demo households (issue 19)
    assert {reason for *_, reason in logged_cases} <= {"月度监测：未就业且有就业意愿", "零就业家庭成员：家庭中无人就业"}
    logged_tasks = MonitoringTaskTransition.objects.values_list("task_id", "from_status", "to_status")
    assert sorted(logged_tasks) == sorted((t, "", s) for t, s in tasks.items())
