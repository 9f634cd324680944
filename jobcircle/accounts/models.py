import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models

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
