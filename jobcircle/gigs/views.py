"""Back office: 零工看板, a gig's sign-ups, 零工驿站 and their walk-in register (with the station's QR code),
共享用工协议, and the figures. Every list and object goes through the caller's scope."""

import io

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobcircle.accounts.permissions import CASEWORK
from jobcircle.areas.models import ServiceStation
from jobcircle.areas.scoping import get_in_scope_or_404, region_in_scope_or_404
from jobcircle.assistance.periods import month_end, month_start, parse_month
from jobcircle.common.web import add_service_errors, paginate, permission_required, staff_required
from jobcircle.people.models import Resident

from . import checkin, services, sharing, stats
from .enums import AgreementStatus, GigStatus, WalkInPurpose
from .forms import AGREEMENT_FIELD_MAP, AgreementForm
from .models import Gig, GigSignup, GigStation, SharingAgreement, SharingOffer

NAV = {"nav": "gigs"}


def _errors(request, exc):
    messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))


@staff_required
def board(request):
    """零工看板: the area's gigs, newest first, with places taken and sign-ups waiting."""
    gigs = services.board(Gig.objects.in_scope(request.scope)).select_related("occupation", "gig_station__station")
    status = request.GET.get("status") or ""
    if status in GigStatus.values:
        gigs = gigs.filter(status=status)
    context = {**NAV, "page_obj": paginate(request, gigs.order_by("-starts_at", "-id")), "status": status,
               "statuses": GigStatus.choices}  # fmt: skip
    return render(request, "gigs/board.html", context)


@staff_required
def gig_detail(request, pk):
    gig = get_in_scope_or_404(Gig.objects.select_related("occupation", "employer", "gig_station__station"),
                              request.scope, pk=pk)  # fmt: skip
    signups = GigSignup.objects.filter(gig=gig).select_related("worker").order_by("created_at", "id")
    context = {**NAV, "gig": gig, "signups": signups, "transitions": gig.transitions.all()}
    return render(request, "gigs/gig_detail.html", context)


STAFF_MOVES = {"approve": "open", "cancel": "cancelled"}
SIGNUP_MOVES = {"confirm": "confirmed", "decline": "declined", "check_in": "checked_in", "check_out": "checked_out",
                "no_show": "no_show"}  # fmt: skip


@staff_required
@require_POST
def gig_action(request, pk):
    gig = get_in_scope_or_404(Gig.objects.all(), request.scope, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action not in STAFF_MOVES:
            raise ValidationError("无效的操作")
        services.transition_gig(gig, STAFF_MOVES[action], by=request.user, scope=request.scope,
                                reason=request.POST.get("reason", ""))  # fmt: skip
        messages.success(request, "已处理")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("gigs:gig_detail", pk=gig.pk)


@staff_required
@require_POST
def signup_action(request, pk):
    signup = get_in_scope_or_404(GigSignup.objects.select_related("gig"), request.scope, pk=pk)
    action, text = request.POST.get("action", ""), request.POST.get("text", "")
    try:
        if action in SIGNUP_MOVES:
            services.transition_signup(signup, SIGNUP_MOVES[action], by=request.user, scope=request.scope)
        elif action == "complete":
            services.complete_signup(signup, by=request.user, scope=request.scope, data=request.POST.dict())
        elif action == "resolve":
            services.resolve_dispute(signup, by=request.user, scope=request.scope, resolution=text)
        else:
            raise ValidationError("无效的操作")
        messages.success(request, "已处理")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("gigs:gig_detail", pk=signup.gig_id)


@staff_required
def station_list(request):
    """零工驿站 of the area, and the service stations that could become one."""
    stations = GigStation.objects.in_scope(request.scope).select_related("station").order_by("area_code", "id")
    candidates = ServiceStation.objects.in_scope(request.scope).filter(gig_station__isnull=True).order_by("name")
    if request.method == "POST":
        station = get_in_scope_or_404(ServiceStation.objects.all(), request.scope, pk=request.POST.get("station"))
        try:
            services.open_gig_station(station, by=request.user, scope=request.scope,
                                      data={"hours": request.POST.get("hours", "")})  # fmt: skip
            messages.success(request, f"{station.name} 已设为零工驿站")
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        return redirect("gigs:station_list")
    return render(request, "gigs/station_list.html", {**NAV, "stations": stations, "candidates": candidates})


@staff_required
def station_detail(request, pk):
    """A station's walk-in register (来访登记) and its check-in QR code."""
    station = get_in_scope_or_404(GigStation.objects.select_related("station"), request.scope, pk=pk)
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("visitor_name", "purpose", "note")}
        resident_id = request.POST.get("resident_id") or ""
        if resident_id:
            data["resident"] = get_in_scope_or_404(Resident.objects, request.scope, pk=resident_id)
        try:
            services.record_walk_in(station, by=request.user, scope=request.scope, data=data)
            messages.success(request, "已登记来访")
            return redirect("gigs:station_detail", pk=station.pk)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
    walk_ins = station.walk_ins.select_related("resident").order_by("-visited_at", "-id")
    context = {**NAV, "station": station, "page_obj": paginate(request, walk_ins), "purposes": WalkInPurpose.choices,
               "gigs": services.board(station.gigs.filter(status__in=(GigStatus.OPEN, GigStatus.FULL)))}  # fmt: skip
    return render(request, "gigs/station_detail.html", context)


