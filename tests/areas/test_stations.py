"""Service stations (issue 17): registered by staff, and a community without one is placed, never refused."""

import pytest
from django.core.exceptions import ValidationError

from jobcircle.accounts.access import scope_for_user
from jobcircle.areas import stations
from jobcircle.areas.enums import SourceCRS
from jobcircle.areas.geo.convert import to_wgs84
from jobcircle.areas.models import ServiceStation
from jobcircle.common.models import AuditEvent
from jobcircle.people.services import register_resident
from tests.factories import demo_id_number, region, station

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare_community(town):
    """A community of the same township with no station of its own."""
    return region("990121001009", "新建社区", 5, town)


def test_a_community_with_its_own_station_uses_it_without_a_warning(community):
    stand_in = stations.location_for_community(community)
    own = community.stations.get()
    assert (stand_in.lat, stand_in.lng, stand_in.warning) == (own.lat, own.lng, "")


def test_a_community_without_a_station_falls_back_to_its_townships_with_a_warning(community, bare_community):
    stand_in = stations.location_for_community(bare_community)
    neighbour = community.stations.get()
    assert (stand_in.lat, stand_in.lng) == (neighbour.lat, neighbour.lng)
    assert bare_community.name in stand_in.warning and neighbour.name in stand_in.warning


def test_the_townships_own_station_comes_before_those_of_its_communities(community, bare_community, town):
    own = station(town, 33.17, 115.63, name="城关街道就业服务站")
    assert stations.location_for_community(bare_community).lat == own.lat


def test_without_any_station_the_communitys_centre_point_stands_in(county):
    township = region("990121201000", "新县镇", 4, county)
    village = region("990121201001", "新村", 5, township)
    village.centroid_lat, village.centroid_lng = 33.3, 115.9
    village.save()
    stand_in = stations.location_for_community(village)
    assert (stand_in.lat, stand_in.lng) == (33.3, 115.9) and "中心点" in stand_in.warning
    village.centroid_lat = village.centroid_lng = None
    village.save()
    with pytest.raises(ValidationError, match="请先登记或导入服务站"):  # nothing at all to place it by
        stations.location_for_community(village)


def test_a_resident_registered_in_a_community_without_a_station_is_placed_not_refused(
    community, bare_community, township_staff
):
    data = {"name": "新社区居民", "id_number": demo_id_number(), "community_code": bare_community.code}
    resident = register_resident(by=township_staff, scope=scope_for_user(township_staff), data=data)
    assert (resident.lat, resident.lng) == (community.stations.get().lat, community.stations.get().lng)


@pytest.mark.parametrize("crs", [SourceCRS.WGS84, SourceCRS.GCJ02, SourceCRS.BD09])
def test_a_station_typed_in_any_datum_is_stored_in_wgs84_and_audited(bare_community, township_staff, crs):
    data = {"name": "新建社区服务站", "address": "新建路1号", "area_code": bare_community.code,
            "lat": "33.1650", "lng": "115.6250", "coord": crs}  # fmt: skip
    saved = stations.save_station(by=township_staff, data=data, scope=scope_for_user(township_staff))
    wgs_lng, wgs_lat = to_wgs84(115.6250, 33.1650, crs)
    assert (saved.lat, saved.lng, saved.source_crs, saved.area_code) == (wgs_lat, wgs_lng, crs, bare_community.code)
    assert AuditEvent.objects.filter(action="areas.station.created", object_id=str(saved.pk)).exists()


def test_station_input_errors_name_the_field_in_chinese(bare_community, village, township_staff):
    scope, before = scope_for_user(township_staff), ServiceStation.objects.count()
    with pytest.raises(ValidationError) as exc:
        stations.save_station(by=township_staff, data={"area_code": village.code, "lat": "1", "lng": "2"}, scope=scope)
    errors = exc.value.message_dict
    assert errors["name"] == ["服务站名称：不能为空"] and "地址" in errors["address"][0]
    assert "管辖范围" in errors["area_code"][0] and errors["location"][0].startswith("经纬度：")
    assert ServiceStation.objects.count() == before


def test_editing_a_station_records_only_the_changed_fields(community, township_staff):
    existing = community.stations.get()
    data = {"name": existing.name, "address": "幸福路88号", "area_code": community.code,
            "lat": existing.lat, "lng": existing.lng, "coord": "wgs84"}  # fmt: skip
    stations.save_station(existing, by=township_staff, data=data, scope=scope_for_user(township_staff))
    event = AuditEvent.objects.get(action="areas.station.updated")
    assert event.data["fields"] == ["address"]
    stations.save_station(existing, by=township_staff, data=data, scope=scope_for_user(township_staff))
    assert AuditEvent.objects.filter(action="areas.station.updated").count() == 1  # nothing changed: no event
