"""The dashboard: exactly the overview figures of the viewer's area, trends and map data; role triad."""

import json
import re

from django.urls import reverse

from jobcircle.insights.services import map_layers, overview
from tests.factories import JobFactory, ResidentFactory


def test_the_dashboard_shows_exactly_the_overview_of_the_viewers_area(
    client, township_staff, town, community, employer
):
    JobFactory(employer=employer, headcount=5)
    ResidentFactory(community=community, is_job_seeking=True)
    client.force_login(township_staff)
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 200
    figures = {key: value for key, _label, value in response.context["figures"]}
    expected = overview(town.scope_prefix)
    assert figures["positions"] == 5 and figures["job_seekers"] == 1
    assert {k: v for k, v in figures.items() if k != "page_visits"} == {
        k: v for k, v in expected.items() if k != "page_visits"
    }
    assert 'id="trend-data"' in response.content.decode() and 'id="map-data"' in response.content.decode()


def test_a_sub_area_outside_the_scope_is_404(client, community_staff, neighbour_community, other_township):
    client.force_login(community_staff)
    assert client.get(reverse("insights:dashboard"), {"area": neighbour_community.code}).status_code == 404
    assert client.get(reverse("insights:dashboard"), {"area": other_township.code}).status_code == 404


def test_residents_and_employers_get_403(client, resident_user, employer_user):
    for user in (resident_user, employer_user):
        client.force_login(user)
        assert client.get(reverse("insights:dashboard")).status_code == 403


def test_the_dashboard_pins_its_queries(client, county_admin, employer, django_assert_max_num_queries):
    for _ in range(10):
        JobFactory(employer=employer)
    client.force_login(county_admin)
    with django_assert_max_num_queries(25):
        client.get(reverse("insights:dashboard"))


def test_map_layers_group_jobs_and_seekers_by_cell_and_list_stations(community, employer):
    JobFactory(employer=employer, headcount=3)
    JobFactory(employer=employer, headcount=2)
    ResidentFactory(community=community, is_job_seeking=True)
    layers = map_layers("990121001001")
    assert [s["name"] for s in layers["stations"]] == ["幸福社区服务站"] and layers["stations"][0]["radius_m"] == 3000
    assert sum(p["count"] for p in layers["jobs"]) == 5 and sum(p["count"] for p in layers["seekers"]) == 1


def test_the_dashboard_map_uses_the_configured_tile_pattern_and_no_other_key(client, county_admin, settings):
    settings.JOBCIRCLE_MAP = {
        "TILE_URL": "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?LAYER={layer}&TILEMATRIX={z}&tk={key}",
        "LAYERS": ["vec"], "KEY": "configured-key", "SUBDOMAINS": "01", "ATTRIBUTION": "审图号：GS(2024)0000号",
    }  # fmt: skip
    client.force_login(county_admin)
    page = client.get(reverse("insights:dashboard")).content.decode()
    config = json.loads(re.search(r'<script id="map-config" type="application/json">(.*?)</script>', page).group(1))
    assert config["layers"] == [
        {"name": "vec", "url": "https://t{s}.tianditu.gov.cn/vec_w/wmts?LAYER=vec&TILEMATRIX={z}&tk=configured-key"}
    ]
    assert config["attribution"] == "审图号：GS(2024)0000号" and page.count("configured-key") == 1
