"""就业服务站台账 import and a new county loading itself (issue 17): stations first, then residents."""

import pytest

from jobcircle.accounts.enums import Role
from jobcircle.areas.enums import SourceCRS
from jobcircle.areas.geo.convert import to_wgs84
from jobcircle.areas.models import ServiceStation
from jobcircle.assistance.enums import ImportKind, ImportState
from jobcircle.common.models import AuditEvent
from jobcircle.people.models import Resident
from tests.factories import make_user, new_county_regions

from .test_imports import RESIDENT_HEADERS, error_rows, resident_rows, run, xlsx

pytestmark = pytest.mark.django_db

STATION_HEADERS = ["服务站名称", "社区代码", "地址", "纬度", "经度", "坐标系"]


@pytest.fixture
def new_county():
    """A county just set up: its regions imported (with centre points for villages), no station at all."""
    return new_county_regions()


@pytest.fixture
def county_officer(new_county):
    return make_user("new_county_admin", Role.COUNTY_ADMIN, area=new_county["county"])


def station_rows(villages):
    return [
        [f"{v.name}就业服务站", v.code, f"{v.name}村委会", 33.2 + i / 100, 115.7, "GCJ-02（高德/腾讯/微信）"]
        for i, v in enumerate(villages)
    ]


def test_a_station_ledger_is_imported_in_wgs84_and_audited(new_county, county_officer):
    villages = new_county["villages"][:2]
    batch = run(county_officer, ImportKind.STATIONS, xlsx(STATION_HEADERS, station_rows(villages)))
    assert batch.state == ImportState.APPLIED and batch.created_count == len(villages)
    first = ServiceStation.objects.get(community=villages[0])
    wgs_lng, wgs_lat = to_wgs84(115.7, 33.2, SourceCRS.GCJ02)
    assert (first.lat, first.lng) == pytest.approx((wgs_lat, wgs_lng)) and first.source_crs == SourceCRS.GCJ02
    assert AuditEvent.objects.filter(action="assistance.import.applied", object_id=str(batch.pk)).exists()
    assert AuditEvent.objects.filter(action="areas.station.created").count() == len(villages)


def test_importing_stations_again_changes_nothing(new_county, county_officer):
    rows = station_rows(new_county["villages"])
    content = xlsx(STATION_HEADERS, rows)
    first = run(county_officer, ImportKind.STATIONS, content)
    same_file = run(county_officer, ImportKind.STATIONS, content)
    assert same_file.state == ImportState.DUPLICATE and (same_file.created_count, same_file.updated_count) == (0, 0)
    retyped = run(county_officer, ImportKind.STATIONS, xlsx(STATION_HEADERS, rows, above=[["服务站一览"]]))
    assert retyped.state == ImportState.APPLIED
    assert (retyped.created_count, retyped.updated_count, retyped.unchanged_count) == (0, 0, len(rows))
    assert ServiceStation.objects.count() == first.created_count == len(rows)
    rows[0][2] = "新址"
    changed = run(county_officer, ImportKind.STATIONS, xlsx(STATION_HEADERS, rows))
    assert (changed.created_count, changed.updated_count) == (0, 1)
    assert ServiceStation.objects.get(community=new_county["villages"][0]).address == "新址"


def test_one_bad_station_row_writes_nothing_and_the_errors_name_row_and_column(new_county, county_officer, village):
    rows = station_rows(new_county["villages"])
    rows[0][3], rows[0][4] = 48.85, 2.35  # Paris: outside China
    rows[1][5] = "火星坐标"  # not a datum
    rows[2][1] = village.code  # another county's village
    batch = run(county_officer, ImportKind.STATIONS, xlsx(STATION_HEADERS, rows))
    assert batch.state == ImportState.REJECTED and not ServiceStation.objects.filter(area_code__startswith="990122")
    errors = error_rows(batch)
    assert [(row, column) for row, column, _ in errors] == [(2, "纬度"), (3, "坐标系"), (4, "社区代码")]
    assert "中国境内" in errors[0][2] and "可选" in errors[1][2] and "管辖范围" in errors[2][2]


def test_a_new_county_with_no_station_loads_its_resident_ledger_with_a_warning(new_county, county_officer):
    villages = new_county["villages"]
    rows = [row for v in villages for row in resident_rows(v, 2)]
    batch = run(county_officer, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, rows))
    assert batch.state == ImportState.APPLIED and batch.created_count == len(rows)
    assert "尚未设置就业服务站" in batch.message and "中心点" in batch.message
    placed = Resident.objects.get(name=rows[0][0], area_code=villages[0].code)
    assert (placed.lat, placed.lng) == (villages[0].centroid_lat, villages[0].centroid_lng)


def test_stations_first_then_residents_of_a_village_without_one_use_the_townships(new_county, county_officer):
    with_station, without = new_county["villages"][0], new_county["villages"][1]
    run(county_officer, ImportKind.STATIONS, xlsx(STATION_HEADERS, station_rows([with_station])))
    batch = run(county_officer, ImportKind.RESIDENTS, xlsx(RESIDENT_HEADERS, resident_rows(without, 2)))
    assert batch.state == ImportState.APPLIED and f"{with_station.name}就业服务站" in batch.message
    station = ServiceStation.objects.get(community=with_station)
    placed = set(Resident.objects.filter(area_code=without.code).values_list("lat", "lng"))
    assert placed == {(station.lat, station.lng)}
