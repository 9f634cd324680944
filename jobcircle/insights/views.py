from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from jobcircle.areas.models import Region
from jobcircle.areas.scoping import area_prefix_in_scope_or_404

from .services import OVERVIEW_LABELS, overview


def dashboard(request):
    """Staff dashboard: the overview figures of the user's area (or a sub-area they choose)."""
    if not request.scope.is_staff:
        raise PermissionDenied("仅限工作人员访问")
    prefix = area_prefix_in_scope_or_404(request.scope, request.GET.get("area"))
    figures = overview(prefix)
    sub_areas = Region.objects.current().filter(parent__code=prefix.ljust(12, "0")).order_by("code")
    context = {
        "area": Region.objects.get(code=prefix.ljust(12, "0")),
        "figures": [(key, OVERVIEW_LABELS[key], value) for key, value in figures.items()],
        "sub_areas": sub_areas,
    }
    return render(request, "insights/dashboard.html", context)
