"""The area half of "which rows may this caller see": fetch in scope, pick a sub-area in scope.

Who may see which area is resolved once per request in ``accounts.access`` (``request.scope``);
the queryset method lives in ``querysets`` (``in_area`` / ``in_scope``). Out of scope and missing
look the same: 404.
"""

from django.http import Http404

from .codes import pad_code
from .models import Region
from .querysets import AreaScope


def get_in_scope_or_404(queryset, scope: AreaScope, **lookup):
    try:
        return queryset.in_scope(scope).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该记录") from exc


def region_in_scope_or_404(scope: AreaScope, area_code: str | None) -> Region:
    """The region to filter by: the requested one if inside the scope, else 404; none requested: the scope's own.

    - only staff have a region; anyone else gets 404;
    - a code names its region padded to 12 digits (``110101`` is the county).
    """
    if scope.region is None:
        raise Http404("未找到该区划")
    if not area_code:
        return scope.region
    try:
        region = Region.objects.filter(code=pad_code(area_code)).first()
    except ValueError:
        region = None
    if region is None or not region.scope_prefix.startswith(scope.region.scope_prefix):
        raise Http404("未找到该区划")
    return region
