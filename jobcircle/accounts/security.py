"""Staff sign-in security: second factor, session lifetime, password age, lockout and unlock.

- Staff and administrator roles must pass a second factor after the password (SEC-04): the code of
  their authenticator app (TOTP, django-otp) once they have bound one, otherwise — or on request —
  a code texted to their phone, from the service residents sign in with (accounts.services:
  6 digits, 5 minutes, single use, rate limited).
- An authenticator code is checked by django-otp's TOTPDevice.verify_token (SEC-05), on our proxy
  ``models.Authenticator`` whose secret is stored encrypted (``AuthenticatorKey``): the device's
  step ±1 (tolerance=1), never a step at or before the last one used, and a growing wait after a
  wrong code. Only a 安全管理员 resets a user's authenticator.
- Session lifetimes and ending the sessions of a deactivated user live in accounts.sessions (SEC-06).
- Staff passwords older than JOBCIRCLE_STAFF_PASSWORD_MAX_AGE_DAYS must be changed first (SEC-02).
- Five failures per (username, IP) lock the login for 30 minutes (django-axes); so do
  JOBCIRCLE_LOCKOUT_IP_FAILURES failures from one IP across usernames (password spraying,
  ``LockoutHandler``). Only a security administrator unlocks, and that is audited (SEC-03).
- Security alerts (e.g. too many reveals of personal data) are texted to every 安全管理员
  (``alert_security_administrators``).
"""

import datetime
from base64 import b32encode

import segno
from axes.handlers.database import AxesDatabaseHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import default_key

from jobcircle.areas.codes import pad_code
from jobcircle.areas.models import Region
from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.common.errors import FieldErrors
from jobcircle.common.validators import normalize_mobile_phone, validate_mobile_phone

from .enums import ADMIN_ROLES, STAFF_ROLES, Role
from .models import Authenticator, User
from .permissions import MANAGE_SECURITY, MANAGE_USERS, has_permission
from .services import STAFF_SECOND_FACTOR, check_login_code, send_login_code, text_users

SECOND_FACTOR_KEY = "jc_second_factor"


def needs_second_factor(user) -> bool:
    return user.is_authenticated and user.role in STAFF_ROLES | ADMIN_ROLES


def second_factor_done(request) -> bool:
    return request.session.get(SECOND_FACTOR_KEY) == request.user.pk


SECOND_FACTOR_MISSING = "second_factor"
PASSWORD_TO_CHANGE = "password_expired"
UNFINISHED_MESSAGES = {
    SECOND_FACTOR_MISSING: "请先完成第二步验证（身份验证器动态码或短信验证码）",
    PASSWORD_TO_CHANGE: "密码已过期，请先修改密码",
}


def unfinished_sign_in(request):
    """What the signed-in user of ``request`` must still do before using anything, or None.

    - staff and administrators: the second factor (SEC-04), then an expired password (SEC-02);
    - residents and employers: nothing once signed in.
    The back office (StaffSignInMiddleware) and the API's session authentication both ask this.
    """
    user = request.user
    if needs_second_factor(user) and not second_factor_done(request):
        return SECOND_FACTOR_MISSING
    if password_expired(user):
        return PASSWORD_TO_CHANGE
    return None


def unfinished_sign_in_message(request) -> str:
    return UNFINISHED_MESSAGES.get(unfinished_sign_in(request), "")


def sign_in_complete(request) -> bool:
    """Whether the session belongs to a signed-in user with nothing left to do (``unfinished_sign_in``)."""
    return request.user.is_authenticated and unfinished_sign_in(request) is None


TOTP = "totp"
SMS = "sms"
TOTP_TOLERANCE = 1  # steps either side of the server's current one (SEC-05: window ±1 step)


def second_factor_methods(user) -> list[str]:
    """The ways ``user`` can finish signing in, the preferred one first.

    - ``totp`` when they have a confirmed authenticator; ``sms`` when a phone is on file.
    """
    methods = [TOTP] if Authenticator.objects.filter(user=user, confirmed=True).exists() else []
    return methods + ([SMS] if user.phone_encrypted else [])


