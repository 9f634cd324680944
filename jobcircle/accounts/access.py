"""Who may see what: the caller's ``Scope``, resolved once per request (``request.scope``).

The one door for "which area may I see" (SEC-09). Staff see the rows inside the region they serve;
residents and employers see only what they own; everyone else sees nothing. The scope also carries
the caller's permission set (``permissions.PERMISSIONS``), so a service reads both from one value.
The rows themselves are filtered by the area half, ``areas.querysets.AreaQuerySet.in_scope``.
"""

from dataclasses import dataclass, field

from jobcircle.areas.models import Region

from .enums import STAFF_ROLES, Role
from .permissions import PERMISSIONS


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    role: str = ""
    permissions: frozenset[str] = field(default_factory=frozenset)
    region: Region | None = None  # staff only: the region they serve
    resident_id: int | None = None
    employer_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES and self.region is not None

    @property
    def area_prefix(self) -> str | None:
        """The leading digits of every area code inside the staff member's region (None for others)."""
        return self.region.scope_prefix if self.region is not None else None

    @property
    def owner_id(self) -> int | None:
        """The resident's or the employer's own id, compared with a model's ``scope_owner_fields``."""
        return self.resident_id if self.role == Role.RESIDENT else self.employer_id

    def covers(self, area_code: str) -> bool:
        return self.is_staff and (area_code or "").startswith(self.area_prefix)

    def can(self, permission: str) -> bool:
        return permission in self.permissions


NO_SCOPE = Scope()


def scope_for_user(user) -> Scope:
    """The scope of ``user`` (an inactive, anonymous or missing user has none).

    - staff with an area: that region and their role's permissions;
    - a resident or an employer: the id of the record they own;
    - administrators: their permissions, no region (they see no residents).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    return Scope(
        user_id=user.pk,
        role=user.role,
        permissions=PERMISSIONS.get(user.role, frozenset()),
        region=user.area if user.role in STAFF_ROLES and user.area_id else None,
        resident_id=user.resident_id if user.role == Role.RESIDENT else None,
        employer_id=user.employer_id if user.role == Role.EMPLOYER else None,
    )
