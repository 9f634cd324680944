"""The entrepreneurship figures: what they count, counted from what the test built; 创业成功率 per its definition."""

import datetime
from decimal import Decimal as D

import pytest

from jobcircle.entrepreneurship import services, stats
from jobcircle.entrepreneurship.models import Startup
from jobcircle.insights.figures import evaluate, parse_period, records_of
from jobcircle.training.enums import EnrolmentStatus, ProgrammeKind
from jobcircle.training.models import Enrolment
from tests.factories import EmployerFactory, demo_credit_code
from tests.training import factories as training

from .conftest import DISBURSED_ON, apply, borrower, disburse, walk_to_guaranteed

pytestmark = pytest.mark.django_db
YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def disbursed(policy, who, staff, admin, amount, contract):
    loan = walk_to_guaranteed(apply(policy, who, amount=amount), staff, admin)
    return disburse(loan, admin, amount=amount, contract=contract)


def test_loan_figures_split_individual_and_business(loan_policies, community, community_staff, county_admin, county):
    business = EmployerFactory(community=community)
    Startup.objects.create(name="企业", credit_code=business.credit_code, kind="private", area_code=community.code,
                           registered_on=datetime.date(2023, 1, 1))  # fmt: skip
    disbursed(loan_policies["personal"], borrower(community), community_staff, county_admin, "100000", "JK-A1")
    disbursed(loan_policies["personal"], borrower(community), community_staff, county_admin, "50000", "JK-A2")
    disbursed(loan_policies["business"], business, community_staff, county_admin, "1000000", "JK-B1")
    apply(loan_policies["personal"], borrower(community))  # applied only: not counted
    f = stats.loan_figures(county, *YEAR)
    assert (f.loans, f.amount_yuan, f.personal_loans, f.business_loans) == (3, D("1150000"), 2, 1)
    assert (f.personal_amount_yuan, f.business_amount_yuan, f.supported_people, f.jobs_created) == (
        D("150000"), D("1000000"), 3, 9)  # fmt: skip
    assert stats.loan_figures(county, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)).loans == 0


def test_overdue_rate_is_overdue_principal_over_outstanding_principal(
    loan_policies, community, community_staff, county_admin, county
):
    late = disbursed(loan_policies["personal"], borrower(community), community_staff, county_admin, "100000", "JK-A1")
    disbursed(loan_policies["personal"], borrower(community), community_staff, county_admin, "300000", "JK-A2")
    assert stats.overdue_rate(county, DISBURSED_ON + datetime.timedelta(days=10)) == D("0.00")
    # both are unpaid at the first instalment (2025-04-15); on 2025-05-20 both are 35 days overdue
    assert stats.overdue_rate(county, datetime.date(2025, 5, 20)) == D("100.00")
    services.record_repayment(late.__class__.objects.get(contract_no="JK-A2"), paid_on=datetime.date(2025, 4, 15),
                              principal=0, interest=D("3000"), serial="X", by=None)  # fmt: skip
    assert stats.overdue_rate(county, datetime.date(2025, 5, 20)) == D("25.00")  # 100,000 ÷ 400,000


def test_success_rate_counts_a_startup_within_twelve_months_after_completion(community):
    done = datetime.date(2025, 3, 10)
    people = [borrower(community) for _ in range(4)]
    for person, registered in zip(
        people,
        [datetime.date(2025, 6, 1), datetime.date(2026, 3, 10), datetime.date(2026, 3, 11), datetime.date(2025, 3, 9)],
        strict=True,
    ):
        Startup.objects.create(name=f"店{person.pk}", credit_code=demo_credit_code(), kind="sole", resident=person,
                               area_code=community.code, registered_on=registered)  # fmt: skip
    five = [(p.pk, done) for p in people] + [(borrower(community).pk, done)]
    result = stats.success_rate(five)
    # within: the 1st (June) and the 2nd (exactly 12 months); not the 3rd (a day late) or 4th (before completion)
    assert (result.trainees, result.succeeded, result.rate) == (5, 2, D("40.00"))
    assert stats.success_rate([]).rate == 0


def test_registered_figures_open_to_their_records(loan_policies, community, community_staff, county_admin, county):
    disbursed(loan_policies["personal"], borrower(community), community_staff, county_admin, "100000", "JK-A1")
    period = parse_period("2025")
    values = evaluate(county.scope_prefix, period)
    assert values["guarantee_loans"] == 1 and values["guarantee_loan_amount"] == D("100000")
    assert records_of("guarantee_loans", county.scope_prefix, period).count() == 1


def test_the_success_rate_figure_reads_the_creation_training_completed_in_the_period(community, county):
    syb = training.programme(training.provider(community), kind=ProgrammeKind.SYB)
    skills = training.programme(training.provider(community), kind=ProgrammeKind.EMPLOYMENT)
    done = datetime.date(2025, 4, 1)
    founder, idle, welder = borrower(community), borrower(community), borrower(community)
    for person, programme in ((founder, syb), (idle, syb), (welder, skills)):
        Enrolment.objects.create(programme=programme, resident=person, area_code=community.code, source="staff",
                                 enrolled_on=done, status=EnrolmentStatus.COMPLETED, completed_on=done)  # fmt: skip
    for person in (founder, welder):  # the welder's start-up does not count: 就业技能培训 is not 创业培训
        Startup.objects.create(name=f"店{person.pk}", credit_code=demo_credit_code(), kind="sole", resident=person,
                               area_code=community.code, registered_on=datetime.date(2025, 9, 1))  # fmt: skip
    values = evaluate(county.scope_prefix, parse_period("2025"))
    assert values["entrepreneurship_trainees"] == 2
    assert values["entrepreneurship_success_rate"] == D("50.00")
    assert {
        r.resident_id for r in records_of("entrepreneurship_trainees", county.scope_prefix, parse_period("2025"))
    } == {founder.pk, idle.pk}
    assert evaluate(county.scope_prefix, parse_period("2024"))["entrepreneurship_trainees"] == 0
