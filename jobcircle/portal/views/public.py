"""Public pages: choose a community, its nearby jobs, its printable QR poster, health check."""

import io

import segno
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region
from jobcircle.areas.stations import nearest_communities, search_communities
from jobcircle.common.web import staff_required
from jobcircle.matching.services import nearby_jobs


def _community_or_404(code):
    community = Region.objects.filter(code=code, level=RegionLevel.COMMUNITY).select_related("parent").first()
    station = community.stations.order_by("id").first() if community else None
    if station is None:
        raise Http404("未找到该社区")
    return community, station


@login_not_required
def home(request):
    """Mobile entry: find your community by name (type-ahead, searched on the server) or by "use my
    location" (the nearest communities), then see the jobs around it. Never a list of every community."""
    if request.user.is_authenticated and request.scope.resident_id:
        return redirect("portal:m_home")
    q, error, located = request.GET.get("q", "").strip()[:50], "", False
    communities = search_communities(q)
    if request.GET.get("lat") and request.GET.get("lng"):
        located = True
        try:
            communities = nearest_communities(request.GET["lat"], request.GET["lng"])
        except ValidationError:
            error = "没能识别您的位置，请输入社区（村）名称查找。"
    context = {"q": q, "communities": communities, "located": located, "error": error}
    return render(request, "portal/home.html", context)


@login_not_required
def community_jobs(request, code):
    """社区快聘: open jobs within 3 km of the community's service station, nearest first."""
    community, station = _community_or_404(code)
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
def join(request, code):
    """The QR code's target: remember the community, then sign in or register by phone."""
    community, _station = _community_or_404(code)
    request.session["join_community"] = community.code
    return redirect(f"{reverse('portal:m_login')}?c={community.code}")


def _join_url(request, code):
    return request.build_absolute_uri(reverse("portal:join", args=[code]))


@login_not_required
def qr_svg(request, code):
    community, _station = _community_or_404(code)
    buffer = io.BytesIO()
    segno.make(_join_url(request, community.code), error="m").save(
        buffer, kind="svg", scale=8, border=2, title=f"{community.name}社区快聘"
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@staff_required
def poster(request, code):
    """A printable A4 poster: scan to register and see jobs within 3 km."""
    community, station = _community_or_404(code)
    if not request.scope.covers(community.code):
        raise Http404("未找到该社区")
    context = {"community": community, "station": station, "join_url": _join_url(request, community.code)}
    return render(request, "portal/poster.html", context)


@staff_required
def poster_list(request):
    communities = (
        Region.objects.current()
        .in_area(request.scope.region)
        .filter(level=RegionLevel.COMMUNITY, stations__isnull=False)
        .select_related("parent")
        .distinct()
        .order_by("code")
    )
    return render(request, "portal/poster_list.html", {"communities": communities, "nav": "posters"})


@login_not_required
def healthz(request):
    return JsonResponse({"status": "ok"})
