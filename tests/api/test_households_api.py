"""/api/v1/households and /api/v1/insights/{labour-map,occupations}: scoped, validated, masked."""

import pytest

from jobcircle.households.models import Household
from tests.factories import ResidentFactory
from tests.households.factories import household, member

pytestmark = pytest.mark.django_db


def test_staff_register_a_household_and_add_members(client, community_staff, community):
    client.force_login(community_staff)
    data = {"number": "H-1", "community_code": community.code, "address": "幸福路2号"}
    made = client.post("/api/v1/households", data, content_type="application/json")
    assert made.status_code == 201, made.content
    head = member(community)
    url = f"/api/v1/households/{made.json()['id']}/members"
    answer = client.post(url, {"resident_id": head.pk, "relation": "head"}, content_type="application/json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["zero_employment"] is True
    assert [(m["relation"], "*" in m["name"]) for m in body["members"]] == [("head", True)]
    listed = client.get("/api/v1/households", {"zero_employment": "true"}).json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == "H-1"


def test_bad_input_names_the_field_and_writes_nothing(client, community_staff, community, village):
    client.force_login(community_staff)
    answer = client.post("/api/v1/households", {"number": "H-2", "community_code": village.code},
                         content_type="application/json")  # fmt: skip
    assert answer.status_code == 422
    assert [item["field"] for item in answer.json()["detail"]] == ["community_code"]
    control = client.post("/api/v1/households", {"number": "H\u0000", "community_code": community.code},
                          content_type="application/json")  # fmt: skip
    assert control.status_code == 422
    assert not Household.objects.exists()


def test_another_communitys_household_and_resident_are_404(client, community_staff, neighbour_community, community):
    client.force_login(community_staff)
    theirs = household(neighbour_community, [member(neighbour_community)])
    assert client.get(f"/api/v1/households/{theirs.pk}").status_code == 404
    mine = household(community, [member(community)])
    outsider = ResidentFactory(community=neighbour_community)
    answer = client.post(f"/api/v1/households/{mine.pk}/members", {"resident_id": outsider.pk, "relation": "child"},
                         content_type="application/json")  # fmt: skip
    assert answer.status_code == 404
    assert client.get("/api/v1/households", {"area": neighbour_community.code}).status_code == 404


def test_clearance_and_labour_map_and_occupations_answer_for_the_area(client, township_staff, community, county):
    from jobcircle.households.services import sync_zero_employment

    household(community, [member(community) for _ in range(5)])
    sync_zero_employment(county)
    client.force_login(township_staff)
    clearance = client.get("/api/v1/households/clearance").json()
    assert (clearance["found"], clearance["open"]) == (1, 1)
    cells = client.get("/api/v1/insights/labour-map", {"level": "hex", "res": 7}).json()["cells"]
    assert sum(cell["people"] for cell in cells) == 5 and cells[0]["counts"]["working_age"] == 5
    assert client.get("/api/v1/insights/labour-map", {"res": 9}).status_code == 422
    assert client.get("/api/v1/insights/labour-map", {"area": "990122"}).status_code == 404
    supply = client.get("/api/v1/insights/occupations", {"period": "2026"}).json()
    assert set(supply) == {"area", "period", "lines", "shortest", "oversupplied"}
    assert client.get("/api/v1/insights/occupations", {"period": "2026-13"}).status_code == 422
