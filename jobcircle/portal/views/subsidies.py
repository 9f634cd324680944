"""H5 我可以申请的补贴: each policy with the explanation; apply, decline (谢绝) or give a bank account."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.employers.models import Employer
from jobcircle.people.models import Resident
from jobcircle.subsidies import services
from jobcircle.subsidies.enums import ApplicationStatus
from jobcircle.subsidies.models import Policy, SubsidyApplication

from .employer import employer_required
from .resident import resident_required


def _me(request):
    return Resident.objects.get(pk=request.scope.resident_id)


def _period():
    return str(timezone.localdate().year)


@resident_required
def m_subsidies(request):
    offers = services.offers_for(_me(request), _period())
    return render(request, "subsidies/m_offers.html", {"offers": offers, "period": _period(), "tab": "applications"})


def _apply(request, code, kind, beneficiary, back):
    """Apply for the policy ``code`` of ``kind`` for one's own record (the rule checks it; refusals are shown)."""
    policy = Policy.objects.filter(code=code, is_active=True, beneficiary_kind=kind).first()
    if policy is None:
        raise Http404("未找到该政策")
    try:
        services.submit_application(policy, beneficiary, _period(), by=request.user, scope=request.scope,
                                    bank_name=request.POST.get("bank_name", ""),
                                    bank_account=request.POST.get("bank_account", ""))  # fmt: skip
        messages.success(request, f"已提交{policy.name}申请，请等待审核")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(back)


@resident_required
@require_POST
def m_subsidy_apply(request, code):
    return _apply(request, code, "person", _me(request), "portal:m_subsidies")


@resident_required
@require_POST
def m_subsidy_decline(request, pk):
    application = get_in_scope_or_404(SubsidyApplication.objects.all(), request.scope, pk=pk)
    try:
        services.move_application(
            application, ApplicationStatus.WITHDRAWN, by=request.user, scope=request.scope, reason="本人谢绝"
        )
        messages.success(request, "已谢绝该补贴")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("portal:m_subsidies")


@resident_required
@require_POST
def m_subsidy_bank(request, pk):
    application = get_in_scope_or_404(SubsidyApplication.objects.all(), request.scope, pk=pk)
    try:
        services.give_bank_account(application, by=request.user, scope=request.scope,
                                   bank_name=request.POST.get("bank_name", ""),
                                   account=request.POST.get("bank_account", ""))  # fmt: skip
        messages.success(request, "已保存收款账号")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("portal:m_subsidies")


# --- employer portal: the employer policies (list with the explanation, apply) ---------------------------------


def _my_employer(request):
    return Employer.objects.get(pk=request.scope.employer_id)


@employer_required
def employer_subsidies(request):
    offers = services.offers_for(_my_employer(request), _period())
    return render(request, "subsidies/employer_offers.html", {"offers": offers, "period": _period()})


@employer_required
@require_POST
def employer_subsidy_apply(request, code):
    return _apply(request, code, "employer", _my_employer(request), "portal:employer_subsidies")
