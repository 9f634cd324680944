"""风险预警 screens: the dashboard (counts by area and kind), the list with filters, and one warning with
签收 / 处置 (linked to a case) / 解除 (with a note) through risk.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jobcircle.accounts.permissions import CASEWORK
from jobcircle.areas.codes import Area
from jobcircle.areas.models import Region
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.assistance.models import AssistanceCase
from jobcircle.common.web import paginate, permission_required, query_without_page, staff_required

from . import services
from .enums import WarningKind, WarningStatus
from .forms import WarningFilterForm, WarningResolveForm, WarningWorkForm
from .models import RiskWarning

CASES_OFFERED = 50


@staff_required
@permission_required(CASEWORK)
def dashboard(request):
    """Unresolved warnings of the chosen area counted by area and kind."""
    region = region_in_scope_or_404(request.scope, request.GET.get("area"))
    counts = services.dashboard(region)
    names = dict(Region.objects.filter(code__in={c["area_code"] for c in counts}).values_list("code", "name"))
    kinds = dict(WarningKind.choices)
    for row in counts:
        row["area_name"], row["kind_label"] = names.get(row["area_code"], row["area_code"]), kinds.get(row["kind"])
    context = {"area": region, "counts": counts, "total": sum(c["count"] for c in counts), "nav": "warnings"}
    return render(request, "risk/dashboard.html", context)


@staff_required
@permission_required(CASEWORK)
def warning_list(request):
    region = region_in_scope_or_404(request.scope, request.GET.get("area"))
    form = WarningFilterForm(request.GET)
    warnings = form.filter(RiskWarning.objects.in_scope(request.scope).in_area(region))
    warnings = warnings.select_related("assigned_to").order_by("-level", "due_on", "id")
    context = {"area": region, "form": form, "page_obj": paginate(request, warnings),
               "query": query_without_page(request), "nav": "warnings"}  # fmt: skip
    return render(request, "risk/warning_list.html", context)


@staff_required
@permission_required(CASEWORK)
def warning_detail(request, pk):
    warning = get_in_scope_or_404(RiskWarning.objects.select_related("assigned_to", "case"), request.scope, pk=pk)
    # the cases services.work accepts: of the warning's township
    cases = AssistanceCase.objects.in_scope(request.scope).in_area(Area(warning.area_code[:9]))
    context = {
        "warning": warning,
        "transitions": warning.transitions.select_related("by").order_by("at", "id"),
        "cases": cases.select_related("resident").order_by("-opened_on", "-id")[:CASES_OFFERED],
        "resolve_form": WarningResolveForm(), "statuses": WarningStatus, "nav": "warnings",
    }  # fmt: skip
    return render(request, "risk/warning_detail.html", context)


def _act(request, pk, form_class, act):
    """Run one move on a warning of the caller's area; bad input or a refused move is a message, not a write."""
    warning = get_in_scope_or_404(RiskWarning.objects.all(), request.scope, pk=pk)
    form = form_class(request.POST) if form_class else None
    try:
        if form is not None and not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        done = act(warning, form.cleaned_data if form else {})
        messages.success(request, f"预警{done.get_status_display()}")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("risk:warning_detail", pk=warning.pk)


@staff_required
@permission_required(CASEWORK)
@require_POST
def warning_acknowledge(request, pk):
    return _act(request, pk, None, lambda w, data: services.acknowledge(w, by=request.user, scope=request.scope))


@staff_required
@permission_required(CASEWORK)
@require_POST
def warning_work(request, pk):
    def act(warning, data):
        case = get_object_or_404(AssistanceCase.objects.in_scope(request.scope), pk=data["case_id"])
        return services.work(warning, case, by=request.user, scope=request.scope)

    return _act(request, pk, WarningWorkForm, act)


@staff_required
@permission_required(CASEWORK)
@require_POST
def warning_resolve(request, pk):
    def act(warning, data):
        return services.resolve(warning, data["note"], by=request.user, scope=request.scope)

    return _act(request, pk, WarningResolveForm, act)