def begin_second_factor(user, *, ip):
    """What happens right after the password.

    - with a confirmed authenticator nothing is texted: they type the app's code, and may still ask
      for an SMS (``send_second_factor_code``, rate limited as always);
    - without one a code is texted at once, as before. Returns the method the step starts with.
    """
    if TOTP in second_factor_methods(user):
        return TOTP
    send_second_factor_code(user, ip=ip)
    return SMS


def send_second_factor_code(user, *, ip):
    """Text a second-factor code to the staff member's phone; a clear error if none is on file.

    - called only once the password is right (the login form, or the verify step of that session);
    - a code of its own purpose (services.STAFF_SECOND_FACTOR): the public resident sign-in with the
      same phone neither replaces, burns nor rate-limits it.
    """
    if not user.phone_encrypted:
        raise ValidationError({"code": ["账号未登记手机号，无法发送验证码，请联系系统管理员"]})
    send_login_code(pii.decrypt(user.phone_encrypted), ip=ip, purpose=STAFF_SECOND_FACTOR)
    return user.phone_masked


def confirm_second_factor(request, code, *, method=SMS):
    """Check the code of ``method``; on success mark this session as fully signed in.

    - ``sms``: the latest texted code (accounts.services.check_login_code);
    - ``totp``: the code of the user's confirmed authenticator (``_use_totp_code``);
    - a failure of either is audited as ``accounts.mfa.failed`` and leaves the session half signed in.
    """
    user, method = request.user, (TOTP if method == TOTP else SMS)
    try:
        if method == TOTP:
            _use_totp_code(_locked_devices(user).filter(confirmed=True).first(), code)
        else:
            check_login_code(pii.decrypt(user.phone_encrypted), code, purpose=STAFF_SECOND_FACTOR)
    except ValidationError:
        log_action("accounts.mfa.failed", by=user, result="failure", data={"method": method})
        raise
    request.session.cycle_key()  # new session id once fully authenticated
    request.session[SECOND_FACTOR_KEY] = user.pk
    log_action("accounts.mfa.verified", by=user, data={"method": method})


def _locked_devices(user):
    # Locked so that two requests carrying the same code cannot both pass before last_t is saved.
    return Authenticator.objects.select_for_update().filter(user=user).order_by("-id")


def _use_totp_code(device, raw_code):
    """Check an authenticator code against ``device`` with django-otp (never by hand).

    - accepted: the device's step ±``tolerance`` of the server clock, and only a step later than the
      last one accepted (``last_t``), so each code works once;
    - after a wrong code the device waits 1, 2, 4 … seconds (OTP_TOTP_THROTTLE_FACTOR) and refuses
      every code meanwhile, saying so.
    """
    if device is None:
        raise ValidationError({"code": ["尚未绑定身份验证器，请改用短信验证码"]})
    allowed, details = device.verify_is_allowed()
    if not allowed:
        until = timezone.localtime((details or {}).get("locked_until") or timezone.now())
        raise ValidationError({"code": [f"动态码错误次数过多，请在 {until:%H:%M:%S} 之后再试"]})
    code = "".join(ch for ch in str(raw_code or "") if ch.isdigit())
    if not device.verify_token(code):
        raise ValidationError({"code": ["动态码不正确或已使用过，请输入身份验证器上新显示的6位动态码"]})


# --- 身份验证器 (TOTP) binding -------------------------------------------------------------------------


def totp_status(user):
    """The user's confirmed authenticator and the one being bound (with its QR code and secret)."""
    devices = list(Authenticator.objects.filter(user=user).order_by("-id"))
    device = next((d for d in devices if d.confirmed), None)
    pending = next((d for d in devices if not d.confirmed), None)
    setup = None
    if pending is not None:
        secret = b32encode(pending.bin_key).decode()
        setup = {
            # A data: URI (the CSP allows img-src data:; no script needed).
            "qr": segno.make(pending.config_url, error="m").svg_data_uri(scale=5, border=2),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        }
    return {"device": device, "pending": pending, "setup": setup}


