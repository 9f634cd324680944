"""Sign-in by phone and SMS code (SEC-05), and texts to staff users.

The accounts residents and employers create themselves are made by ``portal.signup`` (they
write a resident or an employer record too, which sit above accounts).

- a code is 6 digits from ``secrets``; only an HMAC of it is stored; it lives 5 minutes
  (``JOBCIRCLE_SMS_CODE_TTL_SECONDS``) and is used once; five wrong tries burn it.
- sending is limited per phone: at most 1 a minute and 10 a day (``JOBCIRCLE_SMS_PER_MINUTE`` /
  ``JOBCIRCLE_SMS_PER_DAY``), counted with atomic database increments, so parallel requests cannot slip
  past; beyond the limit → ``RateLimited`` (429).
- per client IP there is only an abuse ceiling (``JOBCIRCLE_SMS_IP_PER_HOUR`` / ``JOBCIRCLE_SMS_IP_PER_DAY``):
  a service station, county office or village shares one address. Past ``JOBCIRCLE_SMS_CAPTCHA_AFTER``
  resident codes an hour from one address, each further one needs a solved image captcha
  (``captcha_required``). Addresses in ``JOBCIRCLE_TRUSTED_NETWORKS`` (office networks) are exempt from
  both; the per-phone limits hold for everyone.
- each code has a purpose: a resident's sign-in (the public /m/login/) or a staff member's second
  factor (texted only after their password, accounts.security). Codes, wrong tries and send limits
  are kept per purpose, so nobody typing a staff phone into /m/login/ can burn or block its code.
"""

import hmac
import ipaddress
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from jobcircle.common import pii
from jobcircle.common.audit import log_action
from jobcircle.common.sms import SMSError, send_sms
from jobcircle.common.validators import normalize_mobile_phone, validate_mobile_phone

from .models import LoginCode, RateCounter

logger = logging.getLogger(__name__)

MAX_FAILED_ATTEMPTS = 5
RESIDENT_SIGN_IN = LoginCode.Purpose.RESIDENT_SIGN_IN
STAFF_SECOND_FACTOR = LoginCode.Purpose.STAFF_SECOND_FACTOR
MESSAGES = {
    RESIDENT_SIGN_IN: "【三公里就业圈】您的登录验证码是{code}，{minutes}分钟内有效。如非本人操作请忽略。",
    STAFF_SECOND_FACTOR: (
        "【三公里就业圈】您的工作人员登录第二步验证码是{code}，{minutes}分钟内有效。如非本人操作请立即修改密码。"
    ),
}


class RateLimited(Exception):
    """Too many codes asked for; the message says when to try again."""


CAPTCHA_MISSING = "请先输入图片验证码（同一网络获取验证码较多）"


def _now():
    return timezone.now()


def _setting(name, default):
    return getattr(settings, name, default)


def clean_phone(raw) -> str:
    phone = normalize_mobile_phone(raw or "")
    if not phone:
        raise ValidationError({"phone": ["手机号：不能为空"]})
    try:
        validate_mobile_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    return phone


def _code_hash(phone_hash, code, purpose):
    return salted_hmac("jobcircle.login-code", f"{purpose}:{phone_hash}:{code}", algorithm="sha256").hexdigest()


def hit_rate_counter(key, expires_at) -> int:
    """Add one to the counter ``key`` atomically and return its new value (kept until ``expires_at``)."""
    if not RateCounter.objects.filter(key=key).update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, count=1, expires_at=expires_at)
        except IntegrityError:  # created by a parallel request in between
            RateCounter.objects.filter(key=key).update(count=F("count") + 1)
    return RateCounter.objects.get(key=key).count


