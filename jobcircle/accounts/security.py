"""Staff sign-in security: second factor, session lifetime, password age, lockout and unlock.

- Staff and administrator roles must confirm a code texted to their phone after the password
  (SEC-04); the code service is the same one residents sign in with (accounts.services: 6 digits,
  5 minutes, single use, rate limited).
- Session lifetimes and ending the sessions of a deactivated user live in accounts.sessions (SEC-06).
- Staff passwords older than JOBCIRCLE_STAFF_PASSWORD_MAX_AGE_DAYS must be changed first (SEC-02).
- Five failures per (username, IP) lock the login for 30 minutes (django-axes); only a security
  administrator unlocks, and that is audited (SEC-03).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobcircle.common import pii
from jobcircle.common.audit import log_action

from .enums import ADMIN_ROLES, STAFF_ROLES
from .models import User
from .permissions import MANAGE_SECURITY, MANAGE_USERS, has_permission

SECOND_FACTOR_KEY = "jc_second_factor"


def needs_second_factor(user) -> bool:
    return user.is_authenticated and user.role in STAFF_ROLES | ADMIN_ROLES


def second_factor_done(request) -> bool:
    return request.session.get(SECOND_FACTOR_KEY) == request.user.pk


def send_second_factor_code(user, *, ip):
    """Text a code to the staff member's phone; a clear error if none is on file."""
    from .services import send_login_code

    if not user.phone_encrypted:
        raise ValidationError({"code": ["账号未登记手机号，无法发送验证码，请联系系统管理员"]})
    send_login_code(pii.decrypt(user.phone_encrypted), ip=ip)
    return user.phone_masked


def confirm_second_factor(request, code):
    """Check the code; on success mark this session as fully signed in. Audited either way."""
    from .services import check_login_code

    user = request.user
    try:
        check_login_code(pii.decrypt(user.phone_encrypted), code)
    except ValidationError:
        log_action("accounts.mfa.failed", by=user, result="failure")
        raise
    request.session.cycle_key()  # new session id once fully authenticated
    request.session[SECOND_FACTOR_KEY] = user.pk
    log_action("accounts.mfa.verified", by=user)


def password_expired(user) -> bool:
    if user.role not in STAFF_ROLES | ADMIN_ROLES or not user.has_usable_password():
        return False
    changed = user.password_changed_at
    max_age = datetime.timedelta(days=settings.JOBCIRCLE_STAFF_PASSWORD_MAX_AGE_DAYS)
    return changed is None or timezone.now() - changed > max_age


def deactivate_user(user, *, by):
    """Disable a login; accounts.sessions ends all its sessions as it is saved.

    - only roles with MANAGE_USERS;
    - never one's own login. So the acting system administrator always stays active, and there is
      always one: ``create_first_admin`` refuses while any system administrator exists, so losing
      the last would leave nobody able to manage accounts.
    """
    if not has_permission(by, MANAGE_USERS):
        raise PermissionDenied("仅系统管理员可以停用账号")
    if user.pk == by.pk:
        raise ValidationError({"user": ["不能停用自己的账号"]})
    user.is_active = False
    user.save(update_fields=["is_active"])
    log_action("accounts.user.deactivated", by=by, obj=user)
    return user


def current_lockouts():
    """Logins locked right now, as django-axes decides it (SEC-03), newest failure first.

    - a lock is per (username, IP): AXES_FAILURE_LIMIT failures within the cool-off window, summed
      over the browser strings axes records separately;
    - each row: username, ip_address, failures, last_failure, and unlocks_at (when the lock lapses by itself).
    """
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.db.models import Max, Sum

    cool_off = get_cool_off()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_failure", "username")
    )
    return [{**row, "unlocks_at": row["last_failure"] + cool_off} for row in rows]


def unlock_login(username, *, by):
    """Lift a lockout (django-axes) for a username; security administrators only; audited."""
    from axes.utils import reset

    if not has_permission(by, MANAGE_SECURITY):
        raise PermissionDenied("仅安全管理员可以解除锁定")
    removed = reset(username=username)
    target = User.objects.filter(username=username).first()
    log_action("accounts.login.unlocked", by=by, obj=target, data={"username": username, "attempts_cleared": removed})
    return removed


def create_staff_user(*, by, username, role, area, phone, password, bootstrap=False):
    """A system administrator creates a staff or administrator login (SEC-07/08).

    - only roles with MANAGE_USERS — or, once, the first system administrator (``bootstrap``, from
      ``manage.py create_first_admin``) while no user-managing account exists;
    - the password must pass the policy; the phone receives the second factor;
    - area staff must be given an area.
    """
    from django.contrib.auth.password_validation import validate_password

    from jobcircle.common.errors import FieldErrors
    from jobcircle.common.validators import normalize_mobile_phone, validate_mobile_phone

    from .enums import Role
    from .permissions import MANAGE_USERS

    first_admin = bootstrap and role == Role.SYSTEM_ADMIN and not User.objects.filter(role=Role.SYSTEM_ADMIN).exists()
    if not (first_admin or has_permission(by, MANAGE_USERS)):
        raise PermissionDenied("仅系统管理员可以创建账号")
    errors = FieldErrors()
    if not username or User.objects.filter(username=username).exists():
        errors.add("username", "用户名：不能为空或已被使用")
    if role not in {r.value for r in STAFF_ROLES | ADMIN_ROLES}:
        errors.add("role", f"角色：只能是 {'、'.join(Role(r).label for r in STAFF_ROLES | ADMIN_ROLES)}")
    if role in {r.value for r in STAFF_ROLES} and area is None:
        errors.add("area_code", "负责区划：工作人员必须指定负责的区县、乡镇或社区")
    phone = normalize_mobile_phone(phone or "")
    errors.capture("phone", validate_mobile_phone, phone)
    candidate = User(username=username or "", role=role, area=area)
    errors.capture("password", validate_password, password, candidate)
    errors.raise_if_any()
    candidate.set_password(password)
    candidate.set_phone(phone)
    candidate.save()
    log_action("accounts.user.created", by=by, obj=candidate, data={"role": role, "area": area.code if area else ""})
    return candidate
