"""The demo county has households and a year of 零就业家庭 history: some found, some cleared, cases opened."""

import pytest
from django.utils import timezone

from jobcircle.demo.generator import build_demo
from jobcircle.households import stats
from jobcircle.households.models import Household, HouseholdMembership, ZeroEmploymentSpell

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_households_and_zero_employment_history(county):
    lines = []
    build_demo(seed=2, scale="tiny", log=lines.append)
    assert Household.objects.exists() and any("家庭户" in line for line in lines)
    assert HouseholdMembership.objects.filter(relation="head").count() == Household.objects.count()
    today = timezone.localdate()
    year = stats.zero_employment_clearance(county, today.replace(year=today.year - 1), today)
    assert year.found > 0 and year.cleared > 0
    assert ZeroEmploymentSpell.objects.filter(cleared_reason="家庭成员实现就业").exists()
