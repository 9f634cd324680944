"""Back-office screens of 目标任务 (targets and their progress), 重点任务分工 (the key-task table) and the
configured 城镇从业人员基数."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jobcircle.areas.models import Region
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.common.exports import DATE, NUMBER, Column
from jobcircle.common.forms import TextRulesForm
from jobcircle.common.web import add_service_errors, query_without_page, staff_required, xlsx_response
from jobcircle.people import services as people_services
from jobcircle.people.models import UrbanEmployedBase

from . import figures as registry
from . import plans
from .models import KeyTask, Target

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class TargetForm(TextRulesForm):
    figure_code = forms.ChoiceField(label="指标", choices=())
    value = forms.DecimalField(label="目标值", max_digits=14, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure_code"].choices = [(code, f.label) for code, f in registry.REGISTRY.items()]


class KeyTaskForm(TextRulesForm):
    title = forms.CharField(label="重点任务", max_length=300)
    deadline = forms.DateField(label="完成时限", widget=DATE_INPUT)
    responsible_unit = forms.CharField(label="责任单位", max_length=100)
    lead = forms.CharField(label="牵头领导/责任人", max_length=50)


class KeyTaskNoteForm(TextRulesForm):
    noted_on = forms.DateField(label="日期", widget=DATE_INPUT)
    text = forms.CharField(label="进展情况", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(label="状态", choices=[("", "不变"), *KeyTask.Status.choices], required=False)


def _year_month(request):
    today = timezone.localdate()
    try:
        year, month = int(request.GET.get("year", today.year)), int(request.GET.get("month", today.month))
    except ValueError:
        year, month = today.year, today.month
    return (year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else (today.year, today.month)


PROGRESS_COLUMNS = [
    Column("区域", lambda row: row.area_name, width=16),
    Column("指标", lambda row: row.label, width=36),
    Column("年度目标", lambda row: float(row.target.value), NUMBER),
    Column("完成", lambda row: registry.money_or_number(row.actual), NUMBER),
    Column("完成进度（%）", lambda row: float(row.percent) if row.percent is not None else None, NUMBER),
    Column("时间进度（%）", lambda row: float(row.elapsed), NUMBER),
    Column("状态", lambda row: row.rag_label, width=16),
]


@staff_required
def target_list(request):
    """The area's yearly targets with progress at a month's end, the townships' ranking; set and split."""
    region = region_in_scope_or_404(request.scope, request.GET.get("area"))
    year, month = _year_month(request)
    targets = list(Target.objects.filter(area_code=region.code, year=year))
    rows = plans.target_progress(targets, year, month)
    rankings = [(row, plans.township_ranking(row.target, month)) for row in rows if row.target.parts.exists()]
    if request.GET.get("export") == "xlsx":
        flat = rows + [part for _row, parts in rankings for part in parts]
        return xlsx_response(f"目标任务进度_{region.code}_{year}-{month:02d}.xlsx", "目标任务进度", PROGRESS_COLUMNS,
                             flat, user=request.user)  # fmt: skip
    context = {
        "area": region, "year": year, "month": month, "rows": rows, "rankings": rankings, "form": TargetForm(),
        "children": Region.objects.current().filter(parent=region).order_by("code"),
        "query": query_without_page(request), "nav": "targets",
    }  # fmt: skip
    return render(request, "insights/targets.html", context)


@staff_required
def target_set(request):
    """POST: set the area's target for a figure and year (``area``, ``year`` in the query)."""
    region = region_in_scope_or_404(request.scope, request.GET.get("area"))
    year, _month = _year_month(request)
    form = TargetForm(request.POST)
    if request.method == "POST" and form.is_valid():
        try:
            plans.set_target(region, by=request.user, year=year, **form.cleaned_data)
            messages.success(request, "已保存目标")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors) or "请填写目标")
    return redirect(f"{reverse('insights:target_list')}?{query_without_page(request)}")


