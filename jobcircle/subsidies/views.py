"""Back-office screens of subsidies: catalogue with figures, 免申即享 screening, review queue, payout batches."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jobcircle.accounts.permissions import MANAGE_SUBSIDIES, REVIEW_SUBSIDIES
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common.web import permission_required, staff_required

from . import screening as screenings
from . import services
from .bank_results import import_bank_results
from .enums import ApplicationStatus
from .forms import BankResultForm, DecisionForm, LineResultForm, PeriodForm, ReasonForm
from .models import PayoutBatch, PayoutLine, Policy, Screening, SubsidyApplication
from .payouts import bank_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _policy(code):
    policy = Policy.objects.filter(code=code, is_active=True).first()
    if policy is None:
        raise Http404("未找到该政策")
    return policy


def _errors(request, exc):
    messages.error(request, "；".join(exc.messages))


@staff_required
@permission_required(REVIEW_SUBSIDIES)
def policy_list(request):
    period = str(timezone.localdate().year)
    rows = [
        (policy, policy.version_on(timezone.localdate()),
         services.statistics(policy, period, area_prefix=request.scope.area_prefix))
        for policy in Policy.objects.filter(is_active=True)
    ]  # fmt: skip
    return render(request, "subsidies/policy_list.html", {"rows": rows, "period": period, "nav": "subsidies"})


@staff_required
@permission_required(MANAGE_SUBSIDIES)
def screening(request, code):
    policy = _policy(code)
    latest = Screening.objects.in_scope(request.scope).filter(policy=policy).select_related("progress").first()
    hits = latest.hits.select_related("resident", "employer", "application")[:500] if latest else []
    form = PeriodForm(initial={"period": timezone.localdate().year})
    context = {"policy": policy, "screening": latest, "hits": hits, "form": form, "nav": "subsidies"}
    return render(request, "subsidies/screening.html", context)


@staff_required
@permission_required(MANAGE_SUBSIDIES)
@require_POST
def screening_start(request, code):
    policy = _policy(code)
    form = PeriodForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("补贴期间：格式应为年度（如2025）或月份（如2025-03）")
        screenings.start_screening(policy, form.cleaned_data["period"], by=request.user, scope=request.scope)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("subsidies:screening", code=policy.code)


@staff_required
@permission_required(MANAGE_SUBSIDIES)
@require_POST
def screening_confirm(request, pk):
    screening = get_in_scope_or_404(Screening.objects.select_related("policy"), request.scope, pk=pk)
    ids = [int(i) for i in request.POST.getlist("hit") if i.isdigit()]
    created = screenings.confirm_hits(screening, ids, by=request.user, scope=request.scope)
    messages.success(request, f"已生成{len(created)}份申请，进入审核")
    return redirect("subsidies:screening", code=screening.policy.code)


@staff_required
@permission_required(REVIEW_SUBSIDIES)
def review_queue(request):
    state = next((s for s, role in services.LEVEL_ROLE.items() if role == request.user.role), None)
    applications = (
        SubsidyApplication.objects.in_scope(request.scope)
        .filter(status=state)
        .exclude(submitted_by=request.user)
        .select_related("policy", "resident", "employer")[:200]
    )
    context = {"applications": applications, "state": ApplicationStatus(state), "form": DecisionForm(auto_id=False),
               "nav": "subsidies"}  # fmt: skip
    return render(request, "subsidies/review_queue.html", context)


@staff_required
@permission_required(REVIEW_SUBSIDIES)
@require_POST
def review(request, pk):
    application = get_in_scope_or_404(SubsidyApplication.objects.select_related("version"), request.scope, pk=pk)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("审核意见：请选择")
        services.review_application(
            application,
            form.cleaned_data["decision"],
            by=request.user,
            scope=request.scope,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "已审核")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("subsidies:review_queue")


@staff_required
@permission_required(MANAGE_SUBSIDIES)
def batch_list(request):
    approved = (
        SubsidyApplication.objects.in_scope(request.scope)
        .filter(status=ApplicationStatus.APPROVED)
        .select_related("policy", "resident", "employer")[:500]
    )
    batches = PayoutBatch.objects.in_scope(request.scope).select_related("policy")[:100]
    return render(request, "subsidies/batch_list.html", {"approved": approved, "batches": batches,
                                                         "nav": "subsidies"})  # fmt: skip


@staff_required
@permission_required(MANAGE_SUBSIDIES)
@require_POST
def batch_create(request, code):
    ids = [int(i) for i in request.POST.getlist("application") if i.isdigit()]
    try:
        batch = services.create_batch(_policy(code), ids, by=request.user, scope=request.scope)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("subsidies:batch_list")
    return redirect("subsidies:batch_detail", pk=batch.pk)


def _batch(request, pk):
    return get_in_scope_or_404(PayoutBatch.objects.select_related("policy"), request.scope, pk=pk)


@staff_required
@permission_required(MANAGE_SUBSIDIES)
def batch_detail(request, pk):
    batch = _batch(request, pk)
    lines = batch.lines.select_related("application__resident", "application__employer")
    context = {"batch": batch, "lines": lines, "reason_form": ReasonForm(), "line_form": LineResultForm(auto_id=False),
               "result_form": BankResultForm(), "nav": "subsidies"}  # fmt: skip
    return render(request, "subsidies/batch_detail.html", context)


@staff_required
@permission_required(MANAGE_SUBSIDIES)
@require_POST
def batch_export(request, pk):
    batch = _batch(request, pk)
    try:
        content = bank_file(batch, by=request.user, scope=request.scope, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("subsidies:batch_detail", pk=batch.pk)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"补贴发放第{batch.pk}批.xlsx")
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@permission_required(MANAGE_SUBSIDIES)
@require_POST
def line_result(request, pk):
    line = PayoutLine.objects.filter(pk=pk, batch__in=PayoutBatch.objects.in_scope(request.scope)).first()
    if line is None:
        raise Http404("未找到该记录")
    form = LineResultForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("发放结果：请选择")
        services.record_line_result(line, form.cleaned_data["result"], by=request.user,
                                    reason=form.cleaned_data["reason"])  # fmt: skip
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("subsidies:batch_detail", pk=line.batch_id)


@staff_required
@permission_required(MANAGE_SUBSIDIES)
@require_POST
def batch_results(request, pk):
    """The bank's result file for the batch (all-or-nothing; the same file again changes nothing)."""
    batch = _batch(request, pk)
    form = BankResultForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError("回盘文件：请选择银行返回的 .xlsx 文件")
        summary = import_bank_results(batch, form.cleaned_data["file"], by=request.user)
        messages.success(request, summary.message)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("subsidies:batch_detail", pk=batch.pk)