def in_trusted_network(ip) -> bool:
    """Whether ``ip`` lies in one of the deployment's trusted office networks (``JOBCIRCLE_TRUSTED_NETWORKS``)."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in _setting("JOBCIRCLE_TRUSTED_NETWORKS", []))


def _ip_keys(ip, now, purpose):
    """The counter keys of one client address: this hour's and today's, per purpose."""
    ip_key = pii.blind_index("ip", ip or "unknown")[:32]
    hour, day = int(now.timestamp() // 3600), timezone.localtime(now).date().isoformat()
    return f"sms-{purpose}:ip:{ip_key}:h:{hour}", f"sms-{purpose}:ip:{ip_key}:d:{day}"


def captcha_required(ip, *, purpose=RESIDENT_SIGN_IN) -> bool:
    """Whether the next resident code asked from ``ip`` needs a solved image captcha first.

    - only resident sign-in codes (staff codes come after the password);
    - once the address has asked for more than ``JOBCIRCLE_SMS_CAPTCHA_AFTER`` codes this hour;
    - never for an address in a trusted office network (``in_trusted_network``).
    """
    if purpose != RESIDENT_SIGN_IN or in_trusted_network(ip):
        return False
    hour_key, _day_key = _ip_keys(ip, _now(), purpose)
    asked = RateCounter.objects.filter(key=hour_key).values_list("count", flat=True).first() or 0
    return asked >= _setting("JOBCIRCLE_SMS_CAPTCHA_AFTER", 10)


def _check_rate(phone_hash, ip, now, purpose):
    minute = int(now.timestamp() // 60)
    day = timezone.localtime(now).date().isoformat()
    sms = f"sms-{purpose}"  # one set of counters per purpose
    phone_key = f"{sms}:phone:{phone_hash[:32]}"
    limits = [
        (f"{phone_key}:m:{minute}", now + timedelta(minutes=2), _setting("JOBCIRCLE_SMS_PER_MINUTE", 1), "minute"),
        (f"{phone_key}:d:{day}", now + timedelta(days=2), _setting("JOBCIRCLE_SMS_PER_DAY", 10), "day"),
    ]
    if not in_trusted_network(ip):  # the abuse ceiling of one address; office networks are exempt
        hour_key, day_key = _ip_keys(ip, now, purpose)
        limits += [
            (hour_key, now + timedelta(hours=2), _setting("JOBCIRCLE_SMS_IP_PER_HOUR", 100), "ip"),
            (day_key, now + timedelta(days=2), _setting("JOBCIRCLE_SMS_IP_PER_DAY", 500), "ip"),
        ]
    over = {kind for key, expires, limit, kind in limits if hit_rate_counter(key, expires) > limit}
    # The minute counter is a calendar-minute bucket (atomic under concurrent sends); the codes actually
    # sent in the last 60 s close the gap at a bucket's edge (10:00:59 then 10:01:00 is still one minute).
    sent_last_minute = LoginCode.objects.filter(
        purpose=purpose, phone_hash=phone_hash, created_at__gt=now - timedelta(minutes=1)
    ).count()
    if sent_last_minute >= _setting("JOBCIRCLE_SMS_PER_MINUTE", 1):
        over.add("minute")
    if "day" in over:
        raise RateLimited("今天获取验证码的次数已达上限，请明天再试，或到社区就业服务站办理")
    if "ip" in over:
        log_action("accounts.login_code.ip_ceiling", result="failure")
        raise RateLimited("当前网络获取验证码过于频繁，请稍后再试，或到社区就业服务站办理")
    if over:
        raise RateLimited("获取验证码太频繁，请1分钟后再试")


def send_login_code(raw_phone, *, ip, purpose=RESIDENT_SIGN_IN, human_checked=False) -> LoginCode:
    """Text a new code of ``purpose`` (a resident's sign-in unless told) to a phone.

    - the phone must be a mainland mobile (field error otherwise).
    - when ``captcha_required(ip)`` the caller must have had an image captcha solved
      (``human_checked``); otherwise a ``captcha`` field error and nothing is counted or sent.
    - rate limits of that purpose are checked before anything is sent; over the limit → ``RateLimited``.
    - earlier unused codes of that purpose for the phone stop working; a gateway failure is a clear
      error, not a 500.
    """
    phone = clean_phone(raw_phone)
    if not human_checked and captcha_required(ip, purpose=purpose):
        raise ValidationError({"captcha": [CAPTCHA_MISSING]})
    phone_hash = pii.blind_index("phone", phone)
    now = _now()
    _check_rate(phone_hash, ip, now, purpose)
    RateCounter.objects.filter(expires_at__lt=now).delete()
    code = f"{secrets.randbelow(10**6):06d}"
    LoginCode.objects.filter(purpose=purpose, phone_hash=phone_hash, used_at__isnull=True).update(used_at=now)
    ttl = _setting("JOBCIRCLE_SMS_CODE_TTL_SECONDS", 300)
    login_code = LoginCode.objects.create(
        purpose=purpose, phone_hash=phone_hash, code_hash=_code_hash(phone_hash, code, purpose), created_at=now,
        expires_at=now + timedelta(seconds=ttl),
    )  # fmt: skip
    try:
        send_sms(phone, MESSAGES[purpose].format(code=code, minutes=ttl // 60))
    except SMSError as exc:
        log_action("accounts.login_code.send_failed", result="failure")
        raise ValidationError({"phone": ["短信发送失败，请稍后再试"]}) from exc
    log_action("accounts.login_code.sent", data={"phone_hash": phone_hash[:12]})
    return login_code


def check_login_code(raw_phone, raw_code, *, purpose=RESIDENT_SIGN_IN) -> str:
    """Use a code of ``purpose``: return the normalised phone if the code is right, unexpired and unused.

    - a wrong code counts against the latest code of that purpose; after five wrong tries it is burnt.
    - codes of the other purpose are neither tried nor counted against.
    - every failure gives the same message on the ``code`` field.
    """
    phone = clean_phone(raw_phone)
    phone_hash = pii.blind_index("phone", phone)
    code = "".join(ch for ch in str(raw_code or "") if ch.isdigit())
    now = _now()
    latest = (
        LoginCode.objects.select_for_update()
        .filter(purpose=purpose, phone_hash=phone_hash, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None or not hmac.compare_digest(latest.code_hash, _code_hash(phone_hash, code, purpose)):
        if latest is not None:
            latest.failed_attempts += 1
            if latest.failed_attempts >= MAX_FAILED_ATTEMPTS:
                latest.used_at = now
            latest.save(update_fields=["failed_attempts", "used_at"])
        log_action("accounts.login_code.rejected", result="failure")
        raise ValidationError({"code": ["验证码不正确或已过期，请重新获取"]})
    latest.used_at = now
    latest.save(update_fields=["used_at"])
    return phone


def text_users(users, text_for) -> int:
    """Text each of ``users`` with a phone on file ``text_for(user)``; returns how many were handed over.

    - staff and administrators only (their phone is on the login, encrypted);
    - a gateway failure is logged, never fatal: whatever asked for the texts has already been recorded.
    """
    texted = 0
    for user in users.exclude(phone_encrypted=""):
        try:
            send_sms(pii.decrypt(user.phone_encrypted), text_for(user))
            texted += 1
        except SMSError:
            logger.warning("SMS to user %s failed", user.pk)
    return texted
