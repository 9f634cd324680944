"""The gig and sharing figures of the registry: what was built, in every area, records as many as the count,
townships adding up to the county, the same value on the page, in the API and in the Word report's prose."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jobcircle.accounts.access import scope_for_user
from jobcircle.gigs import services, sharing
from jobcircle.insights.figures import REGISTRY, evaluate, parse_period, records_of
from tests.factories import EmployerFactory, ResidentFactory, Role, make_user

from .factories import completed, open_station, started_gig

pytestmark = pytest.mark.django_db
CODES = [code for code, figure in REGISTRY.items() if figure.domain == "零工市场与共享员工"]


@pytest.fixture
def gig_county(county_admin, community, neighbour_community, village, community_staff):
    """Per community: one gig of 2 places, one worker completed (100 元) and one only signed up; in the
    town a walk-in and an agreement of two people between its two communities' employers."""
    truth = {}
    station = open_station(community, community_staff)
    services.record_walk_in(station, by=community_staff, scope=scope_for_user(community_staff),
                            data={"visitor_name": "来访者", "purpose": "find_work"})  # fmt: skip
    employers = {}
    for place in (community, neighbour_community, village):
        employer = EmployerFactory(community=place)
        employers[place.code] = employer
        user = make_user(f"e{place.code}", Role.EMPLOYER, employer=employer)
        gig = started_gig(employer, user, headcount=2)
        completed(gig, ResidentFactory(community=place), poster_user=user, worker_user=None)
        services.sign_up(gig, ResidentFactory(community=place), by=None)
    scope = scope_for_user(county_admin)
    today = timezone.localdate()
    people = [ResidentFactory(community=community) for _ in range(2)]
    agreement = sharing.draft_agreement(by=county_admin, scope=scope, data={
        "lender": employers[community.code], "borrower": employers[neighbour_community.code], "people": people,
        "start_date": today, "end_date": today + datetime.timedelta(days=10), "pay_arrangement": "调入方支付",
        "payer": "borrower", "insurance_party": "lender"})  # fmt: skip
    agreement = sharing.transition_agreement(agreement, "consent", by=county_admin, scope=scope)
    for person in people:
        sharing.answer_consent(agreement, person, by=None, agree=True)
    sharing.transition_agreement(agreement, "active", by=county_admin, scope=scope)
    truth["town"] = {"gigs_posted": 2, "gig_places": 4, "gig_signups": 4, "gig_deals": 2,
                     "gig_income": Decimal("200.00"), "gig_walk_ins": 1, "sharing_person_times": 2,
                     "sharing_enterprises": 2}  # fmt: skip
    truth["village"] = {"gigs_posted": 1, "gig_places": 2, "gig_signups": 2, "gig_deals": 1,
                        "gig_income": Decimal("100.00"), "gig_walk_ins": 0, "sharing_person_times": 0,
                        "sharing_enterprises": 0}  # fmt: skip
    truth["county"] = {code: truth["town"][code] + truth["village"][code] for code in truth["town"]}
    return truth


def test_the_figures_are_what_was_built_in_every_area(gig_county, county, town, other_township):
    period = parse_period(None)
    for prefix, key in ((county.scope_prefix, "county"), (town.scope_prefix, "town"),
                        (other_township.scope_prefix, "village")):  # fmt: skip
        assert evaluate(prefix, period, CODES) == gig_county[key], key
        for code in CODES:
            if REGISTRY[code].counts_records:
                assert records_of(code, prefix, period).count() == gig_county[key][code], (key, code)
    for code in CODES:  # additive figures add up; the others at most
        parts = sum(evaluate(p.scope_prefix, period, [code])[code] for p in (town, other_township))
        whole = evaluate(county.scope_prefix, period, [code])[code]
        assert whole == parts if REGISTRY[code].additive else whole <= parts, code


def test_last_year_has_none(gig_county, county):
    period = parse_period(str(timezone.localdate().year - 1))
    assert not any(evaluate(county.scope_prefix, period, CODES).values())


def test_the_api_the_page_and_the_report_prose_read_the_registry(client, county_admin, gig_county, county):
    from jobcircle.insights.report import achievements

    client.force_login(county_admin)
    api = {row["code"]: row["value"] for row in client.get("/api/v1/stats/figures").json() if row["code"] in CODES}
    assert api == {code: float(v) if isinstance(v, Decimal) else v for code, v in gig_county["county"].items()}
    values = evaluate(county.scope_prefix, parse_period(None))
    prose = " ".join(achievements(values, {}, {}))
    assert "零工市场和共享员工方面" in prose and "共享员工2人次" in prose and "涉及企业2家" in prose