@staff_required
def target_split(request, pk):
    """POST: split a target down to the areas below (``part-<code>`` fields)."""
    target = get_in_scope_or_404(Target.objects.all(), request.scope, pk=pk)
    parts = {key[5:]: value for key, value in request.POST.items() if key.startswith("part-") and value.strip()}
    try:
        plans.split_target(target, by=request.user, parts=parts)
        messages.success(request, "已分解到乡镇")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(f"{reverse('insights:target_list')}?area={target.area_code}&year={target.year}")


KEY_TASK_COLUMNS = [
    Column("序号", lambda row: row[0], NUMBER, width=6),
    Column("重点任务", lambda row: row[1].title, width=50),
    Column("责任单位", lambda row: row[1].responsible_unit, width=20),
    Column("牵头领导/责任人", lambda row: row[1].lead, width=14),
    Column("完成时限", lambda row: row[1].deadline, DATE, width=12),
    Column("进展情况", lambda row: "\n".join(f"{n.noted_on:%m月%d日}：{n.text}" for n in row[1].notes.all()), width=60),
    Column("状态", lambda row: row[1].get_status_display() + ("（已逾期）" if row[1].overdue else ""), width=14),
]


@staff_required
def key_task_list(request):
    """The key-task table of the scope (overdue highlighted); POST adds a task to the chosen area."""
    region = region_in_scope_or_404(request.scope, request.GET.get("area"))
    form = KeyTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plans.create_key_task(region, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已添加重点任务")
            return redirect(request.get_full_path())
    today = timezone.localdate()
    tasks = list(KeyTask.objects.in_area(region).prefetch_related("notes"))
    for task in tasks:
        task.overdue = task.is_overdue(today)
        task.latest_note = ([None, *task.notes.all()])[-1]  # prefetched: no query
    if request.GET.get("export") == "xlsx":
        return xlsx_response("重点工作任务分工.xlsx", "重点工作任务分工", KEY_TASK_COLUMNS,
                             list(enumerate(tasks, start=1)), user=request.user)  # fmt: skip
    context = {"area": region, "tasks": tasks, "form": form, "query": query_without_page(request), "nav": "targets"}
    return render(request, "insights/key_tasks.html", context)


@staff_required
def key_task_detail(request, pk):
    """A key task with its dated progress notes; POST adds a note (and may move the status)."""
    task = get_in_scope_or_404(KeyTask.objects.all(), request.scope, pk=pk)
    form = KeyTaskNoteForm(request.POST or None, initial={"noted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            plans.add_key_task_note(task, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("insights:key_task_detail", pk=task.pk)
    task.overdue = task.is_overdue(timezone.localdate())
    return render(request, "insights/key_task_detail.html", {"task": task, "form": form, "nav": "targets"})


class UrbanEmployedBaseForm(TextRulesForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    employed = forms.IntegerField(label="城镇从业人员（人）", min_value=0, max_value=100_000_000)
    source = forms.CharField(label="数据来源", max_length=100, required=False)


@staff_required
def urban_employed_base(request):
    """城镇从业人员基数 of an area (the denominator of 城镇登记失业率): the years entered, and POST one year.

    - the area is the scope's or a sub-area (``?area=``, 404 outside the scope);
    - the value is written by ``people.services.set_urban_employed_base`` (validated, audited).
    """
    region = region_in_scope_or_404(request.scope, request.GET.get("area"))
    form = UrbanEmployedBaseForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            people_services.set_urban_employed_base(
                region.code, data["year"], data["employed"], by=request.user, source=data["source"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存{region.name}{data['year']}年城镇从业人员基数")
            return redirect(request.get_full_path())
    context = {
        "area": region, "form": form, "nav": "targets",
        "bases": UrbanEmployedBase.objects.filter(area_code=region.code).order_by("-year"),
        "children": Region.objects.current().filter(parent=region).order_by("code"),
    }  # fmt: skip
    return render(request, "insights/urban_employed_base.html", context)
