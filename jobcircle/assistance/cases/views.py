"""Assistance case screens: the list with 1131 status, one case with its services and state changes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common.web import paginate, query_without_page, staff_required

from ..forms import CaseFilterForm, CaseServiceForm, CaseTransitionForm
from ..models import AssistanceCase
from ..services import today
from ..views import chosen_region
from . import services


@staff_required
def case_list(request):
    form = CaseFilterForm(request.GET, scope=request.scope)
    data = form.cleaned_data if form.is_valid() else {}
    cases = services.with_1131_counts(AssistanceCase.objects.in_scope(request.scope).in_area(chosen_region(request)))
    if data.get("state"):
        cases = cases.filter(state=data["state"])
    if data.get("service_1131") == "done":
        cases = cases.filter(**services.DONE_1131)
    elif data.get("service_1131") == "todo":
        cases = cases.exclude(**services.DONE_1131)
    if data.get("q"):
        cases = cases.filter(resident__name__contains=data["q"])
    cases = cases.select_related("resident__community", "assigned_to").order_by("-opened_on", "-id")
    context = {"form": form, "page_obj": paginate(request, cases), "query": query_without_page(request),
               "nav": "assistance"}  # fmt: skip
    return render(request, "assistance/case_list.html", context)


def _case(request, pk):
    return get_in_scope_or_404(AssistanceCase.objects.select_related("resident__community", "assigned_to"),
                               request.scope, pk=pk)  # fmt: skip


@staff_required
def case_detail(request, pk, service_form=None, transition_form=None):
    case = _case(request, pk)
    context = {
        "case": case,
        "status_1131": services.service_1131(case),
        "services_log": case.services.select_related("recorded_by", "job").order_by("-provided_on", "-id"),
        "transitions": case.transitions.select_related("by").order_by("at", "id"),
        "records": case.resident.monitoring_records.order_by("-month")[:12],
        "service_form": service_form or CaseServiceForm(initial={"provided_on": today()}),
        "transition_form": transition_form or CaseTransitionForm(choices=services.allowed_transitions(case)),
        "nav": "assistance",
    }
    return render(request, "assistance/case_detail.html", context)


@staff_required
@require_POST
def case_service(request, pk):
    case = _case(request, pk)
    form = CaseServiceForm(request.POST)
    if form.is_valid():
        try:
            services.record_case_service(case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, "已记录帮扶服务")
            return redirect("assistance:case_detail", pk=case.pk)
    return case_detail(request, pk, service_form=form)


@staff_required
@require_POST
def case_transition(request, pk):
    case = _case(request, pk)
    form = CaseTransitionForm(request.POST, choices=services.allowed_transitions(case))
    if form.is_valid():
        try:
            services.transition(case, form.cleaned_data["to_state"], by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, "已变更帮扶状态")
            return redirect("assistance:case_detail", pk=case.pk)
    return case_detail(request, pk, transition_form=form)
