"""Monthly monitoring screens: the month's task list, recording one person's month, generation, policy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jobcircle.accounts.enums import Role
from jobcircle.areas.enums import RegionLevel
from jobcircle.common.web import add_service_errors, paginate, query_without_page, staff_required

from ..enums import ImportKind
from ..forms import MonitoringRecordForm, MonthForm, PolicyForm, RevealExportForm, TaskFilterForm, month_from
from ..models import MonitoringRecord, MonitoringTask
from ..services import today
from ..views import chosen_region, ledger_export
from . import services, stats


def _tasks(request, form, month, region):
    tasks = stats.month_tasks(region, month)  # where people lived that month, as the progress and the export
    state = form.cleaned_data.get("state") if form.is_valid() else ""
    if state == "overdue":
        tasks = tasks.overdue(today())
    elif state:
        tasks = tasks.filter(state=state)
    if form.is_valid() and form.cleaned_data.get("q"):
        tasks = tasks.filter(resident__name__contains=form.cleaned_data["q"])
    return tasks.select_related("resident__community", "assigned_to").order_by("state", "due_on", "area_code", "id")


@staff_required
def task_list(request):
    """This month's monitoring tasks in the viewer's area; export gives the month's records ledger."""
    form = TaskFilterForm(request.GET, scope=request.scope)
    month, region = month_from(request.GET), chosen_region(request)
    if request.GET.get("export") == "xlsx" or request.method == "POST":
        records = MonitoringRecord.objects.in_scope(request.scope).in_area(region).filter(month=month)
        return ledger_export(
            request, ImportKind.MONITORING, records.select_related("resident").order_by("area_code", "id")
        )
    context = {
        "form": form, "month": month, "query": query_without_page(request), "today": today(),
        "page_obj": paginate(request, _tasks(request, form, month, region), per_page=50),
        "progress": stats.monitoring_progress(region, month, on=today()),
        "my_overdue": MonitoringTask.objects.overdue(today()).filter(assigned_to=request.user).count(),
        "month_form": MonthForm(initial={"month": f"{month:%Y-%m}"}), "reveal_form": RevealExportForm(),
        "no_tasks": f"{month.year}年{month.month}月还没有监测任务。点击“生成{month.month}月监测任务”为脱贫人口、"
                    "监测对象等重点群体生成任务。",
        "nav": "assistance",
    }  # fmt: skip
    return render(request, "assistance/task_list.html", context)


def _task_or_404(request, pk):
    """A task of the viewer's area, counted where the person lived in its month (another area: 404)."""
    tasks = MonitoringTask.objects.select_related("resident__community")
    if request.scope.region is None:
        raise Http404("未找到该记录")
    try:
        return tasks.lived_in(request.scope.region).get(pk=pk)
    except MonitoringTask.DoesNotExist as exc:
        raise Http404("未找到该记录") from exc


@staff_required
def record_task(request, pk):
    """Record (or correct) one person's monitoring for the task's month, with their history beside it."""
    task = _task_or_404(request, pk)
    existing = MonitoringRecord.objects.filter(resident=task.resident, month=task.month).first()
    known = []
    if existing is None:  # a first record this month starts from what the system knows
        initial, known = services.monitoring_prefill(task.resident, task.month)
    else:
        initial = MonitoringRecordForm.initial_for(existing)
    form = MonitoringRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_monitoring(task.resident, month=task.month, by=request.user, data=request.POST)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存 {task.resident.name} {task.month:%Y年%m月} 的监测记录")
            return redirect(f"{reverse('assistance:task_list')}?month={task.month:%Y-%m}")
    history = task.resident.monitoring_records.select_related("recorded_by").order_by("-month")[:24]
    context = {
        "task": task,
        "form": form,
        "known": known,
        "history": history,
        "today": today(),
        "nav": "assistance",
    }
    return render(request, "assistance/task_record.html", context)


@staff_required
@require_POST
def generate_tasks(request):
    """Create the month's tasks for the viewer's area (running it again adds nothing)."""
    form = MonthForm(request.POST)
    month = month_from(form.data)
    result = services.generate_monitoring_tasks(month, by=request.user, region=request.scope.region)
    messages.success(request, f"{month:%Y年%m月}新生成监测任务{result['created']}条（已有{result['existing']}条）")
    return redirect(f"{reverse('assistance:task_list')}?month={month:%Y-%m}")


@staff_required
@require_POST
def remind_overdue(request):
    per_staff = services.remind_overdue_monitoring(by=request.user, region=request.scope.region)
    messages.success(request, f"已提醒{len(per_staff)}名专干，共{sum(per_staff.values())}条逾期任务")
    return redirect("assistance:task_list")


@staff_required
def policy(request):
    """County administrators choose which key groups are monitored monthly, the ages and the due day."""
    county = request.scope.region
    if request.scope.role != Role.COUNTY_ADMIN or county is None or county.level != RegionLevel.COUNTY:
        raise PermissionDenied("仅区县管理员可以设置监测范围")
    current = services.policy_for(county.code)
    initial = {"key_groups": list(current.key_group_codes), "min_age": current.min_age, "max_age": current.max_age,
               "due_day": current.due_day}  # fmt: skip
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            services.save_monitoring_policy(
                county, by=request.user, key_group_codes=data["key_groups"],
                min_age=data["min_age"], max_age=data["max_age"], due_day=data["due_day"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存监测范围，下次生成月度任务时生效")
            return redirect("assistance:task_list")
    return render(request, "assistance/policy.html", {"form": form, "county": county, "nav": "assistance"})
