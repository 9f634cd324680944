"""Back-office screens for employers and jobs: lists with filters and export, detail, create, edit, status."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobcircle.accounts.permissions import CASEWORK
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.areas.stations import stand_in_warnings
from jobcircle.common.audit import log_action
from jobcircle.common.models import AuditEvent
from jobcircle.common.web import (
    add_service_errors,
    paginate,
    permission_required,
    query_without_page,
    staff_required,
    xlsx_response,
)

from . import services
from .enums import JobStatus
from .forms import (
    EMPLOYER_EXPORT_COLUMNS,
    JOB_EXPORT_COLUMNS,
    EmployerFilterForm,
    EmployerForm,
    EmployerStatusForm,
    JobFilterForm,
    JobForm,
    JobReviewForm,
    JobStatusForm,
)  # fmt: skip
from .models import Employer, Job

EXPORT_MAX_ROWS = 50_000


def _history(obj):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")


def _export(request, queryset, name, columns, action):
    rows = list(queryset[: EXPORT_MAX_ROWS + 1])
    if len(rows) > EXPORT_MAX_ROWS:
        messages.error(request, f"导出结果超过{EXPORT_MAX_ROWS}行，请先按区划或条件缩小范围。")
        return redirect(f"{request.path}?{query_without_page(request)}")
    log_action(action, by=request.user, area_code=request.scope.area_prefix,
               data={"rows": len(rows), "filters": query_without_page(request)})  # fmt: skip
    return xlsx_response(f"{name}.xlsx", name, columns, rows, user=request.user)


@staff_required
def employer_list(request):
    form = EmployerFilterForm(request.GET, scope=request.scope)
    employers = form.filter(Employer.objects.in_scope(request.scope)).select_related("community", "industry")
    if request.GET.get("export") == "xlsx":
        return _export(request, employers, "用工单位名单", EMPLOYER_EXPORT_COLUMNS, "employers.employer.exported")
    context = {"form": form, "page_obj": paginate(request, employers), "nav": "employers"}
    return render(request, "employers/employer_list.html", context)


@staff_required
def employer_detail(request, pk):
    employer = get_in_scope_or_404(
        Employer.objects.select_related("community__parent", "industry"), request.scope, pk=pk
    )
    context = {
        "employer": employer,
        "jobs": employer.jobs.select_related("occupation").order_by("-valid_from", "id")[:100],
        "events": _history(employer).order_by("-id")[:50],
        "status_form": EmployerStatusForm(initial={"status": employer.status}),
        "status_changes": employer.transitions.select_related("by")[:20],
        "nav": "employers",
    }
    return render(request, "employers/employer_detail.html", context)


@staff_required
@require_POST
def employer_status(request, pk):
    employer = get_in_scope_or_404(Employer.objects.all(), request.scope, pk=pk)
    form = EmployerStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择有效的单位状态")
        services.transition_employer(
            employer,
            form.cleaned_data["status"],
            by=request.user,
            scope=request.scope,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "单位状态已更新")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("employers:employer_detail", pk=employer.pk)


@staff_required
def employer_create(request):
    form = EmployerForm(request.POST or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.register_employer(by=request.user, scope=request.scope, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "community_code"})
        else:
            for warning in [*employer.registration_warnings, *stand_in_warnings([employer.community])]:
                messages.warning(request, warning)
            messages.success(request, f"已登记用工单位 {employer.name}")
            return redirect("employers:employer_detail", pk=employer.pk)
    return render(request, "employers/employer_form.html", {"form": form, "nav": "employers"})


@staff_required
def employer_edit(request, pk):
    employer = get_in_scope_or_404(Employer.objects.all(), request.scope, pk=pk)
    form = EmployerForm(
        request.POST or None, scope=request.scope, instance=employer, initial=EmployerForm.initial_for(employer)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_employer(employer, by=request.user, scope=request.scope, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "community_code"})
        else:
            messages.success(request, "已保存修改")
            return redirect("employers:employer_detail", pk=employer.pk)
    return render(request, "employers/employer_form.html", {"form": form, "employer": employer, "nav": "employers"})


@staff_required
def job_list(request):
    form = JobFilterForm(request.GET, scope=request.scope)
    jobs = form.filter(Job.objects.in_scope(request.scope)).select_related("employer", "occupation")
    if request.GET.get("export") == "xlsx":
        return _export(request, jobs, "岗位清单", JOB_EXPORT_COLUMNS, "employers.job.exported")
    return render(
        request, "employers/job_list.html", {"form": form, "page_obj": paginate(request, jobs), "nav": "jobs"}
    )


@staff_required
def job_detail(request, pk):
    job = get_in_scope_or_404(Job.objects.select_related("employer", "occupation"), request.scope, pk=pk)
    context = {
        "job": job,
        "applications": job.applications.in_scope(request.scope).select_related("resident").order_by("-created_at"),
        "events": _history(job).order_by("-id")[:50],
        "status_form": JobStatusForm(initial={"status": job.status}),
        "nav": "jobs",
    }
    return render(request, "employers/job_detail.html", context)


@staff_required
def job_create(request, employer_pk):
    """Post a job on an employer's behalf (the employer must be in the viewer's area)."""
    employer = get_in_scope_or_404(Employer.objects.all(), request.scope, pk=employer_pk)
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.post_job(by=request.user, employer=employer, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "work_address"})
        else:
            messages.success(request, f"已发布岗位：{job.title}（{job.get_status_display()}）")
            return redirect("employers:job_detail", pk=job.pk)
    context = {
        "form": form,
        "employer": employer,
        "highlights": form.highlights() if form.errors else [],
        "nav": "jobs",
    }
    return render(request, "employers/job_form.html", context)


@staff_required
def job_edit(request, pk):
    job = get_in_scope_or_404(Job.objects.select_related("employer", "occupation"), request.scope, pk=pk)
    form = JobForm(request.POST or None, initial=JobForm.initial_for(job))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_job(job, by=request.user, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "work_address"})
        else:
            messages.success(request, "已保存修改")
            return redirect("employers:job_detail", pk=job.pk)
    context = {"form": form, "employer": job.employer, "job": job, "nav": "jobs"}
    return render(
        request, "employers/job_form.html", {**context, "highlights": form.highlights() if form.errors else []}
    )


@staff_required
@require_POST
def job_status(request, pk):
    job = get_in_scope_or_404(Job.objects.all(), request.scope, pk=pk)
    form = JobStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择有效的状态")
        services.transition_job(job, form.cleaned_data["status"], by=request.user, scope=request.scope)
        messages.success(request, "岗位状态已更新")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("employers:job_detail", pk=job.pk)


@staff_required
@permission_required(CASEWORK)
def review_queue(request):
    """审核: the postings the compliance checker held, in the viewer's area, oldest first."""
    jobs = (
        Job.objects.in_scope(request.scope)
        .filter(status=JobStatus.REVIEW)
        .select_related("employer", "occupation")
        .order_by("updated_at", "id")
    )
    return render(request, "employers/review_queue.html", {"page_obj": paginate(request, jobs), "nav": "review"})


@staff_required
@permission_required(CASEWORK)
@require_POST
def job_review(request, pk):
    """Approve (→ 招聘中) or return with a reason (→ 草稿) one posting of the queue."""
    job = get_in_scope_or_404(Job.objects.all(), request.scope, pk=pk)
    form = JobReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        services.transition_job(
            job, form.target_status(), by=request.user, scope=request.scope, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"已{form.get_decision_display()}：{job.title}")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("employers:review_queue")
