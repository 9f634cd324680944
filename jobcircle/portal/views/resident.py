"""社区快聘 H5 for residents: phone sign-in, registration, profile and intention, nearby jobs, apply, 我的申请."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobcircle.accounts import services as accounts
from jobcircle.areas.geo.distance import haversine_m
from jobcircle.areas.models import Region
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.common import pii
from jobcircle.common.middleware import client_ip
from jobcircle.common.web import add_service_errors, paginate, role_required
from jobcircle.employers.models import Job
from jobcircle.insights.maps import map_config
from jobcircle.matching.services import recommend_jobs
from jobcircle.people.models import Resident
from jobcircle.people.services import update_resident
from jobcircle.recruiting.enums import APPLICATION_TRANSITIONS
from jobcircle.recruiting.models import Application, FairAttendance, JobFair
from jobcircle.recruiting.services import apply_to_job, sign_in_at_fair, transition

from ..forms import NearbyFilterForm, PhoneForm, ProfileForm, RegisterForm

resident_required = role_required("resident")
VERIFIED_PHONE_MAX_AGE = 30 * 60
# States an applicant may still withdraw from (the pipeline's transition table decides).
WITHDRAWABLE = [s for s, moves in APPLICATION_TRANSITIONS.items() if "withdrawn" in moves]


def _my_resident(request):
    return Resident.objects.select_related("community", "intention").get(pk=request.scope.resident_id)


def _sign_in(request, user):
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.pop("verified_phone", None)


@login_not_required
def m_login(request):
    """Sign in or start registering with a phone number and an SMS code (SEC-05).

    A busy shared address must solve an image captcha before a code is sent (accounts.services.captcha_required).
    """
    if request.GET.get("c"):
        request.session["join_community"] = request.GET["c"]
    ip, action = client_ip(request), request.POST.get("action")
    captcha = action != "verify" and accounts.captcha_required(ip)
    form = PhoneForm(request.POST or None, captcha=captcha and action == "send")
    joining = Region.objects.filter(code=request.session.get("join_community") or "").first()
    context, status = {"form": form, "code_sent": False, "joining": joining}, 200
    if request.method == "POST" and form.is_valid():
        try:
            if action == "send":
                accounts.send_login_code(form.cleaned_data["phone"], ip=ip, human_checked=captcha)
                context.update(code_sent=True, countdown=60)
            else:
                return _verified(
                    request, accounts.check_login_code(form.cleaned_data["phone"], form.cleaned_data["code"])
                )
        except accounts.RateLimited as exc:
            form.add_error("phone", str(exc))
            status = 429
        except ValidationError as exc:
            add_service_errors(form, exc)
            context["code_sent"] = "code" in exc.message_dict
    if accounts.captcha_required(ip) and not context["code_sent"]:  # each render draws a fresh picture
        context["captcha_field"] = (form if "captcha" in form.fields else PhoneForm(captcha=True))["captcha"]
    return render(request, "portal/m/login.html", context, status=status)


def _verified(request, phone):
    user = accounts.resident_user_for_phone(phone)
    if user is not None:
        _sign_in(request, user)
        return redirect("portal:m_home")
    request.session["verified_phone"] = {"token": pii.encrypt(phone), "at": _now_ts()}
    return redirect("portal:m_register")


def _now_ts():
    from django.utils import timezone

    return int(timezone.now().timestamp())


def _verified_phone(request):
    held = request.session.get("verified_phone") or {}
    if not held or _now_ts() - held.get("at", 0) > VERIFIED_PHONE_MAX_AGE:
        return None
    return pii.decrypt(held["token"])


@login_not_required
def m_register(request):
    """Real-name registration after the phone is verified; the QR code's community is preselected."""
    phone = _verified_phone(request)
    if phone is None:
        messages.info(request, "请先用手机号获取验证码。")
        return redirect("portal:m_login")
    form = RegisterForm(request.POST or None, initial={"community_code": request.session.get("join_community")})
    if request.method == "POST" and form.is_valid():
        try:
            resident = accounts.sign_up_resident(phone=phone, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "community_code", "phone": "id_number"})
        else:
            _sign_in(request, resident.registration_user)
            messages.success(request, "登记成功！请完善求职意向，我们会为您推荐附近的岗位。")
            return redirect("portal:m_profile")
    return render(request, "portal/m/register.html", {"form": form, "phone_masked": pii.mask_phone(phone)})


