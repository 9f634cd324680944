"""The 充分就业社区 figures read the live assessment and the certifications, with their records."""

import pytest
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.accounts.enums import Role
from jobcircle.communities import services
from jobcircle.communities.enums import Measure
from jobcircle.communities.measures import percent
from jobcircle.insights.figures import evaluate, get_figure, parse_period
from tests.factories import make_user

from .factories import officer, one_criterion_standard

pytestmark = pytest.mark.django_db


def test_compliance_and_certified_figures_of_the_county(
    county, community, neighbour_community, village, community_staff, township_staff, county_admin
):
    one_criterion_standard(county, Measure.STATION_OFFICER, 1)
    officer(community)
    city_admin = make_user("city_admin", Role.COUNTY_ADMIN, area=county.parent)
    made = services.submit(community, timezone.localdate().year, by=community_staff,
                           scope=scope_for_user(community_staff))  # fmt: skip
    for user in (township_staff, county_admin, city_admin):
        made = services.review(made, "pass", by=user, scope=scope_for_user(user))
    period = parse_period(None)
    values = evaluate(county.scope_prefix, period)
    assert values["community_compliance_rate"] == percent(1, 3)
    assert values["communities_certified"] == 1
    assert values["community_certified_rate"] == percent(1, 3)
    passing = get_figure("community_compliance_rate").records(county.scope_prefix, period)
    assert list(passing) == [community]
    assert list(get_figure("communities_certified").records(county.scope_prefix, period)) == [made]
