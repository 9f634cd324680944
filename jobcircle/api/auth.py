"""Who may call the API, and which role may call each route: the API's one door (SEC-04, SEC-08).

- An ``Authorization`` header decides alone: it must carry a valid bearer token of an active user
  (``manage.py issue_token``; only its hash is stored). Anything else in it — an unknown token, the
  token of a deactivated user, another scheme — is 401; the session cookie beside it is never tried.
- Without that header, the session authenticates only once the sign-in is complete
  (``accounts.security.sign_in_complete``: second factor done for staff and administrators, password
  not expired). A session waiting for its second factor is 401 on every route.
- Each route names the permissions (``accounts.permissions``) that may use it, with ``access(...)``
  on its router or operation; a signed-in role holding none of them gets 403 before the handler runs.
  Tokens have no expiry of their own: they die with their user's deactivation (or their deletion).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from jobcircle.accounts import security
from jobcircle.accounts.access import scope_for_user
from jobcircle.accounts.models import ApiToken, hash_token
from jobcircle.accounts.permissions import has_permission

# ``last_used_at`` is kept to the minute: writing it on every call made every API read a write
# (a row lock held to the end of the request's transaction and a WAL flush at commit).
LAST_USED_PRECISION = datetime.timedelta(seconds=60)
NOT_SIGNED_IN = "请先登录或提供有效的访问令牌"


class NotAuthenticated(AuthenticationError):
    """401 with a Chinese ``detail`` saying what is missing."""

    def __init__(self, detail=NOT_SIGNED_IN):
        super().__init__(message=detail)
        self.detail = detail


def _permitted(user, permissions):
    """The user, if their role holds one of ``permissions``; otherwise 403 (PermissionDenied)."""
    if not any(has_permission(user, permission) for permission in permissions):
        raise PermissionDenied("无权执行此操作")
    return user


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``: present means it must be valid, whatever the session says."""

    def __init__(self, permissions):
        super().__init__()
        self.permissions = permissions

    def __call__(self, request):
        header = request.headers.get(self.header)
        if header is None:
            return None  # no header: the session decides (SignedInSession)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise NotAuthenticated("访问令牌无效：请使用 Authorization: Bearer <令牌>")
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        try:  # key_hash is unique: get(), not first(), which would sort by id for nothing
            row = ApiToken.objects.select_related("user", "user__area").get(key_hash=hash_token(token))
        except ApiToken.DoesNotExist:
            raise NotAuthenticated("访问令牌无效或已停用") from None
        if not row.user.is_active:
            raise NotAuthenticated("访问令牌无效或已停用")
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.scope = scope_for_user(row.user)
        return _permitted(row.user, self.permissions)


class SignedInSession(SessionAuth):
    """The session cookie, once the sign-in is complete (second factor, unexpired password)."""

    def __init__(self, permissions):
        super().__init__()
        self.permissions = permissions

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if not security.sign_in_complete(request):
            raise NotAuthenticated(security.unfinished_sign_in_message(request))
        return _permitted(user, self.permissions)


def access(*permissions):
    """The ``auth`` of a route usable by the roles holding any of ``permissions`` (accounts.permissions)."""
    if not permissions:
        raise ValueError("name the permissions that may use the route")
    return [BearerToken(permissions), SignedInSession(permissions)]


# The API's default: a route that names no permissions authenticates its caller and then refuses
# every role (403), so forgetting ``access(...)`` closes a route rather than opening it.
UNDECLARED = [BearerToken(()), SignedInSession(())]
