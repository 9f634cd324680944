"""The 审计管理员's screen: the audit log (read-only; every read audited) and the hash-chain check.

It lives in accounts (not common) because it is a duty of the permission matrix (READ_AUDIT_LOG,
SEC-08) and common sits below accounts (issue 21, docs/decisions/layers-and-areas.md).
"""

from django.contrib import messages
from django.db.models import Max
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from jobcircle.common import audit
from jobcircle.common.forms import AUDIT_EXPORT_COLUMNS, AuditFilterForm
from jobcircle.common.models import AuditEvent
from jobcircle.common.web import paginate, permission_required, query_without_page, xlsx_response

from .permissions import READ_AUDIT_LOG

EXPORT_MAX_ROWS = 50_000


@permission_required(READ_AUDIT_LOG)
@require_safe
def event_list(request):
    form = AuditFilterForm(request.GET)
    filters = form.filters()
    events = audit.search(**filters).select_related("actor")
    if request.GET.get("export") == "xlsx":
        return _export(request, events, filters)
    # Pages are cut from the log as it stood at the first page (``upto``): reading writes events itself.
    upto = _anchor(request.GET.get("upto")) or AuditEvent.objects.aggregate(top=Max("id"))["top"] or 0
    page = paginate(request, events.filter(id__lte=upto), per_page=50)
    audit.log_read(by=request.user, filters={**filters, "page": page.number}, rows=len(page.object_list))
    context = {
        "form": form, "page_obj": page, "page_anchor": {"upto": upto}, "query": query_without_page(request),
        "nav": "audit",
    }  # fmt: skip
    return render(request, "common/audit_event_list.html", context)


def _anchor(value) -> int | None:
    """The ``upto`` of a page link: a positive id, anything else is ignored."""
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def _export(request, events, filters):
    """The filtered log as a watermarked workbook; the export is audited like a read (SEC-12)."""
    rows = list(events[: EXPORT_MAX_ROWS + 1])
    if len(rows) > EXPORT_MAX_ROWS:
        messages.error(request, f"导出结果超过{EXPORT_MAX_ROWS}行，请先按日期或动作缩小范围。")
        return redirect(f"{request.path}?{query_without_page(request)}")
    audit.log_read(by=request.user, filters=filters, rows=len(rows), exported=True)
    return xlsx_response("审计日志.xlsx", "审计日志", AUDIT_EXPORT_COLUMNS, rows, user=request.user)


@permission_required(READ_AUDIT_LOG)
@require_safe
def verify(request):
    """Walk the whole chain (as ``manage.py verify_audit_chain`` does) and show OK or the first broken row."""
    checked, broken_id, reason = audit.verify_chain_audited(by=request.user)
    broken = AuditEvent.objects.filter(pk=broken_id).select_related("actor").first() if broken_id else None
    context = {"checked": checked, "broken_id": broken_id, "broken": broken, "reason": reason, "nav": "audit"}
    return render(request, "common/audit_verify.html", context)
