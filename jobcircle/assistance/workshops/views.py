"""Assistance workshop screens: registry with the month's check, one workshop with its checks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common.web import add_service_errors, paginate, query_without_page, staff_required

from ..enums import ImportKind
from ..forms import WorkshopCheckForm, WorkshopForm, month_from
from ..models import Workshop
from ..views import chosen_region, ledger_export
from . import services, stats


@staff_required
def workshop_list(request):
    """The month's workshops; a workshop not checked that month shows (and exports) its last check, marked
    "沿用10月" — the rule of the sentence above the list (workshops.stats)."""
    month, region = month_from(request.GET), chosen_region(request)
    workshops = Workshop.objects.in_scope(request.scope).in_area(region).order_by("area_code", "code")
    if request.GET.get("export") == "xlsx":
        return ledger_export(request, ImportKind.WORKSHOPS, stats.month_rows(workshops, month))
    page = paginate(request, workshops.select_related("community"))
    context = {
        "page_obj": page, "rows": stats.month_rows(page.object_list, month), "month": month,
        "query": query_without_page(request), "figures": stats.workshop_figures(region, month), "nav": "assistance",
    }  # fmt: skip
    return render(request, "assistance/workshop_list.html", context)


@staff_required
def workshop_create(request):
    form = WorkshopForm(request.POST or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        if Workshop.objects.filter(code=form.cleaned_data["code"].strip().upper()).exists():
            form.add_error("code", "车间编号已存在")
        else:
            try:
                workshop, _ = services.save_workshop(by=request.user, data=form.cleaned_data, scope=request.scope)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已登记帮扶车间 {workshop.name}")
                return redirect("assistance:workshop_detail", pk=workshop.pk)
    return render(request, "assistance/workshop_form.html", {"form": form, "nav": "assistance"})


@staff_required
def workshop_detail(request, pk):
    workshop = get_in_scope_or_404(Workshop.objects.select_related("community"), request.scope, pk=pk)
    form = WorkshopCheckForm(request.POST or None, initial={"month": f"{month_from({}):%Y-%m}"})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_workshop_check(workshop, by=request.user, data=request.POST)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已记录月度检查")
            return redirect("assistance:workshop_detail", pk=workshop.pk)
    checks = workshop.checks.select_related("recorded_by").order_by("-month")
    return render(request, "assistance/workshop_detail.html",
                  {"workshop": workshop, "checks": checks, "form": form, "nav": "assistance"})  # fmt: skip
