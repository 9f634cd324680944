"""Employer portal: self-registration, the employer's jobs, posting with inline compliance feedback,
pause/close, and the applicants of each job."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobcircle.areas.geo.distance import haversine_m
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common.web import add_service_errors, role_required
from jobcircle.employers import services
from jobcircle.employers.enums import JobStatus
from jobcircle.employers.forms import EmployerSignUpForm, JobForm
from jobcircle.employers.models import Employer, Job
from jobcircle.matching.services import recommend_candidates
from jobcircle.recruiting import services as recruiting
from jobcircle.recruiting.forms import ApplicationTransitionForm
from jobcircle.recruiting.models import Application

from .. import signup

employer_required = role_required("employer")
# What an employer may do with its own job: 发布 / 提交审核 / 暂停 / 恢复招聘 / 关闭.
EMPLOYER_ACTIONS = {
    "open": JobStatus.OPEN, "review": JobStatus.REVIEW, "pause": JobStatus.PAUSED, "close": JobStatus.CLOSED,
}  # fmt: skip


@login_not_required
def employer_register(request):
    """An employer registers itself: 统一社会信用代码 validated by the same rule as staff and API."""
    form = EmployerSignUpForm(request.POST or None, self_service=True)
    if request.method == "POST" and form.is_valid():
        try:
            user = signup.sign_up_employer(
                data=form.service_data(), username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "community_code"})
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "注册成功，现在可以发布岗位了。")
            return redirect("portal:employer_home")
    return render(request, "portal/employer/register.html", {"form": form})


@employer_required
def employer_home(request):
    employer = Employer.objects.get(pk=request.scope.employer_id)
    jobs = (
        Job.objects.in_scope(request.scope)
        .select_related("occupation")
        .annotate(applicant_count=Count("applications"))
        .order_by("-created_at", "-id")
    )
    context = {"employer": employer, "jobs": jobs, "notices": services.review_notices(employer)}
    return render(request, "portal/employer/home.html", context)


@employer_required
def employer_job_create(request):
    employer = Employer.objects.get(pk=request.scope.employer_id)
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.post_job(by=request.user, employer=employer, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "work_address"})
        else:
            _report_review(request, job)
            return redirect("portal:employer_home")
    context = {"form": form, "employer": employer, "highlights": form.highlights() if form.errors else []}
    return render(request, "portal/employer/job_form.html", context)


def _report_review(request, job):
    if job.status == JobStatus.OPEN:
        messages.success(request, f"岗位“{job.title}”已发布，附近的求职者现在可以看到并投递。")
    elif job.status == JobStatus.REVIEW:
        messages.warning(request, f"岗位“{job.title}”含需人工复核的内容，已提交人社部门审核，审核通过后自动发布。")
    else:
        messages.info(request, f"岗位“{job.title}”已保存（{job.get_status_display()}）。")


@employer_required
def employer_job_edit(request, pk):
    job = get_in_scope_or_404(Job.objects.select_related("employer", "occupation"), request.scope, pk=pk)
    form = JobForm(request.POST or None, initial=JobForm.initial_for(job))
    if request.method == "POST" and form.is_valid():
        try:
            job = services.update_job(job, by=request.user, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "work_address"})
        else:
            _report_review(request, job)
            return redirect("portal:employer_home")
    context = {
        "form": form,
        "job": job,
        "employer": job.employer,
        "highlights": form.highlights() if form.errors else [],
    }
    return render(request, "portal/employer/job_form.html", context)


@employer_required
@require_POST
def employer_job_status(request, pk):
    job = get_in_scope_or_404(Job.objects.all(), request.scope, pk=pk)
    try:
        if request.POST.get("action") not in EMPLOYER_ACTIONS:
            raise ValidationError("未知的操作")
        services.transition_job(job, EMPLOYER_ACTIONS[request.POST["action"]], by=request.user, scope=request.scope)
        messages.success(request, "岗位状态已更新")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("portal:employer_home")


@employer_required
def employer_applicants(request, pk):
    """Applicants to one of the employer's jobs, with the matching engine's reasons where it gives them."""
    job = get_in_scope_or_404(Job.objects.select_related("occupation"), request.scope, pk=pk)
    return _applicants_page(request, job)


@employer_required
@require_POST
def employer_applicant_phone(request, pk):
    """查看电话: the applicant chose this employer, so it sees their phone for this application (audited)."""
    application = get_in_scope_or_404(Application.objects.select_related("job", "resident"), request.scope, pk=pk)
    try:
        phone = recruiting.reveal_applicant_phone(application, by=request.user, scope=request.scope)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "无权查看")
        return redirect("portal:employer_applicants", pk=application.job_id)
    return _applicants_page(request, application.job, revealed={application.pk: phone})


def _applicants_page(request, job, revealed=None):
    revealed = revealed or {}
    applications = list(
        Application.objects.in_scope(request.scope).filter(job=job).select_related("resident").order_by("-created_at")
    )
    reasons = {rec.item.pk: rec.reasons for rec in recommend_candidates(job, request.scope, k=200)}
    for application in applications:
        resident = application.resident
        application.distance_m = haversine_m(resident.lat, resident.lng, job.lat, job.lng)
        application.reasons = reasons.get(resident.pk, [])
        application.revealed_phone = revealed.get(application.pk)
    return render(request, "portal/employer/applicants.html", {"job": job, "applications": applications})


@employer_required
@require_POST
def employer_application_transition(request, pk):
    """The employer moves an applicant on: 筛选、约面试、达成意向、发录用通知、确认入职、不录用."""
    application = get_in_scope_or_404(Application.objects.select_related("job"), request.scope, pk=pk)
    form = ApplicationTransitionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        recruiting.transition(
            application, form.cleaned_data["status"], by=request.user, scope=request.scope, **form.details()
        )
        messages.success(request, "申请状态已更新")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except recruiting.NoPlacesLeft:
        messages.error(request, recruiting.NoPlacesLeft.message)
    return redirect("portal:employer_applicants", pk=application.job_id)
