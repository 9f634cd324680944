"""社区快聘 H5 for residents: phone sign-in, registration, profile and intention, nearby jobs, apply, 我的申请, 消息.

Nearby jobs, a job's page and the fairs are open to anyone (浏览无需登记): the ID number is asked
only when a visitor applies, and the sign-in brings them back to the job to finish.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jobcircle.accounts import services as accounts
from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.geo.distance import haversine_m
from jobcircle.areas.maps import map_config
from jobcircle.areas.models import Region
from jobcircle.areas.scoping import get_in_scope_or_404
from jobcircle.areas.stations import location_for_community
from jobcircle.classifications.services import search_occupations
from jobcircle.common import pii
from jobcircle.common.middleware import client_ip
from jobcircle.common.web import add_service_errors, paginate, resident_or_visitor, role_required
from jobcircle.employers.models import Job
from jobcircle.matching.models import InboxMessage
from jobcircle.matching.services import inbox, mark_message_read, nearby_radius_km, nearby_results, recommend_jobs
from jobcircle.people.models import Resident
from jobcircle.people.services import set_push_preferences, update_resident
from jobcircle.recruiting.enums import APPLICATION_TRANSITIONS
from jobcircle.recruiting.models import Application, FairAttendance, JobFair
from jobcircle.recruiting.services import apply_to_job, sign_in_at_fair, transition

from .. import signup
from ..forms import NearbyFilterForm, PhoneForm, ProfileForm, PushSettingsForm, RegisterForm

resident_required = role_required("resident")
VERIFIED_PHONE_MAX_AGE = 30 * 60
# States an applicant may still withdraw from (the pipeline's transition table decides).
WITHDRAWABLE = [s for s, moves in APPLICATION_TRANSITIONS.items() if "withdrawn" in moves]


def _my_resident(request):
    return Resident.objects.select_related("community", "intention").get(pk=request.scope.resident_id)


def _sign_in(request, user):
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.pop("verified_phone", None)


def _remember_next(request):
    """Keep where a visitor was going (e.g. the job they want to apply to) across sign-in and registration."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        request.session["after_sign_in"] = target


def _after_sign_in(request, default):
    return redirect(request.session.pop("after_sign_in", None) or default)


@login_not_required
def m_login(request):
    """Sign in or start registering with a phone number and an SMS code (SEC-05).

    A busy shared address must solve an image captcha before a code is sent (accounts.services.captcha_required).
    """
    if request.GET.get("c"):
        request.session["join_community"] = request.GET["c"]
    _remember_next(request)
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
    user = signup.resident_user_for_phone(phone)
    if user is not None:
        _sign_in(request, user)
        return _after_sign_in(request, "portal:m_home")
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
            resident = signup.sign_up_resident(phone=phone, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc, {"location": "community_code", "phone": "id_number"})
        else:
            _sign_in(request, resident.registration_user)
            if request.session.get("after_sign_in"):
                messages.success(request, "登记成功！现在可以继续投递刚才的岗位。")
            else:
                messages.success(request, "登记成功！请完善求职意向，我们会为您推荐附近的岗位。")
            return _after_sign_in(request, "portal:m_profile")
    return render(request, "portal/m/register.html", {"form": form, "phone": phone})


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
            update_resident(resident, by=request.user, scope=request.scope, data=form.service_data(), self_service=True)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。下面是您通勤范围内的岗位。")
            return redirect("portal:m_jobs")
    return render(request, "portal/m/profile.html", {"form": form, "resident": resident, "tab": "profile"})


def _browse_point(request):
    """Where nearby is measured from: the resident's home, else the community a visitor chose (?c= or the
    QR code's), placed by the one station rule; (None, None, None) when a visitor has not chosen yet."""
    if request.user.is_authenticated:
        resident = _my_resident(request)
        return resident, resident.lat, resident.lng
    code = request.GET.get("c") or request.session.get("join_community") or ""
    community = Region.objects.current().filter(code=code, level=RegionLevel.COMMUNITY).first()
    if community is None:
        return None, None, None
    try:
        point = location_for_community(community)
    except ValidationError:
        return None, None, None
    request.session["join_community"] = community.code
    request.visit_area_code = community.code
    return community, point.lat, point.lng


@resident_or_visitor
def m_jobs(request):
    """附近岗位: open jobs within the resident's distance, nearest first (a visitor: around their community)."""
    where, lat, lng = _browse_point(request)
    if where is None:
        messages.info(request, "请先找到您所在的社区（村），再看附近的岗位。")
        return redirect("portal:home")
    form = NearbyFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    # The same service as the API's nearby endpoints: one answer to "jobs near me".
    jobs = nearby_results(lat, lng, nearby_radius_km(where, data.get("radius_km")), **form.service_filters())
    context = {"form": form, "page_obj": paginate(request, jobs), "radius_km": jobs.radius_km, "tab": "jobs",
               "community": None if request.user.is_authenticated else where}  # fmt: skip
    return render(request, "portal/m/jobs.html", context)