def qr_response(url, title):
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, title=title)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"  # the code expires: never cached
    return response


@staff_required
def station_qr(request, pk):
    """The station's check-in QR (签到码), valid for checkin.MAX_AGE: the screen reloads it."""
    station = get_in_scope_or_404(GigStation.objects.select_related("station"), request.scope, pk=pk)
    url = request.build_absolute_uri(reverse("portal:m_gig_check", args=[checkin.station_code(station)]))
    return qr_response(url, f"{station.station.name}零工签到")


@staff_required
def agreement_list(request):
    agreements = SharingAgreement.objects.in_scope(request.scope).select_related("lender", "borrower")
    context = {**NAV, "page_obj": paginate(request, agreements.order_by("-start_date", "-id"))}
    return render(request, "gigs/agreement_list.html", context)


@permission_required(CASEWORK)
def agreement_new(request):
    """草拟共享用工协议 from an offer and a need (the API's draft_agreement); ``?offer=`` lists its people."""
    offer = request.GET.get("offer")
    if offer:  # another area's offer (or none) is 404, as everywhere
        offer = get_in_scope_or_404(SharingOffer.objects.all(), request.scope, pk=offer).pk
    form = AgreementForm(request.POST or None, scope=request.scope, initial={"offer": offer})
    if request.method == "POST" and form.is_valid():
        try:
            agreement = sharing.draft_agreement(by=request.user, scope=request.scope, data=form.service_data())
            messages.success(request, "已草拟协议，核对后发送员工本人确认")
            return redirect("gigs:agreement_detail", pk=agreement.pk)
        except ValidationError as exc:
            add_service_errors(form, exc, AGREEMENT_FIELD_MAP)
    return render(request, "gigs/agreement_form.html", {**NAV, "form": form})


@staff_required
def agreement_detail(request, pk):
    agreement = get_in_scope_or_404(SharingAgreement.objects.select_related("lender", "borrower"), request.scope, pk=pk)
    if request.method == "POST":
        try:
            sharing.transition_agreement(agreement, request.POST.get("to", ""), by=request.user, scope=request.scope,
                                         reason=request.POST.get("reason", ""))  # fmt: skip
            messages.success(request, "已更新协议状态")
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        return redirect("gigs:agreement_detail", pk=agreement.pk)
    targets = [(s, AgreementStatus(s).label) for s in sharing.AGREEMENT_WORKFLOW.targets(agreement.status)]
    context = {**NAV, "agreement": agreement, "workers": agreement.workers.select_related("resident"),
               "targets": targets, "transitions": agreement.transitions.all()}  # fmt: skip
    return render(request, "gigs/agreement_detail.html", context)


@staff_required
def figures(request):
    """零工与共享员工统计 for an area and a month, by station (the registry's periods: 统计口径 screen)."""
    region = region_in_scope_or_404(request.scope, request.GET.get("area"))
    month = month_start(timezone.localdate())
    if request.GET.get("month"):
        try:
            month = parse_month(request.GET["month"])
        except ValidationError as exc:
            _errors(request, exc)
    start, end = month, month_end(month)
    context = {**NAV, "region": region, "month": month, "gigs": stats.gig_figures(region, start, end),
               "sharing": stats.sharing_figures(region, start, end),
               "stations": stats.by_station(region, start, end)}  # fmt: skip
    return render(request, "gigs/figures.html", context)
