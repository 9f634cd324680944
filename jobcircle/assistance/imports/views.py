"""Excel screens: templates, upload, the batch page with its progress bar, confirm, error workbook."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common.audit import log_action
from jobcircle.common.exports import workbook_bytes
from jobcircle.common.models import TaskProgress
from jobcircle.common.uploads import attachment_response
from jobcircle.common.web import staff_required
from jobcircle.people.models import Resident

from ..enums import ImportKind, ImportState
from ..forms import ImportForm
from ..ledgers import LEDGERS, template_workbook
from ..models import ImportBatch
from ..views import chosen_region, ledger_export, xlsx_download
from .services import confirm_import, submit_import


@staff_required
def import_list(request):
    """Upload a ledger (checked first, imported after confirmation) and see recent batches."""
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            batch = submit_import(by=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", "；".join(exc.messages))
        else:
            return redirect("assistance:import_detail", pk=batch.pk)
    batches = ImportBatch.objects.in_scope(request.scope).select_related("created_by")[:30]
    context = {"form": form, "batches": batches, "ledgers": LEDGERS.values(), "nav": "assistance"}
    return render(request, "assistance/import_list.html", context)


@staff_required
def import_detail(request, pk):
    batch = get_in_scope_or_404(ImportBatch.objects.select_related("progress", "duplicate_of"), request.scope, pk=pk)
    return render(request, "assistance/import_detail.html", {"batch": batch, "nav": "assistance"})


@staff_required
def import_progress(request, pk):
    """Polled by the batch page (assistance.js) to draw the progress bar."""
    batch = get_in_scope_or_404(ImportBatch.objects.all(), request.scope, pk=pk)
    progress = TaskProgress.objects.filter(pk=batch.progress_id).first()
    return JsonResponse({
        "state": batch.state, "state_label": batch.get_state_display(), "finished": batch.is_finished,
        "percent": progress.percent if progress else (100 if batch.is_finished else 0),
        "message": (progress.message if progress else "") or batch.message,
    })  # fmt: skip


@staff_required
@require_POST
def import_confirm(request, pk):
    batch = get_in_scope_or_404(ImportBatch.objects.all(), request.scope, pk=pk)
    if batch.created_by_id != request.user.pk:
        messages.error(request, "只能由上传人确认导入")
    else:
        try:
            confirm_import(batch, by=request.user)
        except ValueError as exc:
            messages.error(request, str(exc))
    return redirect("assistance:import_detail", pk=batch.pk)


@staff_required
def import_errors(request, pk):
    batch = get_in_scope_or_404(ImportBatch.objects.all(), request.scope, pk=pk)
    if batch.state != ImportState.REJECTED or not batch.error_file:
        raise Http404("该批次没有错误清单")
    return attachment_response(batch.error_file, f"错误清单-{batch.original_name}")


@staff_required
def template_download(request, kind):
    """An empty ledger template, with the viewer's communities listed for the 社区代码 column."""
    if kind not in ImportKind.values:
        raise Http404("没有这种台账")
    communities = Region.objects.current().in_area(request.scope.region).filter(level=RegionLevel.COMMUNITY)
    workbook = template_workbook(kind, communities=list(communities.select_related("parent__parent").order_by("code")))
    log_action("assistance.template.downloaded", by=request.user, data={"kind": kind})
    return xlsx_download(workbook_bytes(workbook), f"{LEDGERS[kind].title}模板.xlsx")


@staff_required
def resident_ledger(request):
    """The real-name ledger of a key group (重点群体实名台账) in the residents template's columns.

    GET exports masked ID numbers; POST with a reason exports them in full for correcting and re-importing.
    """
    residents = Resident.objects.in_scope(request.scope).in_area(chosen_region(request))
    if request.GET.get("key_group"):
        residents = residents.filter(key_groups__code=request.GET["key_group"])
    residents = residents.prefetch_related("key_groups").order_by("area_code", "id")
    return ledger_export(request, ImportKind.RESIDENTS, residents)
