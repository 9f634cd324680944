"""The ONLY place that decides which rows a user may see.

Staff see the rows whose ``area_code`` starts with their region's prefix
(community 12 digits ⊂ township 9 ⊂ county 6), because statistical codes are
hierarchical. Residents and employers see only what they own. Everything else
sees nothing. Out of scope and missing look the same: 404.
"""

from dataclasses import dataclass

from django.db import models
from django.http import Http404

from jobcircle.accounts.enums import STAFF_ROLES, Role


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    role: str = ""
    area_prefix: str | None = None  # staff only
    resident_id: int | None = None
    employer_id: int | None = None

    @property
    def is_staff(self):
        return self.role in STAFF_ROLES and self.area_prefix is not None

    def covers(self, area_code: str) -> bool:
        return self.is_staff and (area_code or "").startswith(self.area_prefix)


NO_SCOPE = Scope()


def scope_for_user(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    area_prefix = user.area.scope_prefix if user.role in STAFF_ROLES and user.area_id else None
    return Scope(
        user_id=user.pk,
        role=user.role,
        area_prefix=area_prefix,
        resident_id=user.resident_id if user.role == Role.RESIDENT else None,
        employer_id=user.employer_id if user.role == Role.EMPLOYER else None,
    )


class ScopedQuerySet(models.QuerySet):
    """Base QuerySet of every area-owned model.

    Models declare ``scope_area_field`` (default ``area_code``) and, for the
    rows residents or employers own, ``scope_owner_fields`` mapping a role to
    the field compared with the scope's resident/employer id.
    """

    def in_scope(self, scope: Scope):
        model = self.model
        if scope.is_staff:
            area_field = getattr(model, "scope_area_field", "area_code")
            return self.filter(**{f"{area_field}__startswith": scope.area_prefix})
        owner_field = getattr(model, "scope_owner_fields", {}).get(scope.role)
        owner_id = scope.resident_id if scope.role == Role.RESIDENT else scope.employer_id
        if owner_field and owner_id:
            return self.filter(**{owner_field: owner_id})
        return self.none()


def get_in_scope_or_404(queryset, scope: Scope, **lookup):
    try:
        return queryset.in_scope(scope).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该记录") from exc


def area_prefix_in_scope_or_404(scope: Scope, area_code: str | None) -> str:
    """The area prefix to filter by: the requested region if inside the scope, else 404."""
    from .models import Region

    if not scope.is_staff:
        raise Http404("未找到该区划")
    if not area_code:
        return scope.area_prefix
    region = Region.objects.filter(code=area_code.ljust(12, "0")).first()
    if region is None or not region.scope_prefix.startswith(scope.area_prefix):
        raise Http404("未找到该区划")
    return region.scope_prefix
