from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import security

# Reachable while the sign-in is incomplete (second factor, expired password).
OPEN_PREFIXES = ("/accounts/verify/", "/accounts/logout/", "/accounts/password/", "/static/", "/healthz")


def _bearer_api_call(request):
    """API calls with a bearer token authenticate by the token alone, not by the session cookie."""
    return request.path.startswith("/api/") and request.headers.get("Authorization", "").startswith("Bearer ")


class StaffSignInMiddleware:
    """Hold a staff session at the second-factor step, and send an expired staff password to the
    change form before anything else (SEC-02, SEC-04)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or request.path.startswith(OPEN_PREFIXES) or _bearer_api_call(request):
            return self.get_response(request)
        if security.needs_second_factor(user) and not security.second_factor_done(request):
            return self._stop(request, "accounts:verify", "请先完成第二步验证（身份验证器动态码或短信验证码）")
        if security.password_expired(user):
            return self._stop(request, "accounts:password_change", "密码已过期，请先修改密码")
        return self.get_response(request)

    @staticmethod
    def _stop(request, url_name, message):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=401)
        return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")
