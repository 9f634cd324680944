from django.shortcuts import render

from jobcircle.areas.maps import map_config
from jobcircle.areas.models import Region
from jobcircle.areas.scoping import region_in_scope_or_404
from jobcircle.common.web import staff_required

from .services import OVERVIEW_LABELS, map_layers, overview, weekly_trend


@staff_required
def dashboard(request):
    """Staff dashboard: the overview figures, weekly trends and the map of the user's area (or a sub-area)."""
    prefix = region_in_scope_or_404(request.scope, request.GET.get("area")).scope_prefix
    figures, trend = overview(prefix), weekly_trend(prefix)
    context = {
        "area": Region.objects.get(code=prefix.ljust(12, "0")),
        "figures": [(key, OVERVIEW_LABELS[key], value) for key, value in figures.items()],
        "sub_areas": Region.objects.current().filter(parent__code=prefix.ljust(12, "0")).order_by("code"),
        "trend": trend,
        "trend_rows": list(zip(trend["labels"], zip(*(s["data"] for s in trend["series"]), strict=True), strict=True)),
        "map_data": map_layers(prefix),
        "map_config": map_config(),
        "nav": "dashboard",
    }
    return render(request, "insights/dashboard.html", context)