@resident_or_visitor
def m_job_detail(request, pk):
    """A job's page; a visitor sees open jobs only, and applies after signing in (back here to finish)."""
    where, lat, lng = _browse_point(request)
    job = Job.objects.select_related("employer", "occupation").filter(pk=pk).first()
    applied = Application.objects.in_scope(request.scope).filter(job_id=pk).first()  # none for a visitor
    if job is None or not (job.is_open or applied):
        raise Http404("该岗位已结束招聘")
    distance_m = haversine_m(lat, lng, job.lat, job.lng) if lat is not None else None
    points = {"points": [{"lat": job.lat, "lng": job.lng, "label": job.title, "colour": "#b71c1c"}]}
    context = {"job": job, "applied": applied, "distance_m": distance_m, "map_points": points,
               "map_config": map_config(), "tab": "jobs"}  # fmt: skip
    return render(request, "portal/m/job_detail.html", context)


@resident_or_visitor
def m_occupation_options(request):
    """The type-ahead's <datalist>: occupations for what was typed (everyday words too), best first."""
    typed = request.GET.get("occupation_codes") or request.GET.get("occupation_code")  # profile, gig form
    text = (typed or request.GET.get("q") or "")[:50]
    return render(request, "portal/m/occupation_options.html", {"occupations": search_occupations(text)})


@resident_or_visitor
def m_fairs(request):
    """招聘会: fairs not yet over, soonest first (public events: no sign-in needed to look)."""
    fairs = JobFair.objects.filter(ends_at__gte=timezone.now()).order_by("starts_at", "id")
    return render(request, "portal/m/fairs.html", {"page_obj": paginate(request, fairs), "tab": "fairs"})


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
            _attendance, created = sign_in_at_fair(fair, _my_resident(request), by=request.user, scope=request.scope)
        except ValidationError as exc:  # the fair has closed its sign-in
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "签到成功，祝您求职顺利！" if created else "您已签到过，无需重复签到。")
        return redirect("portal:m_fair_sign_in", token=token)
    attendance = FairAttendance.objects.filter(fair=fair, resident_id=request.scope.resident_id).first()
    return render(request, "portal/m/fair_sign_in.html", {"fair": fair, "attendance": attendance})


@resident_required
def m_withdraw(request, pk):
    """The resident withdraws one of their own applications (撤回) after confirming on a page of its own
    (works without scripts, CSP); a final state cannot be withdrawn."""
    application = get_in_scope_or_404(Application.objects.select_related("job__employer"), request.scope, pk=pk)
    if request.method != "POST":
        return render(request, "portal/m/withdraw_confirm.html", {"application": application, "tab": "applications"})
    try:
        transition(application, "withdrawn", by=request.user, scope=request.scope)
        messages.success(request, "已撤回该申请")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("portal:m_applications")


@resident_required
def m_inbox(request):
    """消息: every inbox message of the resident, whatever its kind, newest first."""
    entries = inbox(_my_resident(request), limit=100)
    return render(request, "portal/m/inbox.html", {"entries": entries, "tab": "inbox"})


@resident_required
def m_inbox_message(request, pk):
    """One message; opening it marks it read. Its link is followed only inside this site."""
    message = get_in_scope_or_404(InboxMessage.objects.all(), request.scope, pk=pk)
    mark_message_read(message, by=request.user)
    pushes = message.pushes.select_related("job__employer") if message.kind == InboxMessage.Kind.JOB_PUSH else []
    link = message.link if url_has_allowed_host_and_scheme(message.link, allowed_hosts=None) else ""
    context = {"message": message, "pushes": pushes, "link": link, "tab": "inbox"}
    return render(request, "portal/m/inbox_message.html", context)


@resident_required
def m_push_settings(request):
    """推送设置: the resident pauses, stops or resumes job pushes and chooses how often to get a text."""
    resident, today = _my_resident(request), timezone.localdate()
    form = PushSettingsForm(request.POST or None, resident=resident, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            set_push_preferences(resident, by=request.user, data=form.service_data(), today=today)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "推送设置已保存")
            return redirect("portal:m_push_settings")
    context = {"form": form, "resident": resident, "today": today, "tab": "inbox"}
    return render(request, "portal/m/push_settings.html", context)
