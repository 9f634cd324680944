"""就业服务站 (service stations): registered by staff (screens, Excel import), and the stand-in point of a
community's homes and workplaces when no point is given.

A county loads its own stations: nothing here needs the demo generator. A community without a station
is never refused: ``location_for_community`` falls back and says so.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction

from jobcircle.common.audit import log_action

from .enums import RegionLevel, SourceCRS
from .geo.distance import haversine_m
from .models import Region, ServiceStation
from .querysets import AreaScope
from .services import resolve_location

STATION_FIELDS = ("name", "address", "lat", "lng", "source_crs")
STATION_LEVELS = (RegionLevel.TOWNSHIP, RegionLevel.COMMUNITY)


@dataclass(frozen=True)
class StandIn:
    """The point that stands in for a home or workplace in a community, and the warning to show (or "")."""

    lat: float
    lng: float
    source_crs: str
    warning: str = ""

    @property
    def point(self):
        return self.lat, self.lng, self.source_crs


def location_for_community(community: Region) -> StandIn:
    """Where a home or workplace in ``community`` is placed when no point is given (the one rule).

    - the community's own first service station, without a warning;
    - else its township's station — one registered on the township itself, else the first of another
      community of the township — with a warning naming it;
    - else the community's centre point (``Region.centroid_*``), or its township's, with a warning;
    - only when none of these exists: a ``location`` error asking for a station or the coordinates.
    """
    own = community.stations.order_by("id").first()
    if own is not None:
        return StandIn(own.lat, own.lng, own.source_crs)
    township = community.parent if community.parent and community.parent.level == RegionLevel.TOWNSHIP else None
    if township is not None:
        station = (
            ServiceStation.objects.in_area(township)
            .order_by("community__level", "id")  # the township's own station (level 4) before its communities'
            .first()
        )
        if station is not None:
            return StandIn(
                station.lat, station.lng, station.source_crs,
                f"{community.name}尚未设置就业服务站，位置暂用所在乡镇（街道）的“{station.name}”",
            )  # fmt: skip
    for region, what in ((community, "社区（村）中心点"), (township, "所在乡镇（街道）中心点")):
        if region is not None and region.centroid_lat is not None and region.centroid_lng is not None:
            warning = f"{community.name}尚未设置就业服务站，位置暂用{what}"
            return StandIn(region.centroid_lat, region.centroid_lng, SourceCRS.WGS84, warning)
    raise ValidationError(
        f"{community.name}及所在乡镇（街道）都还没有就业服务站，也没有中心点坐标：请先登记或导入服务站，或填写经纬度",
        code="no_station",
    )


def stand_in_warnings(communities) -> list[str]:
    """The fallback warnings of these communities (one per community without its own station), for a summary."""
    warnings = []
    for community in communities:
        try:
            warning = location_for_community(community).warning
        except ValidationError:
            continue
        if warning:
            warnings.append(warning)
    return warnings


def station_region_for_write(scope: AreaScope | None, code) -> Region:
    """The community or township a station belongs to, if the actor may register stations there."""
    code = str(code or "").strip()
    region = Region.objects.current().filter(code=code, level__in=STATION_LEVELS).first()
    if region is None or (scope is not None and not scope.covers(region.code)):
        raise ValidationError(
            {"area_code": ["所属社区/乡镇代码：不存在或不在您的管辖范围内（请填写12位社区/村或乡镇/街道代码）"]}
        )
    return region


def clean_station_input(data: dict, *, scope: AreaScope | None) -> dict:
    """Check a station's fields (the screens and the Excel import share these rules).

    - 服务站名称 and 地址 are required (at most 100 and 200 characters);
    - the community or township must exist and lie in the actor's area;
    - the point is typed in WGS-84, GCJ-02 or BD-09 and stored in WGS-84 (``areas.services.resolve_location``).
    """
    errors, out = {}, {}
    for key, label, limit in (("name", "服务站名称", 100), ("address", "地址", 200)):
        text = str(data.get(key) or "").strip()
        if not text:
            errors[key] = [f"{label}：不能为空"]
        elif len(text) > limit:
            errors[key] = [f"{label}：不能超过{limit}个字"]
        out[key] = text
    try:
        out["region"] = station_region_for_write(scope, data.get("area_code"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if data.get("lat") in (None, "") or data.get("lng") in (None, ""):
        errors["location"] = ["经纬度：请填写服务站的纬度和经度（可在地图上点选）"]
    else:
        try:
            out["lat"], out["lng"], out["source_crs"] = resolve_location(
                data["lat"], data["lng"], data.get("coord") or SourceCRS.WGS84
            )
        except ValidationError as exc:
            errors["location"] = [f"经纬度：{message}" for message in exc.messages]
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def save_station(station: ServiceStation | None = None, *, by, data: dict, scope: AreaScope | None) -> ServiceStation:
    """Register a station (``station`` None) or change one; audited with the names of the changed fields.

    - input rules: ``clean_station_input``; another station of the same name in the same region is refused;
    - returns the station; nothing is written when nothing changed.
    """
    cleaned = clean_station_input(data, scope=scope)
    region = cleaned["region"]
    twins = ServiceStation.objects.filter(community=region, name=cleaned["name"])
    if station is not None:
        station = ServiceStation.objects.select_for_update(of=("self",)).get(pk=station.pk)
        twins = twins.exclude(pk=station.pk)
    if twins.exists():
        raise ValidationError({"name": [f"服务站名称：{region.name}已有同名服务站"]})
    creating = station is None
    station = station or ServiceStation()
    changed = [f for f in STATION_FIELDS if creating or getattr(station, f) != cleaned[f]]
    if not creating and station.community_id != region.pk:
        changed.append("community")
    if not changed:
        return station
    station.community, station.name, station.address = region, cleaned["name"], cleaned["address"]
    station.set_location(cleaned["lat"], cleaned["lng"], cleaned["source_crs"])
    station.save()
    action = "areas.station.created" if creating else "areas.station.updated"
    log_action(action, by=by, obj=station, data={"fields": changed, "area_code": station.area_code})
    return station


# --- finding one's community (the public H5 entry) ---------------------------------------------------

COMMUNITY_SEARCH_LIMIT = 20
NEAREST_RADIUS_M = 10_000


def search_communities(text: str, *, limit: int = COMMUNITY_SEARCH_LIMIT):
    """Current communities (社区/村) whose name, or whose township's name, contains ``text``.

    - the community's own name matches first, then the township's (幸福 → 幸福社区 before 幸福镇's villages);
    - at most ``limit`` rows; an empty text finds nothing (never a list of every community).
    """
    text = (text or "").strip()
    if not text:
        return []
    regions = Region.objects.current().communities().select_related("parent")
    own = list(regions.filter(name__icontains=text).order_by("code")[:limit])
    more = regions.filter(parent__name__icontains=text).exclude(pk__in=[r.pk for r in own]).order_by("code")
    return own + list(more[: limit - len(own)])


def default_location(community: Region):
    """The point standing in for a home or workplace with no point given: ``location_for_community``
    (the community's station, else its township's, else a centre point — never refused for want of a station)."""
    return location_for_community(community).point


def nearest_communities(lat, lng, *, coord=SourceCRS.WGS84, limit: int = 5):
    """The communities nearest a point (a phone's "use my location": browsers give WGS-84), nearest first.

    - a community is where it is placed by the one rule (``location_for_community``: its station, else
      its township's, else its centre point);
    - only communities within ``NEAREST_RADIUS_M``; each result carries ``distance_m``;
    - a point outside China or not a number is a ValidationError (``resolve_location``).
    """
    lat, lng, _crs = resolve_location(lat, lng, coord)
    near = set(ServiceStation.objects.within(lat, lng, NEAREST_RADIUS_M).values_list("community_id", flat=True))
    townships = set(Region.objects.filter(pk__in=near).values_list("parent_id", flat=True)) | near
    degrees = NEAREST_RADIUS_M / 111_000 * 2  # a generous box for centre points (longitude degrees are shorter)
    box = models.Q(
        centroid_lat__range=(lat - degrees, lat + degrees), centroid_lng__range=(lng - degrees, lng + degrees)
    )
    # communities with a station near, those placed at a near township's station, those whose centre is near
    candidates = Region.objects.current().communities().select_related("parent").filter(
        models.Q(pk__in=near) | models.Q(parent_id__in=townships) | box
    )[:300]  # fmt: skip
    found = []
    for community in candidates:
        try:
            place = location_for_community(community)
        except ValidationError:
            continue
        community.distance_m = haversine_m(lat, lng, place.lat, place.lng)
        if community.distance_m <= NEAREST_RADIUS_M:
            found.append(community)
    return sorted(found, key=lambda c: (c.distance_m, c.code))[:limit]
