"""Staff screens for job fairs (招聘会): list with period statistics, one fair's report, QR code, Excel."""

import io

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common.exports import NUMBER, Column
from jobcircle.common.forms import TextRulesForm
from jobcircle.common.web import add_service_errors, paginate, staff_required, xlsx_response

from . import services
from .enums import ApplicationStatus, JobFairKind
from .forms import AssignmentForm, FairEmployerForm, FairForm, FairIntentionForm, RecommendationForm, VisitForm
from .models import FairAttendance, JobFair, LiaisonAssignment


class FairFilterForm(TextRulesForm):
    date_from = forms.DateField(label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *JobFairKind.choices])


def _filtered(request):
    form = FairFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    fairs = JobFair.objects.in_scope(request.scope).in_period(filters.get("date_from"), filters.get("date_to"))
    if filters.get("kind"):
        fairs = fairs.filter(kind=filters["kind"])
    return form, filters, fairs


def _fair_cell(name):
    """A fair's own column; blank on the total row."""
    return lambda r: name(r["fair"]) if r["fair"] is not None else ""


# 招聘会成效.xlsx: one row per fair, then the total row (合计) of the same fairs, where 家/人 are distinct
# over all of them while 家次/人次 add up (recruiting.services.fair_figures).
REPORT_COLUMNS = [
    Column("招聘会", lambda r: r["fair"].name if r["fair"] is not None else f"合计（{r['fairs']}场）", width=30),
    Column("类型", _fair_cell(lambda fair: fair.get_kind_display())),
    Column("开始时间", _fair_cell(lambda fair: f"{fair.starts_at:%Y-%m-%d %H:%M}"), width=18),
    Column("地点/直播", _fair_cell(lambda fair: fair.venue or fair.stream_link), width=30),
    Column("参会企业（家次）", lambda r: r["enterprise_visits"], kind=NUMBER),
    Column("参会企业（家）", lambda r: r["enterprises"], kind=NUMBER),
    Column("提供岗位（个）", lambda r: r["positions"], kind=NUMBER),
    Column("签到（人次）", lambda r: r["attendees"], kind=NUMBER),
    Column("签到（人）", lambda r: r["attendee_people"], kind=NUMBER),
    Column("达成就业意向（人次）", lambda r: r["intention_visits"], kind=NUMBER),
    Column("达成就业意向（人）", lambda r: r["intentions"], kind=NUMBER),
    Column("录用人数", lambda r: r["hires"], kind=NUMBER),
]
EXPORT_MAX_FAIRS = 2000


@staff_required
def fair_list(request):
    form, filters, fairs = _filtered(request)
    stats = services.fair_statistics(
        request.scope.region, filters.get("date_from"), filters.get("date_to"), filters.get("kind") or None
    )
    context = {"form": form, "fairs": fairs[:200], "stats": stats, "nav": "fairs", "query": request.GET.urlencode()}
    return render(request, "recruiting/fair_list.html", context)


@staff_required
def fair_export(request):
    _form, _filters, fairs = _filtered(request)
    chosen = list(fairs[:EXPORT_MAX_FAIRS])
    rows = [{"fair": fair, **services.fair_report(fair)} for fair in chosen]
    rows.append({"fair": None, **services.fair_figures(JobFair.objects.filter(pk__in=[f.pk for f in chosen]))})
    return xlsx_response("招聘会成效.xlsx", "招聘会成效", REPORT_COLUMNS, rows, user=request.user)


def _fair(request, pk):
    return get_in_scope_or_404(JobFair.objects.all(), request.scope, pk=pk)


@staff_required
def fair_create(request):
    return _fair_form(request, None)


@staff_required
def fair_edit(request, pk):
    return _fair_form(request, _fair(request, pk))