def start_totp_enrolment(user):
    """Create a new secret to scan (an unconfirmed device); it signs nobody in until confirmed.

    - staff and administrators only (the roles with a second factor);
    - an earlier unfinished binding is discarded; a confirmed authenticator keeps working until the
      new one is confirmed;
    - audited without the secret.
    """
    if not needs_second_factor(user):
        raise PermissionDenied("只有工作人员和管理员需要绑定身份验证器")
    with transaction.atomic():
        Authenticator.objects.filter(user=user, confirmed=False).delete()
        device = Authenticator.objects.create(user=user, name="身份验证器", confirmed=False, tolerance=TOTP_TOLERANCE)
        device.set_secret(default_key())  # encrypted (AuthenticatorKey); the device's own key column is a decoy
    log_action("accounts.totp.enrolment_started", by=user, obj=user)
    return device


def confirm_totp_enrolment(user, code):
    """Confirm the binding with a code the app shows now: proof that it holds the secret.

    - the code is checked as at sign-in (``_use_totp_code``: ±1 step, once, throttled);
    - then the new device is confirmed and every other device of the user deleted (re-binding replaces);
    - audited either way, without the secret or the code.
    """
    devices = list(_locked_devices(user))
    pending = next((d for d in devices if not d.confirmed), None)
    if pending is None:
        raise ValidationError({"code": ["请先生成二维码，再输入身份验证器显示的动态码"]})
    try:
        _use_totp_code(pending, code)
    except ValidationError:
        log_action("accounts.totp.enrolment_failed", by=user, obj=user, result="failure")
        raise
    replaced = _delete_devices(Authenticator.objects.filter(user=user).exclude(pk=pending.pk))
    pending.confirmed = True
    pending.save(update_fields=["confirmed"])
    log_action("accounts.totp.enrolled", by=user, obj=user, data={"replaced": replaced})
    return pending


def _delete_devices(devices) -> int:
    """Delete authenticators (their encrypted keys go with them); returns how many devices."""
    ids = list(devices.values_list("pk", flat=True))
    Authenticator.objects.filter(pk__in=ids).delete()
    return len(ids)


def reset_second_factor(user, *, by):
    """Remove a user's authenticator (lost or replaced phone), so they sign in with the SMS code again.

    - only roles with MANAGE_SECURITY (安全管理员);
    - deletes every TOTP device of the user, confirmed or being bound; they may bind a new one;
    - audited, also when there was nothing to remove. Returns the number removed.
    """
    if not has_permission(by, MANAGE_SECURITY):
        raise PermissionDenied("仅安全管理员可以重置第二因素")
    removed = _delete_devices(Authenticator.objects.filter(user=user))
    log_action("accounts.mfa.reset", by=by, obj=user, data={"devices_removed": removed})
    return removed


PASSWORD_REMINDER_DAYS = 14


def password_days_left(user) -> int | None:
    """Days until a staff password must be changed, when that is soon (within PASSWORD_REMINDER_DAYS) or past.

    - None for residents, employers and passwords far from expiry;
    - 0 once expired (the sign-in then stops at the change form).
    """
    if getattr(user, "role", None) not in STAFF_ROLES | ADMIN_ROLES or not user.has_usable_password():
        return None
    if user.password_changed_at is None:
        return 0
    max_age = datetime.timedelta(days=settings.JOBCIRCLE_STAFF_PASSWORD_MAX_AGE_DAYS)
    left = (user.password_changed_at + max_age - timezone.now()).days
    return max(left, 0) if left <= PASSWORD_REMINDER_DAYS else None


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


def _recent_attempts():
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())


def failures_from_ip(ip) -> int:
    """Failed sign-ins from ``ip`` within the cool-off window, whatever the usernames."""
    from django.db.models import Sum

    return _recent_attempts().filter(ip_address=ip).aggregate(n=Sum("failures_since_start"))["n"] or 0


