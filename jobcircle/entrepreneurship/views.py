"""Back-office screens of 创业服务: guarantee loans (list, detail with the next steps), overdue warnings, the bank
statement import, 贴息 per quarter, start-ups and the market-regulation registrations import, incubation bases
(tenants in and out, the yearly award). Each view: guard, scoped fetch, one service, redirect."""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobcircle.accounts.permissions import CASEWORK, MANAGE_LOANS
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common.web import permission_required, staff_required

from . import services, startups, stats
from .enums import LoanStatus
from .forms import (
    AwardForm,
    DisburseForm,
    LoanActionForm,
    MoveInForm,
    MoveOutForm,
    QuarterForm,
    RegistrationsForm,
    StatementForm,
)
from .imports import import_registrations, import_repayments
from .models import IncubationBase, Loan, Startup, Tenancy

ACTION_STATES = {"local_pass": LoanStatus.LOCAL_PASSED, "approve": LoanStatus.BUREAU_APPROVED,
                 "guarantee": LoanStatus.GUARANTEED, "reject": LoanStatus.REJECTED, "withdraw": LoanStatus.WITHDRAWN,
                 "compensate": LoanStatus.COMPENSATED}  # fmt: skip


def _errors(request, exc):
    messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc) or "无权执行此操作"]))


def _form_errors(form):
    """A bound form's errors as one ValidationError, each message naming its field."""
    return ValidationError([f"{form.fields[f].label if f in form.fields else ''}：{'；'.join(e)}".lstrip("：")
                            for f, e in form.errors.items()])  # fmt: skip


def _upload_to(form, run):
    """Hand the uploaded file to ``run(path)`` through a temporary file (the ledger reader opens a path)."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        for chunk in form.cleaned_data["file"].chunks():
            handle.write(chunk)
        handle.flush()
        return run(handle.name)


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
        result = _upload_to(form, lambda path: import_repayments(path, by=request.user, scope=request.scope,
                                                                 apply=True))  # fmt: skip
    context = {"form": form, "result": result, "nav": "entrepreneurship"}
    return render(request, "entrepreneurship/statement_import.html", context)


@staff_required
@permission_required(CASEWORK)
def startup_list(request):
    startups = Startup.objects.in_scope(request.scope).select_related("industry", "resident")[:200]
    return render(request, "entrepreneurship/startup_list.html", {"startups": startups, "nav": "entrepreneurship"})


@staff_required
@permission_required(CASEWORK)
def registrations_import(request):
    """市场主体登记名单: check only (nothing written) or apply (all rows or none; a re-import changes nothing)."""
    form, result = RegistrationsForm(request.POST or None, request.FILES or None), None
    if request.method == "POST" and form.is_valid():
        apply = form.cleaned_data["apply"]
        result = _upload_to(form, lambda path: import_registrations(path, by=request.user, scope=request.scope,
                                                                    apply=apply))  # fmt: skip
    context = {"form": form, "result": result, "nav": "entrepreneurship"}
    return render(request, "entrepreneurship/registrations_import.html", context)


@staff_required
@permission_required(MANAGE_LOANS)
def interest_subsidies(request):
    """贴息 of a quarter: the loans due in it with their 贴息 (GET ?quarter=), and the claim (POST), once per loan."""
    form, rows = QuarterForm(request.POST or request.GET or None), None
    if form.is_bound and not form.is_valid():
        _errors(request, _form_errors(form))
    elif form.is_bound and request.method == "POST":
        quarter = form.cleaned_data["quarter"]
        try:
            claimed = services.claim_interest_subsidies(quarter, by=request.user, scope=request.scope)
            messages.success(request, f"{quarter}贴息已核算：新交补贴审核 {len(claimed)} 笔（已核算过的不再重复）")
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        return redirect(f"{request.path}?quarter={quarter}")
    elif form.is_bound:
        rows = services.interest_subsidy_rows(form.cleaned_data["quarter"], request.scope)
    context = {"form": form, "rows": rows, "nav": "entrepreneurship"}
    return render(request, "entrepreneurship/interest_subsidies.html", context)


@staff_required
@permission_required(CASEWORK)
def base_list(request):
    bases = IncubationBase.objects.in_scope(request.scope).prefetch_related("tenancies__startup")
    return render(request, "entrepreneurship/base_list.html", {"bases": bases, "nav": "entrepreneurship"})


def _move_in_form(request, data=None):
    return MoveInForm(data, startups=Startup.objects.in_scope(request.scope).order_by("name"),
                      initial={"moved_in": timezone.localdate()})  # fmt: skip


@staff_required
@permission_required(CASEWORK)
def base_detail(request, pk):
    base = get_in_scope_or_404(IncubationBase.objects.prefetch_related("tenancies__startup", "awards"),
                               request.scope, pk=pk)  # fmt: skip
    context = {"base": base, "move_in_form": _move_in_form(request), "nav": "entrepreneurship",
               "move_out_form": MoveOutForm(initial={"moved_out": timezone.localdate()}),
               "award_form": AwardForm(initial={"year": timezone.localdate().year - 1}),
               "can_award": request.scope.can(MANAGE_LOANS)}  # fmt: skip
    return render(request, "entrepreneurship/base_detail.html", context)


@staff_required
@permission_required(CASEWORK)
@require_POST
def base_move_in(request, pk):
    base = get_in_scope_or_404(IncubationBase.objects.all(), request.scope, pk=pk)
    form = _move_in_form(request, request.POST)
    try:
        if not form.is_valid():
            raise _form_errors(form)
        data = form.cleaned_data
        startups.move_in(base, data["startup"], moved_in=data["moved_in"], jobs=data["jobs"],
                         services=data["services"], by=request.user, scope=request.scope)  # fmt: skip
        messages.success(request, "已登记入驻")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("entrepreneurship:base_detail", pk=base.pk)


@staff_required
@permission_required(CASEWORK)
@require_POST
def tenancy_move_out(request, pk):
    tenancy = get_in_scope_or_404(Tenancy.objects.all(), request.scope, pk=pk)
    form = MoveOutForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_errors(form)
        startups.move_out(tenancy, moved_out=form.cleaned_data["moved_out"], by=request.user, scope=request.scope)
        messages.success(request, "已登记迁出")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("entrepreneurship:base_detail", pk=tenancy.base_id)


@staff_required
@permission_required(MANAGE_LOANS)
@require_POST
def base_award(request, pk):
    base = get_in_scope_or_404(IncubationBase.objects.all(), request.scope, pk=pk)
    form = AwardForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_errors(form)
        data = form.cleaned_data
        startups.award_base(base, data["year"], data["amount"], by=request.user, scope=request.scope)
        messages.success(request, f"已核定{data['year']}年奖补，已交补贴审核")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("entrepreneurship:base_detail", pk=base.pk)
