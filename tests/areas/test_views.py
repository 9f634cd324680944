"""Station screens (issue 17): staff list, register and edit the stations of their own area."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobcircle.areas.enums import SourceCRS
from jobcircle.areas.geo.convert import to_wgs84
from jobcircle.areas.models import ServiceStation
from jobcircle.common.models import AuditEvent
from tests.factories import region, station

pytestmark = pytest.mark.django_db


def station_form(area, **changes):
    return {"name": "新建社区就业服务站", "address": "新建路1号", "area_code": area.code, "coord": "wgs84",
            "lat": "33.165000", "lng": "115.625000", **changes}  # fmt: skip


def test_staff_list_the_stations_of_their_area_only(client, township_staff, community, village):
    client.force_login(township_staff)
    page = client.get(reverse("areas:station_list"))
    assert page.status_code == 200
    names = [s.name for s in page.context["page_obj"].object_list]
    assert community.stations.get().name in names and village.stations.get().name not in names
    assert 'aria-current="page">服务站' in page.content.decode()


def test_the_list_needs_no_more_queries_for_more_stations(client, township_staff, community, town):
    client.force_login(township_staff)
    url = reverse("areas:station_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(5):
        station(region(f"99012100102{i}", f"加测社区{i}", 5, town), 33.16, 115.62)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.parametrize("crs", [SourceCRS.WGS84, SourceCRS.GCJ02, SourceCRS.BD09])
def test_an_officer_registers_a_station_typed_in_any_datum(client, township_staff, town, crs):
    bare = region("990121001009", "新建社区", 5, town)
    client.force_login(township_staff)
    response = client.post(reverse("areas:station_create"), station_form(bare, coord=crs))
    assert response.status_code == 302 and response["Location"] == reverse("areas:station_list")
    saved = ServiceStation.objects.get(community=bare)
    wgs_lng, wgs_lat = to_wgs84(115.625, 33.165, crs)
    assert (saved.lat, saved.lng) == pytest.approx((wgs_lat, wgs_lng)) and saved.source_crs == crs
    assert AuditEvent.objects.filter(action="areas.station.created", actor=township_staff).exists()


def test_a_township_level_station_can_be_registered(client, township_staff, town):
    client.force_login(township_staff)
    client.post(reverse("areas:station_create"), station_form(town, name="城关街道就业服务站"))
    assert ServiceStation.objects.filter(community=town, area_code=town.code).exists()


def test_a_point_outside_china_is_shown_beside_the_latitude_in_chinese(client, township_staff, community):
    client.force_login(township_staff)
    response = client.post(reverse("areas:station_create"), station_form(community, lat="48.85", lng="2.35"))
    assert response.status_code == 200
    assert any("坐标不在中国境内" in e for e in response.context["form"].errors["lat"])
    assert not ServiceStation.objects.filter(name="新建社区就业服务站").exists()


def test_an_officer_edits_a_station_and_the_change_is_audited(client, township_staff, community):
    existing = community.stations.get()
    client.force_login(township_staff)
    url = reverse("areas:station_edit", args=[existing.pk])
    assert client.get(url).context["form"].initial["name"] == existing.name
    client.post(url, station_form(community, name=existing.name, address="幸福路88号",
                                  lat=f"{existing.lat:.6f}", lng=f"{existing.lng:.6f}"))  # fmt: skip
    existing.refresh_from_db()
    assert existing.address == "幸福路88号"
    assert AuditEvent.objects.get(action="areas.station.updated").data["fields"] == ["address"]


def test_another_townships_station_is_404_and_other_roles_get_403(
    client, other_township_staff, community, resident_user, employer_user, audit_admin
):
    existing = community.stations.get()
    client.force_login(other_township_staff)
    assert client.get(reverse("areas:station_edit", args=[existing.pk])).status_code == 404
    assert client.post(reverse("areas:station_edit", args=[existing.pk]), station_form(community)).status_code == 404
    refused = client.post(reverse("areas:station_create"), station_form(community))  # not in their area
    assert refused.status_code == 200 and "area_code" in refused.context["form"].errors
    for user in (resident_user, employer_user, audit_admin):
        client.force_login(user)
        assert client.get(reverse("areas:station_list")).status_code == 403
        assert client.get(reverse("areas:station_create")).status_code == 403
        edit = reverse("areas:station_edit", args=[existing.pk])
        assert client.post(edit, station_form(community)).status_code == 403
    existing.refresh_from_db()
    assert existing.address != "新建路1号"
