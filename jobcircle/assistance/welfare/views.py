"""Public-welfare post screens: posts, placing a person, the placements ledger, exits, subsidies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common.web import add_service_errors, paginate, query_without_page, staff_required, xlsx_response
from jobcircle.people.models import Resident
from jobcircle.people.services import find_by_id_number

from ..enums import ImportKind
from ..forms import ExitForm, MonthForm, PlacementForm, RevealExportForm, WelfarePostForm, month_from
from ..models import WelfarePlacement, WelfarePost
from ..periods import month_end
from ..services import today
from ..views import chosen_region, ledger_export
from . import services, stats


@staff_required
def post_list(request):
    """Posts of the area with the month's figures (?month=, default this month: the dashboard's default
    period); ``?export=figures`` downloads the same figures."""
    month, region = month_from(request.GET), chosen_region(request)
    figures = stats.welfare_post_figures(region, month, month_end(month))
    if request.GET.get("export") == "figures":
        return xlsx_response(f"公益性岗位统计_{month:%Y-%m}.xlsx", f"公益性岗位 {month:%Y年%m月}", stats.SPLIT_COLUMNS,
                             stats.export_rows(figures), user=request.user)  # fmt: skip
    posts = (
        WelfarePost.objects.in_scope(request.scope)
        .in_area(region)
        .annotate(on_duty=Count("placements", filter=Q(placements__exited_on__isnull=True)))
        .select_related("community")
        .order_by("area_code", "code")
    )
    context = {
        "page_obj": paginate(request, posts), "query": query_without_page(request), "month": month,
        "figures": figures, "month_form": MonthForm(), "nav": "assistance",
    }  # fmt: skip
    return render(request, "assistance/post_list.html", context)


@staff_required
def post_create(request):
    form = WelfarePostForm(request.POST or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.create_welfare_post(by=request.user, data=form.cleaned_data, scope=request.scope)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记公益性岗位 {post.code}")
            return redirect("assistance:post_detail", pk=post.pk)
    return render(request, "assistance/post_form.html", {"form": form, "nav": "assistance"})


@staff_required
def post_detail(request, pk, placement_form=None):
    post = get_in_scope_or_404(WelfarePost.objects.select_related("community"), request.scope, pk=pk)
    context = {
        "post": post, "placements": post.placements.select_related("resident").order_by("exited_on", "-started_on"),
        "form": placement_form or PlacementForm(initial={"started_on": today()}),
        "exit_form": ExitForm(initial={"exited_on": today()}), "nav": "assistance",
    }  # fmt: skip
    return render(request, "assistance/post_detail.html", context)


@staff_required
@require_POST
def placement_add(request, pk):
    """Place a resident found by full ID number (blind index, inside the viewer's area)."""
    post = get_in_scope_or_404(WelfarePost.objects.all(), request.scope, pk=pk)
    form = PlacementForm(request.POST)
    if form.is_valid():
        try:
            resident = find_by_id_number(
                Resident.objects.in_scope(request.scope), form.cleaned_data["id_number"]
            ).first()
            if resident is None:
                raise ValidationError({"id_number": ["您的管辖范围内没有该身份证号的居民"]})
            services.place_on_welfare_post(post, resident, by=request.user, started_on=form.cleaned_data["started_on"],
                                           planned_end_on=form.cleaned_data["planned_end_on"])  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc, {"resident": "id_number", "post": "id_number"})
        else:
            messages.success(request, f"已安置 {resident.name} 上岗")
            return redirect("assistance:post_detail", pk=post.pk)
    return post_detail(request, pk, placement_form=form)


@staff_required
@require_POST
def placement_exit(request, pk):
    placement = get_in_scope_or_404(WelfarePlacement.objects.select_related("post"), request.scope, pk=pk)
    form = ExitForm(request.POST)
    if form.is_valid():
        try:
            services.exit_welfare_post(placement, by=request.user, exited_on=form.cleaned_data["exited_on"],
                                       reason=form.cleaned_data["exit_reason"])  # fmt: skip
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已登记离岗")
    else:
        messages.error(request, "请填写离岗日期和离岗原因")
    return redirect("assistance:post_detail", pk=placement.post_id)


@staff_required
def placement_list(request):
    """The placements ledger (公益性岗位安置台账) with its export in the import template's columns."""
    placements = (
        WelfarePlacement.objects.in_scope(request.scope)
        .in_area(chosen_region(request))
        .select_related("resident", "post")
        .order_by("area_code", "-started_on", "id")
    )
    if request.GET.get("active") == "1":
        placements = placements.active()
    if request.GET.get("export") == "xlsx" or request.method == "POST":
        return ledger_export(request, ImportKind.WELFARE_PLACEMENTS, placements)
    context = {"page_obj": paginate(request, placements, per_page=50), "query": query_without_page(request),
               "reveal_form": RevealExportForm(), "nav": "assistance"}  # fmt: skip
    return render(request, "assistance/placement_list.html", context)


@staff_required
@require_POST
def disburse(request):
    month = month_from(MonthForm(request.POST).data)
    try:
        result = services.disburse_welfare_subsidies(month, by=request.user, region=request.scope.region)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{month:%Y年%m月}岗位补贴：新拨付{result['payments']}笔，共{result['total']}元")
    return redirect("assistance:post_list")
