from django.conf import settings
from django.core.exceptions import ValidationError

from .enums import RegionLevel, SourceCRS
from .geo.convert import out_of_china, to_wgs84
from .models import Region
from .querysets import AreaScope


def resolve_location(lat, lng, coord=SourceCRS.WGS84):
    """Convert a point from the caller's datum to WGS-84 (ECO-04); reject points outside China.

    Returns (lat, lng, source_crs) in WGS-84.
    """
    if coord not in SourceCRS.values:
        raise ValidationError(f"坐标系只能是 {'/'.join(SourceCRS.values)}，收到“{coord}”", code="crs")
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError) as exc:
        raise ValidationError("经纬度必须是数字", code="invalid") from exc
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or out_of_china(lng, lat):
        raise ValidationError("坐标不在中国境内，请检查经纬度（纬度在前、经度在后）", code="out_of_china")
    wgs_lng, wgs_lat = to_wgs84(lng, lat, coord)
    return wgs_lat, wgs_lng, coord


def location_from_input(data: dict, fallback):
    """The point given in this request, converted once to WGS-84; else ``fallback()`` (issue 22 item 7).

    - a coordinate system (``coord``) applies only to ``lat``/``lng`` given in the same request;
    - ``coord`` alone changes nothing: a stored point is WGS-84 already and is never converted again;
    - ``fallback`` gives (lat, lng, source_crs) already in WGS-84 (the stored point, a station, the employer's).
    """
    if data.get("lat") is not None or data.get("lng") is not None:
        return resolve_location(data.get("lat"), data.get("lng"), data.get("coord") or SourceCRS.WGS84)
    return fallback()


def community_for_write(scope: AreaScope | None, code) -> Region:
    """The community (社区/村) with this code, if the actor may register people and employers there."""
    code = str(code or "").strip()
    region = (
        Region.objects.filter(code=code, level=RegionLevel.COMMUNITY, valid_to__isnull=True)
        .select_related("parent")
        .first()
    )
    if region is None or (scope is not None and not scope.covers(region.code)):
        raise ValidationError("社区代码不存在或不在您的管辖范围内（请填写12位社区/村代码）", code="community")
    return region


def circle_radius_m():
    return settings.JOBCIRCLE_CIRCLE_RADIUS_KM * 1000
