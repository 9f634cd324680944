"""劳动力地图: counts per hexagon and community, the small-cell rule, the list behind a cell, scope and roles."""

import io

import h3
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobcircle.assistance.enums import WorkLocation
from jobcircle.assistance.models import MonitoringRecord
from jobcircle.assistance.periods import add_months, month_start
from jobcircle.insights import labour_map
from tests.factories import JobFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def monitored(resident, month, status, location=""):
    return MonitoringRecord.objects.create(
        resident=resident, month=month, area_code=resident.area_code, employment_status=status, work_location=location
    )


@pytest.fixture
def people(community, neighbour_community, village, employer):
    """幸福社区: 6 people (2 seekers, 1 employed away, 1 too old); 和平社区: 5; 王庄村: 2 (a small cell)."""
    this_month = month_start(timezone.localdate())
    made = {"community": [], "neighbour": [], "village": []}
    for i in range(6):
        resident = ResidentFactory(community=community, is_job_seeking=i < 2)
        made["community"].append(resident)
    made["community"][5].birth_date = made["community"][5].birth_date.replace(year=1950)
    made["community"][5].save()
    away = made["community"][2]
    away.employment_status = "employed"
    away.save()
    monitored(away, this_month, "employed", WorkLocation.OUT_OF_PROVINCE)
    monitored(made["community"][3], add_months(this_month, -12), "employed", WorkLocation.IN_PROVINCE)
    made["neighbour"] = [ResidentFactory(community=neighbour_community) for _ in range(5)]
    made["village"] = [ResidentFactory(community=village) for _ in range(2)]
    JobFactory(employer=employer, headcount=3)
    return made


def cells_by_name(cells):
    return {cell["name"]: cell for cell in cells}


def test_community_level_counts_each_layer(county, people, community):
    cells = cells_by_name(labour_map.aggregate(county, level="community"))
    mine = cells["幸福社区"]
    assert mine["people"] == 6
    assert {k: mine["counts"][k] for k in ("working_age", "employed", "seekers", "employed_out_of_province", "away",
                                           "away_last_year", "jobs", "places")} == {
        "working_age": 5, "employed": 1, "seekers": 2, "employed_out_of_province": 1, "away": 1,
        "away_last_year": 1, "jobs": 1, "places": 3,
    }  # fmt: skip
    assert cells["王庄村"]["people"] == 2 and not cells["王庄村"]["suppressed"]  # the county sees its own area


def test_hexagons_add_up_to_the_people_of_the_area_at_every_resolution(county, people):
    for res in labour_map.RESOLUTIONS:
        cells = labour_map.aggregate(county, level="hex", res=res)
        assert sum(cell["people"] for cell in cells) == 13
        assert all(h3.get_resolution(cell["id"]) == res and len(cell["boundary"]) == 6 for cell in cells)


def test_a_small_cell_outside_the_viewers_area_shows_no_counts(county, people, community, village):
    cells = cells_by_name(labour_map.aggregate(county, level="community", own=community))
    assert cells["王庄村"]["suppressed"] and cells["王庄村"]["counts"] is None and cells["王庄村"]["people"] is None
    assert cells["和平社区"]["people"] == 5  # five or more: shown


def test_the_page_lists_the_masked_people_behind_a_cell(client, community_staff, people, community, county):
    client.force_login(community_staff)
    page = client.get(reverse("insights:labour_map"))
    assert page.status_code == 200 and page.context["payload"]["cells"]
    url = reverse("insights:labour_map_people")
    answer = client.get(url, {"level": "community", "cell": community.code}).json()
    assert answer["count"] == 6 and all("*" in item["name"] for item in answer["items"])


def test_a_viewer_from_outside_never_gets_a_small_cells_names(client, community_staff, people, county, village):
    client.force_login(community_staff)
    url = reverse("insights:labour_map_people")
    assert client.get(url, {"area": county.code, "level": "community", "cell": village.code}).status_code == 404
    view = client.get(reverse("insights:labour_map"), {"area": county.code, "level": "community", "format": "json"})
    small = cells_by_name(view.json()["cells"])["王庄村"]
    assert small["suppressed"] and small["counts"] is None
    hexes = client.get(reverse("insights:labour_map"), {"area": county.code, "res": 7, "format": "json"}).json()
    village_cell = next(c for c in hexes["cells"] if c["suppressed"])
    assert client.get(url, {"area": county.code, "cell": village_cell["id"]}).status_code == 404


def test_township_staff_get_their_township_and_404_for_another(client, township_staff, people, other_township):
    client.force_login(township_staff)
    assert client.get(reverse("insights:labour_map")).status_code == 200
    assert client.get(reverse("insights:labour_map"), {"area": "990122"}).status_code == 404  # another county
    cell = client.get(reverse("insights:labour_map_people"), {"area": other_township.code, "level": "community",
                                                               "cell": people["village"][0].area_code})  # fmt: skip
    assert cell.status_code == 404
    assert client.get(reverse("insights:labour_map_people"), {"cell": "not-a-cell"}).status_code == 404


def test_residents_and_employers_get_403(client, resident_user, employer_user):
    for user in (resident_user, employer_user):
        client.force_login(user)
        assert client.get(reverse("insights:labour_map")).status_code == 403
        assert client.get(reverse("insights:labour_map_people")).status_code == 403


def test_the_table_behind_the_view_exports_to_excel(client, county_admin, people):
    client.force_login(county_admin)
    response = client.get(reverse("insights:labour_map"), {"level": "community", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert {row[1]: row[2] for row in rows} == {"幸福社区": 6, "和平社区": 5, "王庄村": 2}
