from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render

from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region
from jobcircle.matching.services import nearby_jobs


@login_not_required
def home(request):
    """Mobile entry: choose your community to see the jobs around it."""
    communities = (
        Region.objects.current()
        .filter(level=RegionLevel.COMMUNITY, stations__isnull=False)
        .select_related("parent")
        .distinct()
        .order_by("code")
    )
    return render(request, "portal/home.html", {"communities": communities})


@login_not_required
def community_jobs(request, code):
    """社区快聘: open jobs within 3 km of the community's service station, nearest first."""
    community = Region.objects.filter(code=code, level=RegionLevel.COMMUNITY).select_related("parent").first()
    station = community.stations.order_by("id").first() if community else None
    if station is None:
        raise Http404("未找到该社区")
    request.visit_area_code = community.code
    try:
        offset = max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        offset = 0
    try:
        page = nearby_jobs(station.lat, station.lng, limit=20, offset=offset)
    except ValidationError as exc:
        raise Http404 from exc
    context = {"community": community, "station": station, "page": page, "offset": offset, "next_offset": offset + 20}
    return render(request, "portal/community_jobs.html", context)


@login_not_required
def healthz(request):
    return JsonResponse({"status": "ok"})
