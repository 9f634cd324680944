from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jobcircle.common.audit import log_action
from jobcircle.common.middleware import client_ip
from jobcircle.common.web import add_service_errors, paginate, permission_required, query_without_page

from . import security
from .enums import ADMIN_ROLES, STAFF_ROLES, Role
from .forms import StaffUserForm, UserFilterForm
from .models import User
from .navigation import admin_screens
from .permissions import MANAGE_SECURITY, MANAGE_USERS
from .services import RateLimited


def landing(request):
    """After signing in, each role goes to its own front: staff → 工作台, each administrator → the
    screen of their duty, employer → portal, resident → H5."""
    role = request.user.role
    if role in STAFF_ROLES:
        return redirect("insights:dashboard")
    screens = admin_screens(request.user)
    if screens:
        return redirect(screens[0].url_name)
    if role == Role.EMPLOYER:
        return redirect("portal:employer_home")
    return redirect("portal:m_home")


# --- staff sign-in: password, then the second factor ------------------------------------------------


def _safe_next(request, default="accounts:landing"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return redirect(default).url


class LoginView(auth_views.LoginView):
    """Password first; staff then go to the second step: their authenticator's code, or a texted code
    already on its way when they have no authenticator (security.begin_second_factor)."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if security.needs_second_factor(user):
            try:
                security.begin_second_factor(user, ip=client_ip(self.request))
            except (ValidationError, RateLimited) as exc:
                messages.warning(self.request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect(f"{redirect('accounts:verify').url}?next={self.get_success_url()}")
        return response


@login_required
def verify(request):
    """The second step: the authenticator's code if one is bound, else — or on request — a texted code
    (sending is rate limited)."""
    methods = security.second_factor_methods(request.user)
    asked = request.POST.get("method") or request.GET.get("method")
    method = asked if asked in methods else (methods or [security.SMS])[0]
    error = None
    if request.method == "POST" and "resend" in request.POST:
        try:
            phone = security.send_second_factor_code(request.user, ip=client_ip(request))
            messages.info(request, f"短信验证码已发送到 {phone}")
            method = security.SMS
        except (ValidationError, RateLimited) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
    elif request.method == "POST":
        try:
            security.confirm_second_factor(request, request.POST.get("code"), method=method)
            return redirect(_safe_next(request))
        except ValidationError as exc:
            error = " ".join(exc.messages)
    context = {"error": error, "method": method, "methods": methods, "phone": request.user.phone_masked}
    return render(request, "accounts/verify.html", {**context, "next": _safe_next(request)})


@never_cache
def totp_setup(request):
    """身份验证器: bind an authenticator app — scan the QR code (or type the secret), then confirm with
    the code it shows. Staff and administrators, once fully signed in (StaffSignInMiddleware)."""
    if not security.needs_second_factor(request.user):
        raise PermissionDenied("只有工作人员和管理员需要绑定身份验证器")
    error = None
    if request.method == "POST" and "start" in request.POST:
        security.start_totp_enrolment(request.user)
        return redirect("accounts:totp")
    if request.method == "POST":
        try:
            security.confirm_totp_enrolment(request.user, request.POST.get("code"))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "身份验证器已绑定。以后登录时输入它显示的6位动态码即可，不再自动发送短信。")
            return redirect("accounts:totp")
    context = {**security.totp_status(request.user), "error": error, "nav": "totp"}
    return render(request, "accounts/totp.html", context)


def locked_out(request, credentials, *args, **kwargs):
    """django-axes: a locked login answers 429, whatever password was given (SEC-03)."""
    return render(request, "accounts/locked.html", status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; audited (SEC-12). The policy is AUTH_PASSWORD_VALIDATORS."""

    template_name = "accounts/password_change.html"

    def get_context_data(self, **kwargs):
        # arriving here from an expired password: say why (StaffSignInMiddleware sent them)
        return {**super().get_context_data(**kwargs), "notice": security.unfinished_sign_in_message(self.request)}

    def form_valid(self, form):
        response = super().form_valid(form)
        log_action("accounts.password.changed", by=self.request.user)
        return response


# --- 系统管理员: 账号管理 ---------------------------------------------------------------------------------


def _accounts():
    return User.objects.filter(role__in=sorted(r.value for r in STAFF_ROLES | ADMIN_ROLES))


@permission_required(MANAGE_USERS)
def user_list(request):
    """Staff and administrator logins (phones masked; passwords never shown), filtered by role and state."""
    form = UserFilterForm(request.GET)
    users = form.filter(_accounts()).select_related("area").order_by("role", "username")
    context = {"form": form, "page_obj": paginate(request, users), "query": query_without_page(request)}
    return render(request, "accounts/user_list.html", {**context, "nav": "users"})


@permission_required(MANAGE_USERS)
def user_create(request):
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = security.create_staff_user(by=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已创建账号 {user.username}（{user.get_role_display()}）")
            return redirect("account_admin:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "nav": "users"})


@permission_required(MANAGE_USERS)
@require_POST
def user_deactivate(request, pk):
    """Disable a login; the service ends all its sessions and audits it."""
    user = get_object_or_404(_accounts().filter(is_active=True), pk=pk)
    try:
        security.deactivate_user(user, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已停用账号 {user.username}，其所有登录会话已结束")
    return redirect("account_admin:user_list")


# --- 安全管理员: 登录锁定 ---------------------------------------------------------------------------------


@permission_required(MANAGE_SECURITY)
def lockout_list(request):
    context = {"lockouts": security.current_lockouts(), "nav": "lockouts"}
    return render(request, "accounts/lockout_list.html", context)


@permission_required(MANAGE_SECURITY)
@require_POST
def second_factor_reset(request):
    """Remove the authenticator of a staff or administrator login; security.reset_second_factor audits it."""
    username = request.POST.get("username", "").strip()
    user = _accounts().filter(username=username).first() if username else None
    if user is None:
        messages.error(request, "没有这个工作人员或管理员账号，请核对用户名")
    else:
        removed = security.reset_second_factor(user, by=request.user)
        done = "已删除其身份验证器，下次登录改用短信验证码" if removed else "该账号没有绑定身份验证器"
        messages.success(request, f"{username}：{done}")
    return redirect("account_admin:lockout_list")


@permission_required(MANAGE_SECURITY)
@require_POST
def lockout_unlock(request):
    """Lift the lock of a username (every IP) or of an IP (every username); the services audit it."""
    username = request.POST.get("username", "").strip()
    ip = request.POST.get("ip", "").strip()
    if not username and ip:
        cleared = security.unlock_ip(ip, by=request.user)
        messages.success(request, f"已解除IP {ip} 的登录锁定（清除 {cleared} 条失败记录）")
    elif not username:
        messages.error(request, "请指定要解除锁定的用户名")
    else:
        cleared = security.unlock_login(username, by=request.user)
        messages.success(request, f"已解除 {username} 的登录锁定（清除 {cleared} 条失败记录）")
    return redirect("account_admin:lockout_list")
