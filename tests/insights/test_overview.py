import datetime

import pytest
from django.utils import timezone

from jobcircle.employers.enums import JobStatus
from jobcircle.insights.models import PageVisitDaily
from jobcircle.insights.services import overview
from jobcircle.people.models import Placement
from tests.factories import EmployerFactory, JobFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_townships(community, neighbour_community, village):
    """Town: 3 residents (1 seeking), 1 employer, open jobs of 2 + 3, paused 4, expired 5; village: 1 of each."""
    town_residents = [ResidentFactory(community=community) for _ in range(2)]
    town_residents.append(ResidentFactory(community=neighbour_community, is_job_seeking=True))
    employer = EmployerFactory(community=community)
    JobFactory(employer=employer, headcount=2)
    JobFactory(employer=employer, headcount=3)
    JobFactory(employer=employer, headcount=4, status=JobStatus.PAUSED)
    today = timezone.localdate()
    JobFactory(employer=employer, headcount=5, valid_from=today - datetime.timedelta(days=9),
               valid_until=today - datetime.timedelta(days=1))  # fmt: skip
    Placement.objects.create(resident=town_residents[0], employer=employer, started_on=today, area_code=community.code)
    village_employer = EmployerFactory(community=village)
    JobFactory(employer=village_employer, headcount=7)
    ResidentFactory(community=village, is_job_seeking=True)
    return town_residents


def test_overview_of_a_township_counts_only_its_subtree(two_townships):
    figures = overview("990121001")
    assert figures == {
        "employers": 1, "positions": 2 + 3, "residents": 3, "job_seekers": 1, "employed": 1, "page_visits": 0,
    }  # fmt: skip


def test_county_overview_is_the_sum_of_its_townships(two_townships):
    county = overview("990121")
    town, village = overview("990121001"), overview("990121101")
    assert county == {key: town[key] + village[key] for key in county}


def test_a_resident_placed_twice_counts_once(two_townships, employer):
    resident = two_townships[0]
    Placement.objects.create(resident=resident, employer=employer, started_on=datetime.date(2026, 1, 2),
                             area_code=resident.area_code)  # fmt: skip
    assert overview("990121")["employed"] == 1


def test_api_overview_equals_the_service(client, county_admin, two_townships):
    client.force_login(county_admin)
    body = client.get("/api/v1/stats/overview", {"area": "990121001"}).json()
    assert body.pop("area_code") == "990121001000"
    assert body == overview("990121001")


def test_api_overview_of_an_area_outside_the_scope_is_404(client, township_staff, two_townships):
    client.force_login(township_staff)
    assert client.get("/api/v1/stats/overview", {"area": "990121101"}).status_code == 404
    assert client.get("/api/v1/stats/overview").json()["residents"] == 3


def test_dashboard_shows_the_same_figures(client, county_admin, two_townships):
    client.force_login(county_admin)
    response = client.get("/backoffice/")
    assert response.status_code == 200
    shown = {key: value for key, _, value in response.context["figures"]}
    expected = overview("990121")
    expected["page_visits"] = shown["page_visits"]  # this very page view may already be counted
    assert shown == expected


def test_dashboard_is_refused_to_residents(client, resident_user):
    client.force_login(resident_user)
    assert client.get("/backoffice/").status_code == 403


def test_dashboard_requires_login(client):
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_human_page_views_are_counted_against_the_community(client, community):
    client.get(f"/c/{community.code}/", HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    client.get(f"/c/{community.code}/", HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    assert PageVisitDaily.objects.get(area_code=community.code).count == 2
    assert overview(community.code)["page_visits"] == 2


@pytest.mark.parametrize("agent", ["Baiduspider/2.0", "Googlebot/2.1", "curl/8.0", ""])
def test_bots_and_scripts_are_not_counted(client, community, agent):
    client.get(f"/c/{community.code}/", HTTP_USER_AGENT=agent)
    assert not PageVisitDaily.objects.exists()


def test_api_calls_are_not_page_visits(client, community):
    client.get("/api/v1/jobs/nearby", {"lat": 33.16, "lng": 115.62}, HTTP_USER_AGENT="Mozilla/5.0")
    assert not PageVisitDaily.objects.exists()


BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"}


def test_anonymous_h5_and_portal_visits_count_for_the_county(client, county, community):
    for url in ["/", "/m/login/", "/employer/register/"]:
        assert client.get(url, **BROWSER).status_code == 200, url
    assert overview(county.scope_prefix)["page_visits"] == 3


def test_a_signed_in_residents_visits_count_for_their_community(client, community, resident_user):
    client.force_login(resident_user)
    client.get("/m/", **BROWSER)
    assert overview(community.code)["page_visits"] == 1


def test_the_dashboard_shows_the_visits(client, county_admin, community):
    client.get(f"/c/{community.code}/", **BROWSER)
    client.force_login(county_admin)
    figures = dict((key, value) for key, _label, value in client.get("/backoffice/").context["figures"])
    assert figures["page_visits"] >= 1