def ip_locked(ip) -> bool:
    """Whether ``ip`` reached JOBCIRCLE_LOCKOUT_IP_FAILURES failed sign-ins within the cool-off window."""
    return bool(ip) and failures_from_ip(ip) >= settings.JOBCIRCLE_LOCKOUT_IP_FAILURES


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler plus a ceiling per IP across usernames (SEC-03, password spraying).

    - per (username, IP): AXES_FAILURE_LIMIT failures lock that pair (axes itself);
    - per IP: JOBCIRCLE_LOCKOUT_IP_FAILURES failures within the same cool-off lock every sign-in from
      that IP, answered like any lock (429), announced by the same signal (audited
      ``accounts.login.locked_out``); it lapses with the failures, or a 安全管理员 lifts it (``unlock_ip``).
    """

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or ip_locked(getattr(request, "axes_ip_address", None))

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if ip_locked(request.axes_ip_address):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            username = (credentials or {}).get("username")
            user_locked_out.send("axes", request=request, username=username, ip_address=request.axes_ip_address)


def current_lockouts():
    """Logins locked right now, as django-axes decides it (SEC-03), newest failure first.

    - a lock is per (username, IP): AXES_FAILURE_LIMIT failures within the cool-off window, summed
      over the browser strings axes records separately;
    - or per IP, whatever the usernames (``LockoutHandler``): such a row has an empty username;
    - each row: username, ip_address, failures, last_failure, and unlocks_at (when the lock lapses by itself).
    """
    from axes.helpers import get_cool_off
    from django.db.models import Max, Sum

    cool_off = get_cool_off()
    recent = _recent_attempts()
    pairs = (
        recent.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    ips = (
        recent.values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=settings.JOBCIRCLE_LOCKOUT_IP_FAILURES)
    )
    rows = list(pairs) + [{"username": "", **row} for row in ips]
    rows.sort(key=lambda row: (-row["last_failure"].timestamp(), row["username"]))
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


def unlock_ip(ip, *, by):
    """Lift the lock of an IP (its failures under every username); security administrators only; audited."""
    from axes.utils import reset

    if not has_permission(by, MANAGE_SECURITY):
        raise PermissionDenied("仅安全管理员可以解除锁定")
    removed = reset(ip=ip)
    log_action("accounts.login.unlocked", by=by, data={"ip": ip, "attempts_cleared": removed})
    return removed


def alert_security_administrators(text) -> int:
    """Text a security alert to every active 安全管理员 with a phone on file; returns how many were texted.

    - ``text`` must hold no personal data of residents (usernames and counts only);
    - a gateway failure is logged, never fatal: the alert is also in the audit log.
    """
    admins = User.objects.filter(role=Role.SECURITY_ADMIN, is_active=True)
    return text_users(admins, lambda admin: text)


def _current_region(errors, code):
    """The current region of a 6-, 9- or 12-digit code; None for an empty code; a field error otherwise."""
    if not (code or "").strip():
        return None
    try:
        region = Region.objects.current().filter(code=pad_code(code)).first()
    except ValueError:
        region = None
    if region is None:
        errors.add("area_code", "负责区划：没有这个区划代码")
    return region


def create_staff_user(*, by, username, role, area_code, phone, password, bootstrap=False):
    """A system administrator creates a staff or administrator login (SEC-07/08).

    - only roles with MANAGE_USERS — or, once, the first system administrator (``bootstrap``, from
      ``manage.py create_first_admin``) while no user-managing account exists;
    - the password must pass the policy; the phone receives the second factor;
    - area staff must be given an area: ``area_code`` of a current county, township or community
      (6, 9 or 12 digits); administrators may leave it empty.
    """
    from django.contrib.auth.password_validation import validate_password

    first_admin = bootstrap and role == Role.SYSTEM_ADMIN and not User.objects.filter(role=Role.SYSTEM_ADMIN).exists()
    if not (first_admin or has_permission(by, MANAGE_USERS)):
        raise PermissionDenied("仅系统管理员可以创建账号")
    errors = FieldErrors()
    if not username or User.objects.filter(username=username).exists():
        errors.add("username", "用户名：不能为空或已被使用")
    if role not in {r.value for r in STAFF_ROLES | ADMIN_ROLES}:
        errors.add("role", f"角色：只能是 {'、'.join(Role(r).label for r in STAFF_ROLES | ADMIN_ROLES)}")
    area = _current_region(errors, area_code)
    if role in {r.value for r in STAFF_ROLES} and area is None and "area_code" not in errors.errors:
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
