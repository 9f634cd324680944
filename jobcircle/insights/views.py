from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from jobcircle.areas.maps import map_config
from jobcircle.areas.models import Region
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.common.exports import NUMBER, Column
from jobcircle.common.web import paginate, query_without_page, staff_required, xlsx_response

from . import figures as registry
from .forms import WorkReportForm
from .models import WorkReport
from .report import request_work_report
from .services import map_layers, weekly_trend


def _area_and_period(request):
    """The chosen area (inside the scope, else 404) and period (a bad text falls back to this month)."""
    prefix = region_in_scope_or_404(request.scope, request.GET.get("area")).scope_prefix
    try:
        period = registry.parse_period(request.GET.get("period"))
    except ValidationError:
        period = registry.parse_period(None)
    return prefix, period


@staff_required
def dashboard(request):
    """Staff dashboard: the overview figures (from the registry), weekly trends and the map of the area."""
    prefix, period = _area_and_period(request)
    rows = registry.figure_rows(prefix, period, registry.DASHBOARD)
    trend = weekly_trend(prefix)
    context = {
        "area": Region.objects.get(code=prefix.ljust(12, "0")),
        "figures": [(row["code"], row["label"], row["value"]) for row in rows],
        "sub_areas": Region.objects.current().filter(parent__code=prefix.ljust(12, "0")).order_by("code"),
        "trend": trend,
        "trend_rows": list(zip(trend["labels"], zip(*(s["data"] for s in trend["series"]), strict=True), strict=True)),
        "map_data": map_layers(prefix),
        "map_config": map_config(),
        "nav": "dashboard",
    }
    return render(request, "insights/dashboard.html", context)


FIGURE_COLUMNS = [
    Column("指标代码", lambda row: row["code"], width=22),
    Column("指标", lambda row: row["label"], width=40),
    Column("数值", lambda row: registry.money_or_number(row["value"]), NUMBER),
    Column("单位", lambda row: row["unit"], width=8),
    Column("口径", lambda row: row["definition"], width=60),
]


@staff_required
def figure_list(request):
    """Every registered figure for an area and period; ``?export=xlsx`` downloads the same rows."""
    prefix, period = _area_and_period(request)
    rows = registry.figure_rows(prefix, period)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(f"指标_{prefix}_{period.key}.xlsx", "指标", FIGURE_COLUMNS, rows, user=request.user)
    context = {
        "area": Region.objects.get(code=prefix.ljust(12, "0")),
        "period": period,
        "rows": [{**row, "has_records": registry.REGISTRY[row["code"]].records is not None} for row in rows],
        "sub_areas": Region.objects.current().filter(parent__code=prefix.ljust(12, "0")).order_by("code"),
        "query": query_without_page(request),
        "nav": "dashboard",
    }
    return render(request, "insights/figure_list.html", context)


@staff_required
def figure_records(request, code):
    """The records behind one figure for an area and period, masked, one page at a time."""
    figure = registry.get_figure(code)
    if figure is None:
        raise Http404("未找到该指标")
    prefix, period = _area_and_period(request)
    page = paginate(request, registry.records_of(code, prefix, period))
    context = {
        "figure": figure,
        "value": figure.value(prefix, period),
        "area": Region.objects.get(code=prefix.ljust(12, "0")),
        "period": period,
        "page": page,
        "records": [registry.describe_record(record) for record in page],
        "query": query_without_page(request),
        "nav": "dashboard",
    }
    return render(request, "insights/figure_records.html", context)


def _report_areas(request):
    """The caller's own region and the regions one level down (the areas a report may be about)."""
    prefix = request.scope.area_prefix
    own = Region.objects.get(code=prefix.ljust(12, "0"))
    return [own, *Region.objects.current().filter(parent=own).order_by("code")]


@staff_required
def report_list(request):
    """工作报告: the reports of the caller's area, and the form that queues a new one."""
    areas = _report_areas(request)
    today = timezone.localdate()
    form = WorkReportForm(request.POST or None, areas=areas,
                          initial={"area": areas[0].code, "year": today.year, "part": today.month})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        prefix = region_in_scope_or_404(request.scope, form.cleaned_data["area"]).scope_prefix
        report = request_work_report(
            by=request.user, area_prefix=prefix, period=form.cleaned_data["period"],
            problems=form.cleaned_data["problems"], plans=form.cleaned_data["plans"],
        )  # fmt: skip
        return redirect("insights:report_detail", pk=report.pk)
    reports = WorkReport.objects.in_scope(request.scope).defer("docx", "xlsx")
    context = {"form": form, "page": paginate(request, reports), "nav": "reports"}
    return render(request, "insights/report_list.html", context)


@staff_required
def report_detail(request, pk):
    """One report as issued: its paragraphs, its frozen figures (opening their records) and what moved."""
    report = get_in_scope_or_404(WorkReport.objects.defer("docx", "xlsx"), request.scope, pk=pk)
    context = {
        "report": report,
        "progress": report.progress,
        "figures": report.figures.filter(area_code=report.area_code).order_by("id"),
        "period_query": f"area={report.area_code}&period={report.period_start:%Y-%m-%d}~{report.period_end:%Y-%m-%d}",
        "nav": "reports",
    }
    return render(request, "insights/report_detail.html", context)


@staff_required
def report_download(request, pk, kind):
    """The .docx or the appendix .xlsx of an issued report."""
    report = get_in_scope_or_404(WorkReport.objects.all(), request.scope, pk=pk, status=WorkReport.Status.ISSUED)
    body, suffix, content_type = {
        "docx": (report.docx, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "xlsx": (report.xlsx, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }[kind]
    response = HttpResponse(bytes(body), content_type=content_type)
    filename = f"{report.area_name}{report.period_label}工作报告{'' if kind == 'docx' else '附表'}.{suffix}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
