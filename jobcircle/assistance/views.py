"""The casework overview page, and what the seams' screens share: area filter, ledger export (masked, or
revealed with a reason). Each seam's screens are in ``<seam>/views.py``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from jobcircle.accounts.services import RateLimited
from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.scoping import region_in_scope_or_404
from jobcircle.common.audit import log_action
from jobcircle.common.exports import workbook_bytes
from jobcircle.common.web import query_without_page, staff_required
from jobcircle.people import services as people_services
from jobcircle.people.models import KeyGroup

from .cases import stats as case_stats
from .forms import RevealExportForm, month_from
from .ledgers import LEDGERS, export_residents, export_workbook
from .monitoring import stats as monitoring_stats
from .periods import add_months, month_end
from .services import today
from .stats import sub_areas
from .welfare import stats as welfare_stats
from .workshops import stats as workshop_stats

EXPORT_MAX_ROWS = 50_000
REVEAL_REFUSED = "导出完整身份证号需要相应权限并填写原因（至少4个字）。"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chosen_region(request):
    """The area the list shows: the scope's region, or a sub-area chosen with ?area= (404 outside the scope)."""
    return region_in_scope_or_404(request.scope, request.GET.get("area") or None)


def xlsx_download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def ledger_export(request, kind, rows):
    """A ledger view as Excel in its template's columns (SEC-22).

    - staff only (the views' guard), watermarked, audited with the row count and filters;
    - ID numbers masked; a POST with a reason (≥4 characters) exports them in full, for correcting and
      re-importing, through the one reveal door (people.services.reveal_residents_pii_for_export: the
      reveal permission per resident, the reveal ceiling, the reason audited) — never decrypted here.
    """
    rows = list(rows[: EXPORT_MAX_ROWS + 1])
    if len(rows) > EXPORT_MAX_ROWS:
        messages.error(request, f"导出结果超过{EXPORT_MAX_ROWS}行，请先按区划或条件缩小范围。")
        return redirect(f"{request.path}?{query_without_page(request)}")
    reveal, reason = None, ""
    if request.method == "POST":
        back = redirect(f"{request.path}?{query_without_page(request)}")
        form = RevealExportForm(request.POST)
        if not form.is_valid():
            messages.error(request, REVEAL_REFUSED)
            return back
        reason = form.cleaned_data["reason"]
        try:
            revealed = people_services.reveal_residents_pii_for_export(
                export_residents(kind, rows), by=request.user, scope=request.scope, fields=["id_number"], reason=reason,
                filters=query_without_page(request),
            )  # fmt: skip
        except (PermissionDenied, ValidationError):
            messages.error(request, REVEAL_REFUSED)
            return back
        except RateLimited as exc:
            messages.error(request, str(exc))
            return back

        def reveal(resident):
            return revealed[resident.pk]["id_number"] if resident.pk in revealed else resident.id_number_masked

    workbook = export_workbook(kind, rows, user=request.user, reveal=reveal)
    log_action(
        "assistance.ledger.exported",
        by=request.user,
        area_code=request.scope.area_prefix,
        data={"kind": kind, "rows": len(rows), "filters": query_without_page(request), "revealed": bool(reveal),
              "reason": reason},
    )  # fmt: skip
    return xlsx_download(workbook_bytes(workbook), f"{LEDGERS[kind].title}.xlsx")


@staff_required
def index(request):
    month, region = month_from(request.GET), chosen_region(request)
    on = today()
    context = {
        "area": region,
        "month": month,
        "previous_month": add_months(month, -1),
        "next_month": add_months(month, 1) if add_months(month, 1) <= on else None,
        "progress": monitoring_stats.monitoring_progress(region, month, on=on),
        "migration": monitoring_stats.out_migration(region, month),
        "coverage": case_stats.assistance_coverage(region, month),
        "cases": case_stats.case_figures(region),
        "welfare": welfare_stats.welfare_post_figures(region, month, month_end(month)),
        "workshops": workshop_stats.workshop_figures(region, month),
        "sub_areas": sub_areas(region) if region.level != RegionLevel.COMMUNITY else [],
        "key_groups": KeyGroup.objects.filter(is_active=True).values_list("code", "name"),
        "nav": "assistance",
    }
    return render(request, "assistance/index.html", context)
