"""零就业家庭 figures in the registry: households.stats' values, records as many as the count, townships add up."""

import datetime

import pytest
from django.utils import timezone

from jobcircle.households import services
from jobcircle.insights.figures import evaluate, parse_period, records_of
from jobcircle.people.services import record_employment_status

from .factories import household, member

pytestmark = pytest.mark.django_db

CODES = ("zero_households_found", "zero_households_cleared", "zero_households_open", "zero_households_days_open")


def test_the_registry_reports_found_cleared_and_open_households(county, community, village, town, other_township):
    today = timezone.localdate()
    found_on = today.replace(day=1)
    employed = member(community)
    household(community, [employed])
    household(community, [member(community)])
    household(village, [member(village)])
    services.sync_zero_employment(county, on=found_on)
    record_employment_status(employed, "employed", by=None, on=today)
    services.sync_zero_employment(county, on=today)
    period = parse_period(None)
    values = evaluate(county.scope_prefix, period, CODES)
    assert [values[c] for c in CODES[:3]] == [3, 1, 2]
    assert values["zero_households_days_open"] == (today - found_on).days
    parts = [evaluate(region.scope_prefix, period, CODES) for region in (town, other_township)]
    for code in CODES[:3]:
        assert values[code] == sum(part[code] for part in parts)
        assert records_of(code, county.scope_prefix, period).count() == values[code]
    assert {r.name for r in records_of("zero_households_open", town.scope_prefix, period)} == {
        str(h) for h in services.zero_employment_households(town, today)
    }
    last_month = parse_period(f"{found_on - datetime.timedelta(days=1):%Y-%m}")
    assert evaluate(county.scope_prefix, last_month, CODES)["zero_households_found"] == 0
