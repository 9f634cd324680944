"""Monthly monitoring: task generation, overdue and reminders, recording, the person's history."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from jobcircle.assistance.enums import CaseState, TaskState
from jobcircle.assistance.models import AssistanceCase, MonitoringRecord, MonitoringTask, MonitoringTaskTransition
from jobcircle.assistance.monitoring import services
from jobcircle.assistance.periods import month_end
from jobcircle.common import pii
from jobcircle.common.models import AuditEvent
from jobcircle.common.sms import MemoryBackend
from jobcircle.people.enums import EmploymentStatus
from jobcircle.people.models import EmploymentStatusChange, Placement
from tests.factories import demo_phone

from ..factories import months_ago, tagged_resident, this_month

pytestmark = pytest.mark.django_db

EMPLOYED_AWAY = {"employment_status": "employed", "work_location": "out_of_province", "employer_name": "某电子厂",
                 "months_worked": 1, "monthly_income": "4800.50"}  # fmt: skip
UNEMPLOYED_WILLING = {"employment_status": "unemployed", "not_employed_reason": "no_suitable_job", "wants_work": "是"}


@pytest.fixture
def people(community, village, community_staff):
    """Who is monitored and who is not, by the default policy (脱贫人口 / 监测对象, 16–60)."""
    month = this_month()
    return {
        "poor": tagged_resident(community, "poverty_alleviated"),
        "monitored": tagged_resident(village, "monitored", "migrant_worker"),
        "both": tagged_resident(community, "poverty_alleviated", "monitored"),
        "graduate": tagged_resident(community, "graduate"),
        "too_old": tagged_resident(community, "poverty_alleviated", birth=datetime.date(month.year - 61, 1, 1)),
        "too_young": tagged_resident(community, "poverty_alleviated", birth=datetime.date(month.year - 15, 1, 1)),
    }


def test_a_task_is_generated_for_every_monitored_person_of_working_age(people, community_staff):
    result = services.generate_monitoring_tasks(this_month())
    expected = {people[k].pk for k in ("poor", "monitored", "both")}
    tasks = MonitoringTask.objects.filter(month=this_month())
    assert set(tasks.values_list("resident_id", flat=True)) == expected
    assert result["created"] == len(expected)
    own = tasks.get(resident=people["poor"])
    assert own.assigned_to == community_staff  # the person's community's staff
    assert own.due_on == this_month().replace(day=25)
    assert tasks.get(resident=people["monitored"]).assigned_to is None  # the village has no staff account


def test_generating_twice_creates_no_duplicates(people):
    first = services.generate_monitoring_tasks(this_month())
    second = services.generate_monitoring_tasks(this_month())
    assert second == {"created": 0, "existing": first["created"]}
    assert MonitoringTask.objects.count() == first["created"]


def test_the_monthly_command_generates_this_months_tasks_once(people):
    monitored = {people[k].pk for k in ("poor", "monitored", "both")}
    out = StringIO()
    call_command("generate_monitoring_tasks", stdout=out)
    tasks = MonitoringTask.objects.filter(month=this_month())
    assert set(tasks.values_list("resident_id", flat=True)) == monitored
    assert f"新生成 {len(monitored)} 条" in out.getvalue()
    call_command("generate_monitoring_tasks", "--month", this_month().strftime("%Y-%m"), stdout=out)
    assert MonitoringTask.objects.count() == len(monitored)
    assert f"新生成 0 条，已有 {len(monitored)} 条" in out.getvalue()


def test_the_monthly_command_refuses_a_bad_month_by_name():
    with pytest.raises(CommandError, match="月份"):
        call_command("generate_monitoring_tasks", "--month", "2026-13")


def test_the_monthly_command_takes_a_township_code_as_its_area(people, town):
    call_command("generate_monitoring_tasks", "--area", town.code[:9], stdout=StringIO())
    assert set(MonitoringTask.objects.values_list("resident_id", flat=True)) == {people["poor"].pk, people["both"].pk}


def test_the_commands_refuse_a_malformed_area_code():
    for command in ("generate_monitoring_tasks", "remind_overdue_monitoring"):
        with pytest.raises(CommandError, match="--area"):
            call_command(command, "--area", "99-01")


def test_a_county_can_switch_on_other_key_groups(people, county, county_admin):
    services.save_monitoring_policy(
        county, by=county_admin, key_group_codes=["graduate", "poverty_alleviated"], min_age=16, max_age=65, due_day=31
    )
    services.generate_monitoring_tasks(this_month())
    monitored = set(MonitoringTask.objects.values_list("resident_id", flat=True))
    assert people["graduate"].pk in monitored and people["monitored"].pk not in monitored
    assert people["too_old"].pk in monitored  # 61 is within 16–65
    assert MonitoringTask.objects.first().due_on == month_end(this_month())  # day 31 clamps to the month's end


def test_a_policy_with_no_group_or_a_bad_range_is_refused(county, county_admin):
    with pytest.raises(ValidationError) as exc:
        services.save_monitoring_policy(county, by=county_admin, key_group_codes=[], min_age=50, max_age=20, due_day=0)
    assert set(exc.value.message_dict) == {"key_groups", "max_age", "due_day"}


def test_overdue_tasks_are_the_pending_ones_past_their_due_date(people):
    services.generate_monitoring_tasks(months_ago(1))
    tasks = list(MonitoringTask.objects.all())
    services.record_monitoring(tasks[0].resident, month=months_ago(1), by=None, data=EMPLOYED_AWAY)
    day_after_due = tasks[0].due_on + datetime.timedelta(days=1)
    overdue = MonitoringTask.objects.overdue(day_after_due)
    assert set(overdue) == set(tasks[1:])
    assert not MonitoringTask.objects.overdue(tasks[0].due_on).exists()  # on the due day it is not late yet


def test_overdue_tasks_are_reminded_once_a_day_with_one_text_per_staff_member(people, community_staff):
    community_staff.set_phone(demo_phone())
    community_staff.save()
    MemoryBackend.outbox.clear()
    services.generate_monitoring_tasks(months_ago(1))
    late = MonitoringTask.objects.overdue(timezone.localdate())
    per_staff = services.remind_overdue_monitoring()
    mine = late.filter(assigned_to=community_staff).count()
    assert per_staff == {community_staff.pk: mine}
    [(phone, text)] = MemoryBackend.outbox
    assert phone == pii.decrypt(community_staff.phone_encrypted) and f"{mine}条" in text
    services.remind_overdue_monitoring()  # same day again: no second reminder, no second text
    assert set(late.values_list("reminder_count", flat=True)) == {1}
    assert len(MemoryBackend.outbox) == 1


def test_the_daily_command_reminds_overdue_tasks(people, community_staff):
    services.generate_monitoring_tasks(months_ago(1))
    late = MonitoringTask.objects.overdue(timezone.localdate()).filter(assigned_to=community_staff)
    out = StringIO()
    call_command("remind_overdue_monitoring", stdout=out)
    assert late.exists() and set(late.values_list("reminder_count", flat=True)) == {1}
    assert f"{late.count()} 条任务，1 位责任人" in out.getvalue()


def test_recording_a_month_completes_the_task_and_updates_status_with_history(people):
    person = people["poor"]
    services.generate_monitoring_tasks(this_month())
    record = services.record_monitoring(person, month=this_month(), by=None, data=EMPLOYED_AWAY)
    task = MonitoringTask.objects.get(resident=person, month=this_month())
    assert task.state == TaskState.DONE and record.task == task
    assert str(record.monthly_income) == "4800.50"
    person.refresh_from_db()
    assert person.employment_status == EmploymentStatus.EMPLOYED
    assert EmploymentStatusChange.objects.filter(resident=person, note="月度监测").exists()


def test_recording_the_same_month_again_updates_the_one_record(people):
    person = people["poor"]
    services.record_monitoring(person, month=this_month(), by=None, data=EMPLOYED_AWAY)
    services.record_monitoring(person, month=this_month(), by=None, data={**EMPLOYED_AWAY, "work_location": "local"})
    assert MonitoringRecord.objects.filter(resident=person).count() == 1
    assert MonitoringRecord.objects.get(resident=person).work_location == "local"


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"employment_status": "employed"}, {"work_location"}),
        ({"employment_status": "unemployed"}, {"not_employed_reason", "wants_work"}),
        ({**EMPLOYED_AWAY, "monthly_income": "-1"}, {"monthly_income"}),
        ({**EMPLOYED_AWAY, "months_worked": 13}, {"months_worked"}),
        ({**UNEMPLOYED_WILLING, "work_location": "local"}, {"work_location"}),
        ({"employment_status": "retired"}, {"employment_status"}),
    ],
)
def test_bad_monitoring_input_names_each_field_and_writes_nothing(people, data, fields):
    with pytest.raises(ValidationError) as exc:
        services.record_monitoring(people["poor"], month=this_month(), by=None, data=data)
    assert set(exc.value.message_dict) == fields
    assert not MonitoringRecord.objects.exists()


def test_months_worked_cannot_exceed_the_months_passed(people):
    january = this_month().replace(month=1)
    with pytest.raises(ValidationError) as exc:
        services.record_monitoring(people["poor"], month=january, by=None, data={**EMPLOYED_AWAY, "months_worked": 2})
    assert "months_worked" in exc.value.message_dict


def test_a_future_month_is_refused(people):
    from jobcircle.assistance.periods import add_months

    with pytest.raises(ValidationError):
        services.record_monitoring(people["poor"], month=add_months(this_month(), 1), by=None, data=EMPLOYED_AWAY)


def test_unemployed_and_willing_opens_a_case_and_employment_closes_it(people, community_staff):
    person = people["poor"]
    services.record_monitoring(person, month=months_ago(1), by=None, data=UNEMPLOYED_WILLING)
    case = AssistanceCase.objects.get(resident=person)
    assert case.state == CaseState.OPEN and case.assigned_to == community_staff
    services.record_monitoring(person, month=this_month(), by=None, data=EMPLOYED_AWAY)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closed_on is not None
    assert list(case.transitions.values_list("from_status", "to_status")) == [("", "open"), ("open", "closed")]


def test_unemployed_but_not_willing_opens_no_case(people):
    data = {**UNEMPLOYED_WILLING, "wants_work": "否", "not_employed_reason": "caring"}
    services.record_monitoring(people["poor"], month=this_month(), by=None, data=data)
    assert not AssistanceCase.objects.exists()


def test_back_filling_an_older_month_leaves_the_current_status_alone(people):
    person = people["poor"]
    services.record_monitoring(person, month=this_month(), by=None, data=EMPLOYED_AWAY)
    services.record_monitoring(person, month=months_ago(2), by=None, data=UNEMPLOYED_WILLING)
    person.refresh_from_db()
    assert person.employment_status == EmploymentStatus.EMPLOYED
    assert not AssistanceCase.objects.exists()
    history = list(person.monitoring_records.values_list("month", flat=True))
    assert history == [this_month(), months_ago(2)]  # newest first


def test_generating_for_an_area_creates_tasks_for_that_area_only(people, community):
    result = services.generate_monitoring_tasks(this_month(), region=community)
    expected = {people[k].pk for k in ("poor", "both")}  # the monitored villager lives elsewhere
    assert set(MonitoringTask.objects.values_list("resident_id", flat=True)) == expected
    assert result == {"created": len(expected), "existing": 0}


def test_reminders_for_an_area_leave_other_areas_overdue_tasks_alone(people, community, village):
    last_month = months_ago(1)
    services.generate_monitoring_tasks(last_month)
    per_staff = services.remind_overdue_monitoring(region=village)
    reminded = MonitoringTask.objects.filter(reminder_count=1)
    assert set(reminded.values_list("area_code", flat=True)) == {village.code}
    assert per_staff == {}  # the village has no staff account to text
    assert not MonitoringTask.objects.filter(area_code=community.code, reminder_count__gt=0).exists()


def test_a_policy_is_set_for_a_county_only(town, county_admin):
    with pytest.raises(ValidationError) as exc:
        services.save_monitoring_policy(
            town, by=county_admin, key_group_codes=["monitored"], min_age=16, max_age=60, due_day=20
        )
    assert set(exc.value.message_dict) == {"county"}


def test_the_policy_due_day_is_clamped_to_the_months_end(county, county_admin):
    services.save_monitoring_policy(
        county, by=county_admin, key_group_codes=["monitored"], min_age=16, max_age=60, due_day=31
    )
    policy = services.policy_for(county.code)
    february = datetime.date(this_month().year, 2, 1)
    assert policy.due_on(february) == month_end(february)


def test_the_prefill_takes_a_hire_of_this_month_from_the_platform(people, employer):
    person = people["poor"]
    Placement.objects.create(resident=person, employer=employer, started_on=this_month(), area_code=person.area_code)
    initial, known = services.monitoring_prefill(person, this_month())
    assert (initial["employment_status"], initial["employer_name"]) == (EmploymentStatus.EMPLOYED, employer.name)
    assert any(employer.name in line for line in known)


# --- task states through the workflow helper (TASK_WORKFLOW, common.workflow) -------------------------------


def test_generated_tasks_carry_their_creation_row_once(people, community_staff):
    services.generate_monitoring_tasks(this_month(), by=community_staff)
    services.generate_monitoring_tasks(this_month(), by=community_staff)  # nothing new, nothing logged again
    tasks = MonitoringTask.objects.filter(month=this_month())
    logged = MonitoringTaskTransition.objects.filter(task__in=tasks)
    assert sorted(logged.values_list("task_id", flat=True)) == sorted(tasks.values_list("id", flat=True))
    assert set(logged.values_list("from_status", "to_status", "by")) == {("", "pending", community_staff.pk)}


def test_generating_for_an_area_logs_that_areas_tasks_only(people, community, village):
    elsewhere = MonitoringTask.objects.create(  # e.g. a task made before tasks had a log
        resident=people["monitored"], month=this_month(), area_code=village.code, due_on=this_month()
    )
    services.generate_monitoring_tasks(this_month(), region=community)
    mine = MonitoringTask.objects.filter(area_code=community.code)
    assert mine.exists() and not mine.filter(transitions__isnull=True).exists()
    assert not elsewhere.transitions.exists()


def test_a_completed_task_has_its_log_row_and_one_audit_event(people, community_staff):
    person = people["poor"]
    services.generate_monitoring_tasks(this_month())
    services.record_monitoring(person, month=this_month(), by=community_staff, data=EMPLOYED_AWAY)
    services.record_monitoring(person, month=this_month(), by=community_staff, data=EMPLOYED_AWAY)  # already done
    task = MonitoringTask.objects.get(resident=person, month=this_month())
    assert task.state == TaskState.DONE and task.completed_at is not None
    assert list(task.transitions.values_list("from_status", "to_status", "by")) == [
        ("", "pending", None),
        ("pending", "done", community_staff.pk),
    ]
    events = AuditEvent.objects.filter(object_id=str(task.pk), action="assistance.monitoring.transitioned")
    assert events.count() == 1 and events.get().actor_id == community_staff.pk


def test_a_refused_monitoring_record_leaves_the_task_pending_and_unlogged(people):
    person = people["poor"]
    services.generate_monitoring_tasks(this_month())
    with pytest.raises(ValidationError):
        services.record_monitoring(person, month=this_month(), by=None, data={"employment_status": "employed"})
    task = MonitoringTask.objects.get(resident=person, month=this_month())
    assert task.state == TaskState.PENDING and task.transitions.count() == 1
