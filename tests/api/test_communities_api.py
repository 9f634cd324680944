"""/api/v1/insights/communities/assessment: every community of the caller's area, scoped and validated."""

import pytest

from jobcircle.communities.enums import Measure
from tests.communities.factories import officer, one_criterion_standard

pytestmark = pytest.mark.django_db

URL = "/api/v1/insights/communities/assessment"


def test_the_township_sees_each_community_s_criteria_and_the_rate(client, township_staff, county, community,
                                                                    neighbour_community, village):  # fmt: skip
    one_criterion_standard(county, Measure.STATION_OFFICER, 1)
    officer(community)
    client.force_login(township_staff)
    body = client.get(URL).json()
    assert (body["communities"], body["passing"]) == (2, 1)  # the village is in another township
    by_code = {item["community_code"]: item for item in body["items"]}
    assert by_code[community.code]["passed"] and not by_code[neighbour_community.code]["passed"]
    assert [c["measure"] for c in by_code[community.code]["criteria"]] == [Measure.STATION_OFFICER]


def test_another_area_is_404_and_a_bad_year_names_the_field(client, community_staff, community, village):
    client.force_login(community_staff)
    assert client.get(URL, {"area": village.code}).status_code == 404
    assert client.get(URL, {"area": community.code}).json()["communities"] == 1
    answer = client.get(URL, {"year": 1900})
    assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == "year"
    assert client.get(URL, {"year": 2100}).status_code == 422


def test_roles_without_the_dashboard_are_refused(client, resident_user, system_admin):
    for user in (resident_user, system_admin):
        client.force_login(user)
        assert client.get(URL).status_code == 403