def _fair_form(request, fair):
    initial = FairForm.initial_for(fair) if fair else {}
    form = FairForm(request.POST or None, scope=request.scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if fair is None:
                fair = services.create_job_fair(by=request.user, scope=request.scope, data=form.cleaned_data)
            else:
                fair = services.update_job_fair(fair, by=request.user, scope=request.scope, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存招聘会 {fair.name}")
            return redirect("recruiting:fair_detail", pk=fair.pk)
    return render(request, "recruiting/fair_form.html", {"form": form, "fair": fair, "nav": "fairs"})


@staff_required
def fair_detail(request, pk):
    fair = _fair(request, pk)
    participants = fair.participants.select_related("employer").prefetch_related("jobs")
    context = {"fair": fair, "report": services.fair_report(fair), "participants": participants, "nav": "fairs",
               "sign_in_url": _sign_in_url(request, fair), "attendances": _attendances(fair),
               "intention_form": FairIntentionForm(fair=fair, scope=request.scope)}  # fmt: skip
    return render(request, "recruiting/fair_detail.html", context)


def _attendances(fair):
    return FairAttendance.objects.filter(fair=fair).select_related("resident").order_by("-signed_in_at", "-id")


@staff_required
def fair_sign_ins(request, pk):
    """The live sign-in list (签到名单), polled by the fair page every few seconds while the fair is open."""
    fair = _fair(request, pk)
    context = {"fair": fair, "attendances": _attendances(fair), "report": services.fair_report(fair)}
    return render(request, "recruiting/_fair_sign_ins.html", context)


@staff_required
def fair_add_employer(request, pk):
    fair = _fair(request, pk)
    form = FairEmployerForm(request.POST or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_fair_employer(
                fair, data["employer"], by=request.user, scope=request.scope, jobs=data["jobs"], booth=data["booth"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"employer_id": "employer", "job_ids": "jobs"})
        else:
            messages.success(request, f"已登记参会企业 {data['employer'].name}")
            return redirect("recruiting:fair_detail", pk=fair.pk)
    return render(request, "recruiting/fair_employer_form.html", {"form": form, "fair": fair, "nav": "fairs"})


@staff_required
@require_POST
def fair_intention(request, pk):
    fair = _fair(request, pk)
    form = FairIntentionForm(request.POST, fair=fair, scope=request.scope)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_fair_intention(
                fair, data["resident"], data["job"], by=request.user, scope=request.scope, note=data["note"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已登记 {data['resident'].name} 对 {data['job'].title} 的就业意向")
    else:
        messages.error(request, "；".join(f"{form.fields[k].label}：{e[0]}" for k, e in form.errors.items()))
    return redirect("recruiting:fair_detail", pk=fair.pk)


@staff_required
@require_POST
def fair_close(request, pk):
    fair = services.close_job_fair(_fair(request, pk), by=request.user, scope=request.scope)
    messages.success(request, f"招聘会 {fair.name} 已结束签到")
    return redirect("recruiting:fair_detail", pk=fair.pk)


@staff_required
def fair_qr(request, pk):
    fair = _fair(request, pk)
    buffer = io.BytesIO()
    segno.make(_sign_in_url(request, fair), error="m").save(buffer, kind="svg", scale=8, border=2, title=fair.name)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@staff_required
def fair_poster(request, pk):
    """A printable poster (A4): the fair's name, time, place and its sign-in QR code."""
    fair = _fair(request, pk)
    context = {"fair": fair, "sign_in_url": _sign_in_url(request, fair)}
    return render(request, "recruiting/fair_poster.html", context)


def _sign_in_url(request, fair):
    return request.build_absolute_uri(reverse("portal:m_fair_sign_in", args=[fair.sign_in_token]))


@staff_required
def application_funnel(request):
    """招聘漏斗: applications to jobs in the officer's area by state, for a period of application dates."""
    form = FairFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    counts = services.funnel(request.scope.region, filters.get("date_from"), filters.get("date_to"))
    rows = [(label, counts[value]) for value, label in ApplicationStatus.choices]
    context = {"form": form, "rows": rows, "total": counts["total"], "nav": "fairs"}
    return render(request, "recruiting/funnel.html", context)


# ── Liaison officers (人社服务专员): assignments (包保企业), visits (走访记录), recommendations ──────


@staff_required
def liaison_list(request):
    form = FairFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    assignments = LiaisonAssignment.objects.in_scope(request.scope).select_related("officer", "employer")
    if not request.GET.get("all"):
        assignments = assignments.active()
    stats = services.liaison_statistics(request.scope.region, filters.get("date_from"), filters.get("date_to"))
    context = {"form": form, "page_obj": paginate(request, assignments), "stats": stats, "nav": "fairs",
               "show_all": bool(request.GET.get("all"))}  # fmt: skip
    return render(request, "recruiting/liaison_list.html", context)


@staff_required
def liaison_assign(request):
    form = AssignmentForm(request.POST or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.assign_liaison_officer(
                data["officer"], data["employer"], by=request.user, scope=request.scope, started_on=data["started_on"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"officer_id": "officer", "employer_id": "employer"})
        else:
            messages.success(request, f"已为 {assignment.employer.name} 配备人社服务专员 {assignment.officer.username}")
            return redirect("recruiting:liaison_detail", pk=assignment.pk)
    return render(request, "recruiting/liaison_form.html", {"form": form, "nav": "fairs"})


def _assignment(request, pk):
    qs = LiaisonAssignment.objects.select_related("officer", "employer")
    return get_in_scope_or_404(qs, request.scope, pk=pk)


@staff_required
def liaison_detail(request, pk, visit_form=None, recommendation_form=None):
    assignment = _assignment(request, pk)
    context = {
        "assignment": assignment, "nav": "fairs",
        "visits": assignment.visits.select_related("recorded_by"),
        "recommendations": assignment.recommendations.select_related("resident", "job"),
        "visit_form": visit_form or VisitForm(initial={"visited_on": timezone.localdate()}),
        "recommendation_form": recommendation_form or RecommendationForm(scope=request.scope, assignment=assignment),
    }  # fmt: skip
    return render(request, "recruiting/liaison_detail.html", context)


@staff_required
@require_POST
def liaison_visit(request, pk):
    assignment = _assignment(request, pk)
    form = VisitForm(request.POST)
    if form.is_valid():
        try:
            services.record_liaison_visit(assignment, by=request.user, scope=request.scope, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已记录走访")
            return redirect("recruiting:liaison_detail", pk=assignment.pk)
    return liaison_detail(request, pk, visit_form=form)


@staff_required
@require_POST
def liaison_recommend(request, pk):
    assignment = _assignment(request, pk)
    form = RecommendationForm(request.POST, scope=request.scope, assignment=assignment)
    if form.is_valid():
        data = form.cleaned_data
        try:
            _rec, created = services.recommend_candidate(
                assignment, data["resident"], by=request.user, scope=request.scope, job=data["job"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"resident_id": "resident", "job_id": "job"})
        else:
            messages.success(request, "已推荐" if created else "此前已推荐过该居民，未重复记录")
            return redirect("recruiting:liaison_detail", pk=assignment.pk)
    return liaison_detail(request, pk, recommendation_form=form)


@staff_required
@require_POST
def liaison_end(request, pk):
    assignment = services.end_liaison_assignment(_assignment(request, pk), by=request.user, scope=request.scope)
    messages.success(request, f"已结束对 {assignment.employer.name} 的包保")
    return redirect("recruiting:liaison_detail", pk=assignment.pk)
