"""Scenario 3: county staff see dashboard figures equal to the database counts; a community account
cannot reach another community's resident by URL."""

from django.db.models import Sum

from jobcircle.employers.models import Employer, Job
from jobcircle.people.models import Placement, Resident
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as
from tests.factories import ResidentFactory

pytestmark = BROWSER_TEST


def test_the_dashboard_shows_the_database_counts_and_draws_its_chart_and_map(
    page, live_server, county_admin, community, neighbour_community, village, jobs_around
):
    ResidentFactory(community=community, is_job_seeking=True)
    ResidentFactory(community=neighbour_community)
    ResidentFactory(community=village, is_job_seeking=True)
    login_as(page, live_server.url, "county_admin")
    assert page.url.endswith("/backoffice/")

    shown = {
        key: int(page.locator(f"[data-jc-figure={key}] dd").get_attribute("data-jc-value"))
        for key in ("employers", "positions", "residents", "job_seekers", "employed")
    }
    in_county = {"area_code__startswith": "990121"}
    assert shown == {
        "employers": Employer.objects.filter(**in_county).count(),
        "positions": Job.objects.open().filter(**in_county).aggregate(n=Sum("headcount"))["n"],
        "residents": Resident.objects.filter(**in_county).count(),
        "job_seekers": Resident.objects.filter(**in_county, is_job_seeking=True).count(),
        "employed": Placement.objects.filter(**in_county).values("resident").distinct().count(),
    }
    assert shown["residents"] == 3 and shown["positions"] == 8
    page.locator("[data-jc-chart-ready]").wait_for()
    page.locator("[data-jc-map-ready]").wait_for()
    assert page.locator(".map .leaflet-interactive").count() > 0  # stations, circles and density points
    assert csp_violations(page) == [] and page.jc_external == []


def test_a_community_account_cannot_open_another_communitys_resident(
    page, live_server, community_staff, community, neighbour_community
):
    own = ResidentFactory(community=community, name="本社区居民")
    other = ResidentFactory(community=neighbour_community, name="邻社区居民")
    login_as(page, live_server.url, "community_staff")

    response = page.goto(f"{live_server.url}/backoffice/residents/{other.pk}/")
    assert response.status == 404
    assert "邻社区居民" not in page.content()

    response = page.goto(f"{live_server.url}/backoffice/residents/{own.pk}/")
    assert response.status == 200
    assert "本社区居民" in page.content()
    assert "邻社区居民" not in page.goto(f"{live_server.url}/backoffice/residents/").text()
