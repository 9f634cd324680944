"""H5 创业服务: a resident's guarantee loans with their status and schedule, and the loan application."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobcircle.entrepreneurship import services
from jobcircle.entrepreneurship.eligibility import explain_loan
from jobcircle.entrepreneurship.forms import LoanApplyForm
from jobcircle.entrepreneurship.models import Loan, LoanPolicy
from jobcircle.people.models import Resident

from .resident import resident_required


def _me(request):
    return Resident.objects.get(pk=request.scope.resident_id)


def _policy():
    return LoanPolicy.objects.filter(code="personal", is_active=True).first()


@resident_required
def m_loans(request):
    me, policy = _me(request), _policy()
    loans = Loan.objects.in_scope(request.scope).prefetch_related("instalments", "transitions")
    checks = explain_loan(policy, me, amount=policy.cap_amount) if policy else []
    context = {"loans": loans, "policy": policy, "checks": checks, "form": LoanApplyForm(), "tab": "loans"}
    return render(request, "entrepreneurship/m_loans.html", context)


@resident_required
@require_POST
def m_loan_apply(request):
    form, policy = LoanApplyForm(request.POST), _policy()
    try:
        if policy is None or not form.is_valid():
            raise ValidationError([f"{form.fields[f].label}：{'；'.join(e)}" for f, e in form.errors.items()] or
                                  ["暂不受理创业担保贷款申请"])  # fmt: skip
        services.apply_for_loan(policy, _me(request), by=request.user, **form.cleaned_data)
        messages.success(request, "已提交创业担保贷款申请，请等待社区初审")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("portal:m_loans")
