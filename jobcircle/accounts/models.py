import hashlib
import secrets
from binascii import unhexlify

from django.contrib.auth.models import AbstractUser
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobcircle.common import pii

from .enums import STAFF_ROLES, Role


class User(AbstractUser):
    """A login. Staff carry the region they serve; residents and employers the record they own."""

    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.RESIDENT)
    area = models.ForeignKey(
        "areas.Region", verbose_name="负责区划", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resident = models.OneToOneField(
        "people.Resident",
        verbose_name="居民档案",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name="用工单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    # Staff receive their second-factor codes on this phone (SEC-04); stored like every phone (common.pii).
    phone_encrypted = models.TextField("手机号（密文）", blank=True, editable=False)
    phone_hash = models.CharField("手机号索引", max_length=64, null=True, blank=True, unique=True, editable=False)
    phone_masked = models.CharField("手机号（脱敏）", max_length=16, blank=True, editable=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                name="staff_user_has_area",
                condition=~models.Q(role__in=sorted(r.value for r in STAFF_ROLES)) | models.Q(area__isnull=False),
            ),
        ]

    @property
    def is_area_staff(self):
        return self.role in STAFF_ROLES

    set_phone = pii.PIIField("phone", mask=pii.mask_phone, empty_hash=None)  # common.pii.PIIField

    def set_password(self, raw_password):
        from django.utils import timezone

        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """Bearer token for integrations and scripts; only its SHA-256 is stored."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    name = models.CharField("用途", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self):
        return f"{self.user} {self.name}"

    @classmethod
    def issue(cls, user, name=""):
        """Create a token and return (token row, the raw token, shown once)."""
        raw = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, key_hash=hash_token(raw), name=name), raw


class LoginCode(models.Model):
    """An SMS verification code (SEC-05): only its keyed hash is stored; single use, short-lived.

    A code serves one purpose: a resident's sign-in or a staff member's second factor. Codes of one purpose
    never replace, count against or pass for codes of the other, even for the same phone.
    """

    class Purpose(models.TextChoices):
        RESIDENT_SIGN_IN = "resident", "居民登录"
        STAFF_SECOND_FACTOR = "staff", "工作人员第二步验证"

    purpose = models.CharField("用途", max_length=16, choices=Purpose.choices, default=Purpose.RESIDENT_SIGN_IN)
    phone_hash = models.CharField("手机号索引", max_length=64, db_index=True)
    code_hash = models.CharField("验证码摘要", max_length=64)
    created_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("过期时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField("错误次数", default=0)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"验证码 {self.created_at:%Y-%m-%d %H:%M}"


class RateCounter(models.Model):
    """A fixed-window counter (per phone or per IP; per minute, hour or day) incremented atomically."""

    key = models.CharField("计数键", max_length=120, unique=True)
    count = models.PositiveIntegerField("次数", default=0)
    expires_at = models.DateTimeField("过期时间", db_index=True)

    class Meta:
        verbose_name = "发送频率计数"
        verbose_name_plural = "发送频率计数"

    def __str__(self):
        return f"{self.key}={self.count}"


class AuthenticatorKey(models.Model):
    """The secret of a bound authenticator app, encrypted like personal data (common.pii).

    django-otp's TOTPDevice keeps its key in clear, and 等保 asks that authentication data be kept
    confidential in storage: anyone with a backup could otherwise compute every staff member's codes.
    """

    device = models.OneToOneField(
        "otp_totp.TOTPDevice", verbose_name="身份验证器", on_delete=models.CASCADE, related_name="encrypted_key"
    )
    key_encrypted = models.TextField("密钥（密文）", editable=False)

    class Meta:
        verbose_name = "身份验证器密钥"
        verbose_name_plural = "身份验证器密钥"

    def __str__(self):
        return f"身份验证器 {self.device_id} 的密钥"


class Authenticator(TOTPDevice):
    """django-otp's TOTPDevice reading its secret from AuthenticatorKey (decrypted when a code is checked).

    The device's own ``key`` column keeps the random value django-otp generates and is never used:
    code checked through the plain TOTPDevice class would fail against it, not pass.
    """

    class Meta:
        proxy = True
        verbose_name = "身份验证器"
        verbose_name_plural = "身份验证器"

    @property
    def bin_key(self):
        return unhexlify(pii.decrypt(self.encrypted_key.key_encrypted))

    def set_secret(self, hex_key):
        """Store ``hex_key`` (django-otp's format) encrypted; the device must be saved first."""
        AuthenticatorKey.objects.update_or_create(device=self, defaults={"key_encrypted": pii.encrypt(hex_key)})
