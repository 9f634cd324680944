"""Supply and demand by occupation: seekers, places, hires, 求人倍率 per 中类/小类 and township; lists and links."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcircle.classifications.models import Occupation
from jobcircle.insights import occupations
from jobcircle.insights.figures import evaluate, parse_period
from jobcircle.people.models import JobIntention, Placement
from tests.factories import EmployerFactory, JobFactory, ResidentFactory

pytestmark = pytest.mark.django_db

CARER, COOK = "4-10-01-05", "4-03-02-01"


def seeker(community, *codes):
    resident = ResidentFactory(community=community, is_job_seeking=True)
    intention = JobIntention.objects.create(resident=resident)
    intention.occupations.set(Occupation.objects.filter(code__in=codes))
    return resident


@pytest.fixture
def market(community, village, employer):
    """城关街道: 6 places for carers, 1 seeker; 3 seekers of cooks, 1 place; 王庄村: 2 carer seekers, no place."""
    cook = Occupation.objects.get(code=COOK)
    JobFactory(employer=employer, headcount=6)  # 养老护理员
    JobFactory(employer=employer, headcount=1, occupation=cook)
    seeker(community, CARER)
    for _ in range(3):
        seeker(community, COOK)
    seeker(village, CARER)
    seeker(village, CARER, "4-10-01-06")  # two carers' occupations in one 小类: counted once
    hired = ResidentFactory(community=community)
    job = JobFactory(employer=EmployerFactory(community=community), headcount=1)
    Placement.objects.create(resident=hired, employer=job.employer, job=job, started_on=timezone.localdate(),
                             area_code=community.code)  # fmt: skip
    return job


def by_code(lines):
    return {(line.occupation, line.township): line for line in lines}


def test_each_occupation_counts_seekers_places_hires_and_the_ratio(county, market):
    today = timezone.localdate()
    lines = by_code(occupations.supply_demand(county, today.replace(day=1), today))
    carers, cooks = lines[("4-10-01", "")], lines[("4-03-02", "")]
    assert (carers.seekers, carers.places, carers.hires) == (3, 7, 1)  # places left count hired applications only
    assert carers.ratio == Decimal("2.33") and carers.gap == 4
    assert (cooks.seekers, cooks.places, cooks.ratio, cooks.gap) == (3, 1, Decimal("0.33"), -2)
    middle = by_code(occupations.supply_demand(county, today.replace(day=1), today, level="middle"))
    assert middle[("4-10", "")].seekers == 3


def test_per_township_lines_add_up_to_the_area(county, market, town, other_township):
    today = timezone.localdate()
    lines = by_code(occupations.supply_demand(county, today, today, by_township=True))
    assert lines[("4-10-01", town.code[:9])].seekers == 1
    assert lines[("4-10-01", other_township.code[:9])].seekers == 2
    assert lines[("4-10-01", other_township.code[:9])].ratio == Decimal("0.00")


def test_shortest_and_oversupplied_lists(county, market):
    today = timezone.localdate()
    lines = occupations.supply_demand(county, today, today)
    assert [line.occupation for line in occupations.shortest(lines)] == ["4-10-01"]
    assert [line.occupation for line in occupations.oversupplied(lines)] == ["4-03-02"]


def test_the_headline_figures_are_registered(county, market):
    values = evaluate(county.scope_prefix, parse_period(None), ["job_seeker_ratio", "occupation_shortage_top5"])
    assert values == {"job_seeker_ratio": Decimal("1.33"), "occupation_shortage_top5": 4}  # 8 places, 6 seekers


def test_the_trend_counts_places_published_and_hires_by_month(county, market):
    trend = occupations.monthly_trend(county, timezone.localdate())
    assert len(trend) == 12 and trend[-1]["hires"] == 1
    earlier = occupations.monthly_trend(county, timezone.localdate() - datetime.timedelta(days=62), occupation=CARER)
    assert earlier[-1]["hires"] == 0


def test_the_page_links_each_line_to_its_seekers_and_jobs(client, township_staff, market, town):
    client.force_login(township_staff)
    page = client.get(reverse("insights:occupations"))
    assert page.status_code == 200 and [line.occupation for line in page.context["shortest"]] == ["4-10-01"]
    seekers = client.get(reverse("insights:occupation_records", args=["4-03-02", "seekers"]))
    assert len(seekers.context["page"].object_list) == 3
    assert all("*" in label for label, _code, _url in seekers.context["page"].object_list)
    jobs = client.get(reverse("insights:occupation_records", args=["4-10-01", "jobs"]))
    assert len(jobs.context["page"].object_list) == 2
    assert client.get(reverse("insights:occupation_records", args=["4-10-01", "other"])).status_code == 404
    export = client.get(reverse("insights:occupations"), {"export": "xlsx", "by": "township"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_another_township_is_404_and_residents_403(client, township_staff, resident_user, other_township):
    client.force_login(township_staff)
    assert client.get(reverse("insights:occupations"), {"area": other_township.code}).status_code == 404
    url = reverse("insights:occupation_records", args=["4-10-01", "seekers"])
    assert client.get(url, {"area": other_township.code}).status_code == 404
    client.force_login(resident_user)
    assert client.get(reverse("insights:occupations")).status_code == 403
