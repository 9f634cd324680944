from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import security
from .access import scope_for_user

# Reachable while the sign-in is incomplete (second factor, expired password). The API is left to
# its own door (api.auth), which refuses such a session with the same rule (security.sign_in_complete).
OPEN_PREFIXES = ("/accounts/verify/", "/accounts/logout/", "/accounts/password/", "/static/", "/healthz", "/api/")
NEXT_STEP = {security.SECOND_FACTOR_MISSING: "accounts:verify", security.PASSWORD_TO_CHANGE: "accounts:password_change"}


class StaffSignInMiddleware:
    """Hold a staff session at the second-factor step, and send an expired staff password to the
    change form before anything else (SEC-02, SEC-04)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        step = security.unfinished_sign_in(request)
        if step is None:
            return self.get_response(request)
        return redirect(f"{reverse(NEXT_STEP[step])}?{urlencode({'next': request.get_full_path()})}")


class ScopeMiddleware:
    """Resolve who the user is and which area they may see, once per request (request.scope)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = scope_for_user(getattr(request, "user", None))
        return self.get_response(request)
