"""What the casework screens share: area filter, ledger export (masked, or revealed with a reason)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from jobcircle.accounts.permissions import REVEAL_PII, has_permission
from jobcircle.areas.scoping import area_prefix_in_scope_or_404
from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.common.exports import workbook_bytes
from jobcircle.common.web import query_without_page

from ..forms import RevealExportForm
from ..ledgers import LEDGERS, export_workbook

EXPORT_MAX_ROWS = 50_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chosen_prefix(request):
    """The area the list shows: the scope, or a sub-area chosen with ?area= (404 outside the scope)."""
    return area_prefix_in_scope_or_404(request.scope, request.GET.get("area") or None)


def xlsx_download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def ledger_export(request, kind, rows):
    """A ledger view as Excel in its template's columns (SEC-22).

    - staff only (the views' guard), watermarked, audited with the row count and filters;
    - ID numbers masked; a POST with a reason (≥4 characters) from a role holding the reveal
      permission exports them in full, for correcting and re-importing — the reason is audited.
    """
    rows = list(rows[: EXPORT_MAX_ROWS + 1])
    if len(rows) > EXPORT_MAX_ROWS:
        messages.error(request, f"导出结果超过{EXPORT_MAX_ROWS}行，请先按区划或条件缩小范围。")
        return redirect(f"{request.path}?{query_without_page(request)}")
    reveal, reason = None, ""
    if request.method == "POST":
        form = RevealExportForm(request.POST)
        if not has_permission(request.user, REVEAL_PII) or not form.is_valid():
            messages.error(request, "导出完整身份证号需要相应权限并填写原因（至少4个字）。")
            return redirect(f"{request.path}?{query_without_page(request)}")
        reason = form.cleaned_data["reason"]

        def reveal(resident):
            if pii.can_view_pii(request.user, request.scope, resident):
                return pii.decrypt(resident.id_number_encrypted)
            return resident.id_number_masked

    workbook = export_workbook(kind, rows, user=request.user, reveal=reveal)
    log_action(
        "assistance.ledger.exported",
        by=request.user,
        area_code=request.scope.area_prefix,
        data={"kind": kind, "rows": len(rows), "filters": query_without_page(request), "revealed": bool(reveal),
              "reason": reason},
    )  # fmt: skip
    return xlsx_download(workbook_bytes(workbook), f"{LEDGERS[kind].title}.xlsx")
