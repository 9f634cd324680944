from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from jobcircle.common.audit import log_action
from jobcircle.common.middleware import client_ip

from . import security
from .enums import STAFF_ROLES, Role
from .services import RateLimited


def landing(request):
    """After signing in, each role goes to its own front: staff → 工作台, employer → portal, resident → H5."""
    role = request.user.role
    if role in STAFF_ROLES:
        return redirect("insights:dashboard")
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
    """Password first; staff then go to the code step, with a code already on its way."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if security.needs_second_factor(user):
            try:
                security.send_second_factor_code(user, ip=client_ip(self.request))
            except (ValidationError, RateLimited) as exc:
                messages.warning(self.request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect(f"{redirect('accounts:verify').url}?next={self.get_success_url()}")
        return response


@login_required
def verify(request):
    """The second step: the code texted to the staff member's phone (resend is rate limited)."""
    error = None
    if request.method == "POST" and "resend" in request.POST:
        try:
            security.send_second_factor_code(request.user, ip=client_ip(request))
            messages.info(request, "验证码已重新发送")
        except (ValidationError, RateLimited) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
    elif request.method == "POST":
        try:
            security.confirm_second_factor(request, request.POST.get("code"))
            return redirect(_safe_next(request))
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "accounts/verify.html",
        {"error": error, "phone": request.user.phone_masked, "next": _safe_next(request)},
    )


def locked_out(request, credentials, *args, **kwargs):
    """django-axes: a locked login answers 429, whatever password was given (SEC-03)."""
    return render(request, "accounts/locked.html", status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; audited (SEC-12). The policy is AUTH_PASSWORD_VALIDATORS."""

    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        log_action("accounts.password.changed", by=self.request.user)
        return response
