"""Back-office screens for residents: list, search, export, detail with history, reveal, create, edit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobcircle.accounts.services import RateLimited
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.common.models import AuditEvent
from jobcircle.common.web import add_service_errors, paginate, query_without_page, staff_required, xlsx_response

from . import services
from .forms import EXPORT_COLUMNS, IdLookupForm, ResidentFilterForm, ResidentForm, RevealForm
from .models import Resident

EXPORT_MAX_ROWS = 50_000


@staff_required
def resident_list(request):
    """Residents in the viewer's area with filters, sorting, pagination and export of the filtered list."""
    form = ResidentFilterForm(request.GET, scope=request.scope)
    residents = form.filter(Resident.objects.in_scope(request.scope)).select_related("community")
    if request.GET.get("export") == "xlsx":
        return _export(request, residents)
    page = paginate(request, residents.prefetch_related("key_groups"))
    context = {"form": form, "page_obj": page, "query": query_without_page(request), "lookup_form": IdLookupForm()}
    return render(request, "people/resident_list.html", {**context, "nav": "residents"})


def _export(request, residents):
    rows = list(residents.prefetch_related("key_groups")[: EXPORT_MAX_ROWS + 1])
    if len(rows) > EXPORT_MAX_ROWS:
        messages.error(request, f"导出结果超过{EXPORT_MAX_ROWS}行，请先按区划或条件缩小范围。")
        return redirect(f"{request.path}?{query_without_page(request)}")
    log_action("people.resident.exported", by=request.user, area_code=request.scope.area_prefix,
               data={"rows": len(rows), "filters": query_without_page(request)})  # fmt: skip
    return xlsx_response("居民名单.xlsx", "居民名单", EXPORT_COLUMNS, rows, user=request.user)


@staff_required
@require_POST
def resident_lookup(request):
    """Find one resident by full ID number through the blind index; the number never enters a URL."""
    form = IdLookupForm(request.POST)
    if form.is_valid():
        try:
            found = services.find_by_id_number(Resident.objects.in_scope(request.scope), form.cleaned_data["id_number"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("people:resident_list")
        resident = found.first()
        if resident is not None:
            return redirect("people:resident_detail", pk=resident.pk)
    messages.warning(request, "您的管辖范围内没有该身份证号的居民。可以点击“登记居民”为其登记。")
    return redirect("people:resident_list")


@staff_required
def resident_detail(request, pk):
    return _render_detail(request, pk, RevealForm())


@staff_required
@require_POST
def resident_reveal(request, pk):
    """The detail page once more, with the full ID number or phone shown for a typed reason (audited).

    Answered straight from the POST: the values go into no URL, session or cache (no-store).
    """
    resident = get_in_scope_or_404(Resident.objects.all(), request.scope, pk=pk)
    form = RevealForm(request.POST)
    revealed, status = {}, 200
    if form.is_valid():
        try:
            revealed = services.reveal_resident_pii(
                resident,
                by=request.user,
                scope=request.scope,
                fields=form.cleaned_data["what"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"fields": "what"})
        except RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
    return _render_detail(request, pk, form, revealed, status=status)


def _render_detail(request, pk, reveal_form, revealed=None, status=200):
    queryset = Resident.objects.select_related("community__parent", "intention").prefetch_related(
        "key_groups", "occupations", "status_history__recorded_by", "intention__occupations"
    )
    resident = get_in_scope_or_404(queryset, request.scope, pk=pk)
    context = {
        "resident": resident,
        "can_reveal": pii.can_view_pii(request.scope, resident),
        "reveal_form": reveal_form,
        "revealed": revealed or {},
        "applications": resident.applications.select_related("job__employer").order_by("-created_at")[:50],
        "placements": resident.placements.select_related("employer", "job").order_by("-started_on"),
        "key_group_changes": services.key_group_history(resident),
        "events": AuditEvent.objects.filter(object_type="people.resident", object_id=str(resident.pk))
        .select_related("actor")
        .order_by("-id")[:50],
        "nav": "residents",
    }
    return render(request, "people/resident_detail.html", context, status=status)


@staff_required
def resident_create(request):
    form = ResidentForm(request.POST or None, scope=request.scope, initial={"community_code": request.GET.get("c")})
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.register_resident(by=request.user, scope=request.scope, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "community_code"})
        else:
            # the form has no point: a community without a station is placed by a stand-in, whose warning
            # comes with the ID document's (people.services.home_point)
            for warning in resident.registration_warnings:
                messages.warning(request, warning)
            messages.success(request, f"已登记居民 {resident}")
            return redirect("people:resident_detail", pk=resident.pk)
    return render(request, "people/resident_form.html", {"form": form, "nav": "residents"})


@staff_required
def resident_edit(request, pk):
    resident = get_in_scope_or_404(Resident.objects.all(), request.scope, pk=pk)
    form = ResidentForm(
        request.POST or None, scope=request.scope, instance=resident, initial=ResidentForm.initial_for(resident)
    )
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.update_resident(resident, by=request.user, scope=request.scope, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "community_code"})
        else:
            for warning in updated.registration_warnings:  # e.g. moved to a community without a station
                messages.warning(request, warning)
            messages.success(request, "已保存修改")
            return redirect("people:resident_detail", pk=resident.pk)
    return render(request, "people/resident_form.html", {"form": form, "resident": resident, "nav": "residents"})
