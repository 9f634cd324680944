"""Back-office screens of 创业服务: guarantee loans (list, detail with the next steps), overdue warnings, the bank
statement import, start-ups and incubation bases. Each view: guard, scoped fetch, one service, redirect."""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobcircle.accounts.permissions import CASEWORK, MANAGE_LOANS
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common.web import permission_required, staff_required

from . import services, stats
from .enums import LoanStatus
from .forms import DisburseForm, LoanActionForm, StatementForm
from .imports import import_repayments
from .models import IncubationBase, Loan, Startup

ACTION_STATES = {"local_pass": LoanStatus.LOCAL_PASSED, "approve": LoanStatus.BUREAU_APPROVED,
                 "guarantee": LoanStatus.GUARANTEED, "reject": LoanStatus.REJECTED, "withdraw": LoanStatus.WITHDRAWN,
                 "compensate": LoanStatus.COMPENSATED}  # fmt: skip


def _errors(request, exc):
    messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc) or "无权执行此操作"]))


def _loans():
    return Loan.objects.select_related("policy", "resident", "employer")


@staff_required
@permission_required(CASEWORK)
def loan_list(request):
    status = request.GET.get("status", "")
    loans = _loans().in_scope(request.scope)
    if status in LoanStatus.values:
        loans = loans.filter(status=status)
    today = timezone.localdate()
    year = stats.loan_figures(request.scope.region, today.replace(month=1, day=1), today)
    context = {"loans": loans[:200], "status": status, "states": LoanStatus.choices, "year": year,
               "nav": "entrepreneurship"}  # fmt: skip
    return render(request, "entrepreneurship/loan_list.html", context)


@staff_required
@permission_required(CASEWORK)
def loan_detail(request, pk):
    loan = get_in_scope_or_404(_loans().prefetch_related("transitions", "instalments", "repayments"), request.scope,
                               pk=pk)  # fmt: skip
    context = {
        "loan": loan,
        "action_form": LoanActionForm(),
        "disburse_form": DisburseForm(initial={"amount": loan.amount_applied, "disbursed_on": timezone.localdate()}),
        "nav": "entrepreneurship",
    }
    return render(request, "entrepreneurship/loan_detail.html", context)


@staff_required
@permission_required(CASEWORK)
@require_POST
def loan_action(request, pk):
    loan = get_in_scope_or_404(_loans(), request.scope, pk=pk)
    form = LoanActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择办理事项")
        data = form.cleaned_data
        target = ACTION_STATES[data["action"]]
        services.move_loan(loan, target, by=request.user, scope=request.scope, reason=data["reason"],
                           credit_flags=data["credit_flags"] or None, guarantor=data["guarantor"])  # fmt: skip
        messages.success(request, "已办理")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("entrepreneurship:loan_detail", pk=loan.pk)


@staff_required
@permission_required(MANAGE_LOANS)
@require_POST
def loan_disburse(request, pk):
    loan = get_in_scope_or_404(_loans(), request.scope, pk=pk)
    form = DisburseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([f"{form.fields[f].label}：{'；'.join(e)}" for f, e in form.errors.items()])
        services.disburse_loan(loan, by=request.user, scope=request.scope, **form.cleaned_data)
        messages.success(request, "已登记银行放款，还款计划已生成")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("entrepreneurship:loan_detail", pk=loan.pk)


@staff_required
@permission_required(CASEWORK)
def overdue(request):
    rows = services.overdue_warnings(request.scope.region)
    context = {"rows": rows, "days": services.overdue_days(), "nav": "entrepreneurship"}
    return render(request, "entrepreneurship/overdue.html", context)


@staff_required
@permission_required(MANAGE_LOANS)
def statement_import(request):
    form, result = StatementForm(request.POST or None, request.FILES or None), None
    if request.method == "POST" and form.is_valid():
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            for chunk in form.cleaned_data["file"].chunks():
                handle.write(chunk)
            handle.flush()
            result = import_repayments(handle.name, by=request.user, scope=request.scope, apply=True)
    context = {"form": form, "result": result, "nav": "entrepreneurship"}
    return render(request, "entrepreneurship/statement_import.html", context)


@staff_required
@permission_required(CASEWORK)
def startup_list(request):
    startups = Startup.objects.in_scope(request.scope).select_related("industry", "resident")[:200]
    return render(request, "entrepreneurship/startup_list.html", {"startups": startups, "nav": "entrepreneurship"})


@staff_required
@permission_required(CASEWORK)
def base_list(request):
    bases = IncubationBase.objects.in_scope(request.scope).prefetch_related("tenancies__startup")
    return render(request, "entrepreneurship/base_list.html", {"bases": bases, "nav": "entrepreneurship"})
