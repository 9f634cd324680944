"""Areas as values: the one queryset method for "rows inside this area" (``in_area``).

Statistical division codes are hierarchical (community 12 digits ⊂ township 9 ⊂ county 6), so "inside
a region" is an indexed prefix match on the row's area code. This module knows areas, never users:
who may see which area is decided in ``accounts.access`` (the ``Scope``); ``in_scope`` only reads
what that scope resolved (``AreaScope``).
"""

from typing import Protocol

from django.db import models


class AreaValue(Protocol):
    """A region as a value: a ``Region`` row, or ``codes.Area`` for a code that needs no row."""

    @property
    def scope_prefix(self) -> str: ...


class AreaScope(Protocol):
    """What the area half needs of a caller's scope (``accounts.access.Scope`` provides it)."""

    role: str

    @property
    def region(self) -> AreaValue | None: ...  # staff only: the region they serve

    @property
    def owner_id(self) -> int | None: ...  # a resident's or an employer's own id

    def covers(self, area_code: str) -> bool: ...


class AreaQuerySet(models.QuerySet):
    """Base QuerySet of every model that has an area.

    Models declare ``scope_area_field`` (default ``area_code``) and, for the rows residents or
    employers own, ``scope_owner_fields`` mapping a role to the field compared with the scope's
    owner id.
    """

    def in_area(self, region: AreaValue):
        """Rows whose area lies inside ``region`` (the region itself included)."""
        area_field = getattr(self.model, "scope_area_field", "area_code")
        return self.filter(**{f"{area_field}__startswith": region.scope_prefix})

    def in_scope(self, scope: AreaScope):
        """Rows the scope may see: staff their region, residents and employers what they own, others nothing."""
        if scope.region is not None:
            return self.in_area(scope.region)
        owner_field = getattr(self.model, "scope_owner_fields", {}).get(scope.role)
        if owner_field and scope.owner_id:
            return self.filter(**{owner_field: scope.owner_id})
        return self.none()