@resident_required
def m_home(request):
    """我的: greetings, 为你推荐 (the matching engine's picks) and the ways onward."""
    resident = _my_resident(request)
    context = {"resident": resident, "recommendations": recommend_jobs(resident, k=5), "tab": "home"}
    return render(request, "portal/m/home.html", context)


@resident_required
def m_profile(request):
    resident = _my_resident(request)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(resident))
    if request.method == "POST" and form.is_valid():
        try:
            update_resident(resident, by=request.user, data=form.service_data(), self_service=True)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。下面是您通勤范围内的岗位。")
            return redirect("portal:m_jobs")
    return render(request, "portal/m/profile.html", {"form": form, "resident": resident, "tab": "profile"})


@resident_required
def m_jobs(request):
    """附近岗位: open jobs within the resident's distance, nearest first, with filters."""
    resident = _my_resident(request)
    form = NearbyFilterForm(request.GET)
    radius_km = (form.is_valid() and form.cleaned_data.get("radius_km")) or _radius(resident)
    jobs = Job.objects.open().within(resident.lat, resident.lng, float(radius_km) * 1000)
    jobs = form.filter(jobs).select_related("employer", "occupation").order_by("distance_m", "id")
    context = {"form": form, "page_obj": paginate(request, jobs), "radius_km": radius_km, "tab": "jobs"}
    return render(request, "portal/m/jobs.html", context)


def _radius(resident):
    intention = getattr(resident, "intention", None)
    return float(intention.max_distance_km) if intention else float(settings.JOBCIRCLE_CIRCLE_RADIUS_KM)


@resident_required
def m_job_detail(request, pk):
    resident = _my_resident(request)
    job = Job.objects.select_related("employer", "occupation").filter(pk=pk).first()
    applied = Application.objects.in_scope(request.scope).filter(job_id=pk).first()
    if job is None or not (job.is_open or applied):
        raise Http404("该岗位已结束招聘")
    distance_m = haversine_m(resident.lat, resident.lng, job.lat, job.lng)
    points = {"points": [{"lat": job.lat, "lng": job.lng, "label": job.title, "colour": "#b71c1c"}]}
    context = {"job": job, "applied": applied, "distance_m": distance_m, "map_points": points,
               "map_config": map_config(), "tab": "jobs"}  # fmt: skip
    return render(request, "portal/m/job_detail.html", context)


@resident_required
@require_POST
def m_apply(request, pk):
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        raise Http404("未找到该岗位")
    try:
        apply_to_job(_my_resident(request), job, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("portal:m_job_detail", pk=pk)
    messages.success(request, f"已投递“{job.title}”。用工单位查看后会与您联系。")
    return redirect("portal:m_applications")


@resident_required
def m_applications(request):
    applications = Application.objects.in_scope(request.scope).select_related("job__employer").order_by("-created_at")
    context = {"applications": applications, "tab": "applications", "withdrawable": WITHDRAWABLE}
    return render(request, "portal/m/applications.html", context)


@resident_required
def m_fair_sign_in(request, token):
    """The page a fair's QR code opens: sign in once; scanning again shows the first sign-in."""
    fair = JobFair.objects.filter(sign_in_token=token).first()
    if fair is None:
        raise Http404("未找到该招聘会")
    if request.method == "POST":
        try:
            _attendance, created = sign_in_at_fair(fair, _my_resident(request), by=request.user)
        except ValidationError as exc:  # the fair has closed its sign-in
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "签到成功，祝您求职顺利！" if created else "您已签到过，无需重复签到。")
        return redirect("portal:m_fair_sign_in", token=token)
    attendance = FairAttendance.objects.filter(fair=fair, resident_id=request.scope.resident_id).first()
    return render(request, "portal/m/fair_sign_in.html", {"fair": fair, "attendance": attendance})


@resident_required
@require_POST
def m_withdraw(request, pk):
    """The resident withdraws one of their own applications (撤回); a final state cannot be withdrawn."""
    application = get_in_scope_or_404(Application.objects.all(), request.scope, pk=pk)
    try:
        transition(application, "withdrawn", by=request.user)
        messages.success(request, "已撤回该申请")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("portal:m_applications")
