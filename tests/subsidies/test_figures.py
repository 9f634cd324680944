"""补贴发放 figures (subsidies.stats, through the insights registry and the work report): a known answer built here."""

import datetime
from decimal import Decimal

import pytest

from jobcircle.accounts.access import scope_for_user
from jobcircle.assistance.stats import wan_yuan
from jobcircle.insights.figures import evaluate, parse_period, records_of
from jobcircle.insights.report import achievements
from jobcircle.people.models import KeyGroup
from jobcircle.subsidies import stats
from jobcircle.subsidies.services import claw_back, create_batch, record_line_result, sentence, yuan_to_wan
from tests.factories import Role, make_user

from .conftest import PERIOD, YEAR, monitored, person
from .test_services import approved

pytestmark = pytest.mark.django_db
PAID_ON = datetime.date(YEAR, 6, 15)


@pytest.fixture
def paid(policies, community, village, community_staff, township_staff, county_admin, other_township_staff):
    """Three transport payments (two in 幸福社区, one in 王庄村), one of them later clawed back."""
    transport = policies["transport"]
    people = [monitored(person(c, g), [3, 4, 5]) for c, g in
              ((community, "poverty_alleviated"), (community, "monitored"), (village, "monitored"))]  # fmt: skip
    applications = [
        approved(transport, people[0], (community_staff, township_staff, county_admin)),
        approved(transport, people[1], (community_staff, township_staff, county_admin)),
    ]
    village_staff = make_user("village_staff", Role.COMMUNITY_STAFF, area=village)
    applications.append(approved(transport, people[2], (village_staff, other_township_staff, county_admin)))
    batch = create_batch(transport, [a.pk for a in applications], by=county_admin, scope=scope_for_user(county_admin))
    lines = list(batch.lines.order_by("pk"))
    for line in lines:
        record_line_result(line, "paid", by=county_admin, paid_on=PAID_ON)
    payment = lines[1].application.payments.get()
    claw_back(payment, by=county_admin, reason="重复享受，予以追回", on=PAID_ON)
    return {"people": people, "applications": applications, "amount": applications[0].amount}


def test_the_transport_figures_count_people_times_and_net_amount(paid, county, policies):
    period = parse_period(PERIOD)
    values = evaluate("990121", period)
    kept = 2  # three paid, one clawed back in the same period
    assert values["subsidy_transport_people"] == kept
    assert values["subsidy_transport_times"] == kept
    assert values["subsidy_transport_amount"] == paid["amount"] * kept
    assert records_of("subsidy_transport_people", "990121", period).count() == kept
    assert set(records_of("subsidy_transport_people", "990121", period)) == {paid["people"][0], paid["people"][2]}
    assert evaluate("990121001", period)["subsidy_transport_people"] == 1
    assert (
        sentence(policies["transport"], PERIOD)
        == f"发放一次性交通补贴{kept}人、{yuan_to_wan(paid['amount'] * kept)}万元"
    )


def test_the_work_report_says_it_in_the_subsidy_paragraph(paid):
    values = evaluate("990121", parse_period(PERIOD))
    text = "".join(achievements(values, {}, {}))
    assert f"就业补贴方面，发放一次性交通补贴2人；{wan_yuan(paid['amount'] * 2)}万元" in text


def test_by_key_group_and_by_area(paid, policies, county, town, other_township):
    period = parse_period(PERIOD)
    groups = stats.by_key_group(policies["transport"], county, period.start, period.end)
    names = dict(KeyGroup.objects.values_list("code", "name"))
    assert {name: row["beneficiaries"] for name, row in groups.items()} == {
        names["poverty_alleviated"]: 1,
        names["monitored"]: 1,
    }
    areas = stats.by_area(policies["transport"], [town, other_township], period.start, period.end)
    assert {code: row["amount_yuan"] for code, row in areas.items()} == {
        town.code: paid["amount"],
        other_township.code: paid["amount"],
    }
    assert stats.ledger_figures(policies["transport"], county, period.start, period.end)["budget_used"] == (
        paid["amount"] * 2 + Decimal("0.00")
    )
