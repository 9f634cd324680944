"""The 审计管理员's screen: the audit log (read-only; every read audited) and the hash-chain check."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from jobcircle.accounts.permissions import READ_AUDIT_LOG

from . import audit
from .forms import AuditFilterForm
from .models import AuditEvent
from .web import paginate, permission_required, query_without_page


@permission_required(READ_AUDIT_LOG)
@require_safe
def event_list(request):
    form = AuditFilterForm(request.GET)
    filters = form.filters()
    page = paginate(request, audit.search(**filters).select_related("actor"), per_page=50)
    audit.log_read(by=request.user, filters={**filters, "page": page.number}, rows=len(page.object_list))
    context = {"form": form, "page_obj": page, "query": query_without_page(request), "nav": "audit"}
    return render(request, "common/audit_event_list.html", context)


@permission_required(READ_AUDIT_LOG)
@require_safe
def verify(request):
    """Walk the whole chain (as ``manage.py verify_audit_chain`` does) and show OK or the first broken row."""
    checked, broken_id, reason = audit.verify_chain_audited(by=request.user)
    broken = AuditEvent.objects.filter(pk=broken_id).select_related("actor").first() if broken_id else None
    context = {"checked": checked, "broken_id": broken_id, "broken": broken, "reason": reason, "nav": "audit"}
    return render(request, "common/audit_verify.html", context)
